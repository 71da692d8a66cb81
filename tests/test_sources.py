"""Source adapters: format detection, value parsers, encodings, oversized fields, malformed files."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path

import pytest

from narratives.sources import LayoutError, Post, Reject, Source, detect_format, parse_mapping
from narratives.sources.base import MAX_FIELD_CHARS, RowError
from narratives.sources.fields import language_code, parse_datetime, parse_int, parse_list
from narratives.sources.ira538 import derived_id

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
IRA_HEADER = ("external_author_id,author,content,region,language,publish_date,harvested_date,following,"
              "followers,updates,post_type,account_type,retweet,account_category,new_june_2018")


def records(path: Path, format: str = "auto", **kw) -> list[Post | Reject]:
    with Source(detect_format(path, format, kw.get("mapping")), **kw) as source:
        return list(source.records())


def ira_csv(tmp_path: Path, *rows: str, name: str = "ira.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes("\n".join((IRA_HEADER, *rows, "")).encode(encoding))
    return path


@pytest.mark.parametrize(("name", "layout", "container"), [
    ("x_io_release.csv", "x-io", "csv"),
    ("x_v2_pages.jsonl", "x-v2", "jsonl"),
    ("x_v2_response.json", "x-v2", "json"),
    ("labeled.jsonl", "labeled", "jsonl"),
    ("ira538_original.csv", "ira538", "csv"),
])
def test_detects_each_layout_from_header_or_keys(name, layout, container):
    detected = detect_format(FIXTURES / name)
    assert (detected.layout, detected.container) == (layout, container)


def test_generic_needs_mapping_for_unknown_column_names():
    path = FIXTURES / "generic_custom.csv"
    with pytest.raises(LayoutError, match=r"generic_custom\.csv: not a recognised layout"):
        detect_format(path)
    mapping = parse_mapping("id=pid,text=body,created_at=posted,author=who,platform=network,likes=n_likes")
    got = records(path, mapping=mapping)
    posts = [r for r in got if isinstance(r, Post)]
    assert [p.post_id for p in posts] == ["g1", "g2", "g3"]
    assert [p.created_at for p in posts] == [datetime(2024, 5, 1, 10), datetime(2024, 5, 1, 10),
                                             datetime(2024, 5, 1, 12, 30)]
    assert [p.likes for p in posts] == [3, None, 1]
    assert {p.platform for p in posts} == {"mastodon"}
    assert posts[2].hashtags == ["primary"]
    (reject,) = [r for r in got if isinstance(r, Reject)]
    assert (reject.line, reject.field, reject.reason) == (5, "posted", "unparseable date")


def test_mapping_errors_name_the_problem():
    with pytest.raises(LayoutError, match="unknown field 'txt'"):
        parse_mapping("txt=body")
    with pytest.raises(LayoutError, match="not FIELD=COLUMN"):
        parse_mapping("text")
    with pytest.raises(LayoutError, match="text=nope"):
        with Source(detect_format(FIXTURES / "generic_custom.csv", "csv", {"text": "nope"}), mapping={"text": "nope"}):
            pass


def test_x_io_fields():
    got = records(FIXTURES / "x_io_release.csv")
    posts = {r.post_id: r for r in got if isinstance(r, Post)}
    first = posts["1044000000000000001"]
    assert first.created_at == datetime(2018, 9, 24, 13, 5)
    assert (first.author_id, first.author_handle, first.lang) == ("2900000001", "ivan_patriot", "en")
    assert (first.likes, first.reposts, first.replies, first.quotes) == (17, 9, 5, 2)
    assert first.hashtags == ["insidertrading", "corruption"]
    assert first.url == "https://x.com/i/status/1044000000000000001"
    rt = posts["1044000000000000002"]
    assert rt.is_repost and rt.repost_of == "1044000000000000001"
    assert rt.author_handle == rt.author_id and rt.author_handle.startswith("7f3a9c0e")  # hashed: kept as given
    assert posts["1044000000000000003"].reply_to == "1044000000000000001"
    assert posts["1044000000000000004"].quote_of == "1044000000000000001"
    assert posts["1044000000000000004"].text == 'Look at this: "the scandal nobody covers" https://t.co/x'
    rejects = [(r.line, r.field, r.reason) for r in got if isinstance(r, Reject)]
    assert rejects == [(6, "tweet_time", "unparseable date"), (7, "tweet_text", "empty text"),
                       (8, "tweetid", "missing id")]


def test_x_v2_pages_and_single_document():
    got = records(FIXTURES / "x_v2_pages.jsonl")
    posts = [r for r in got if isinstance(r, Post)]
    first, rt, reply = posts[0], posts[1], posts[2]
    assert (first.author_handle, first.likes, first.reposts, first.replies, first.quotes, first.views) == (
        "voter_truth", 40, 12, 3, 1, 2200)
    assert first.hashtags == ["DontVote"]
    assert first.url == "https://x.com/voter_truth/status/1850000000000000001"
    assert rt.is_repost and rt.repost_of == "1850000000000000001" and rt.author_handle == "amplifier_02"
    assert (reply.reply_to, reply.quote_of, reply.is_repost) == ("1850000000000000001", "1849999999999999999", False)
    assert reply.created_at == datetime(2024, 10, 21, 7, 30)  # +02:00 to UTC
    assert reply.lang is None and reply.views is None
    rejects = [(r.line, r.field, r.reason) for r in got if isinstance(r, Reject)]
    assert rejects == [(2, "created_at", "unparseable date"), (3, "json", "invalid JSON")]

    (long_post,) = records(FIXTURES / "x_v2_response.json")
    assert long_post.text.endswith("about the senator's stock trades.")
    assert long_post.author_handle == "long_poster" and long_post.views == 500


def test_labeled_gold_and_invalid_gold():
    got = records(FIXTURES / "labeled.jsonl")
    first, second, bad = got
    assert first.gold.narrative == "industry_money" and first.gold.stance == {"marco_rubio": "against"}
    assert first.gold.coordinated is True and first.gold.targets == ["marco_rubio"]
    assert second.gold.narrative == "none" and second.platform == "x"
    assert isinstance(bad, Reject) and (bad.field, bad.reason) == ("stance", "invalid gold label")


def test_ira538_with_and_without_tweet_id(tmp_path):
    original = records(FIXTURES / "ira538_original.csv")
    assert [p.post_id for p in original] == ["775000000000000001", "775000000000000002"]
    assert original[0].url.startswith("http://twitter.com/") and original[1].is_repost
    assert original[0].hashtags == ["HillarysHealth"] and original[0].lang == "en"

    path = ira_csv(tmp_path, "1,ACCT,Привет мир,Russia,Russian,10/3/2016 9:07,x,1,1,1,,Russian,0,NonEnglish,0")
    (post,) = records(path)
    assert post.post_id == derived_id("ACCT", "10/3/2016 9:07", "Привет мир")
    assert (post.created_at, post.lang, post.is_repost) == (datetime(2016, 10, 3, 9, 7), "ru", False)


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-10-20T14:03:11.000Z", datetime(2024, 10, 20, 14, 3, 11)),
    ("2024-10-20 16:03:11+02:00", datetime(2024, 10, 20, 14, 3, 11)),
    ("2018-09-24 13:05", datetime(2018, 9, 24, 13, 5)),
    ("9/12/2016 14:05", datetime(2016, 9, 12, 14, 5)),
    ("Wed Oct 10 20:19:24 +0000 2018", datetime(2018, 10, 10, 20, 19, 24)),
    (1539202764, datetime(2018, 10, 10, 20, 19, 24)),
    ("1539202764000", datetime(2018, 10, 10, 20, 19, 24)),
])
def test_parse_datetime_formats(value, expected):
    assert parse_datetime(value, "d") == expected


@pytest.mark.parametrize("value", ["", None, "yesterday", "2024-13-45", float("nan")])
def test_parse_datetime_rejects(value):
    with pytest.raises(RowError, match="unparseable date"):
        parse_datetime(value, "d")


def test_small_parsers():
    assert parse_list("[tag1, tag2]") == ["tag1", "tag2"]
    assert parse_list("['#a', 'b']") == ["a", "b"]
    assert parse_list("[]") == [] and parse_list(["x", None]) == ["x"]
    assert parse_int("1,234", "n") == 1234 and parse_int("", "n") is None and parse_int("7.0", "n") == 7
    with pytest.raises(RowError, match="invalid number"):
        parse_int("lots", "n")
    assert [language_code(v) for v in ("English", "Farsi (Persian)", "LANGUAGE UNDEFINED", "EN", "Klingon")] == [
        "en", "fa", "und", "en", "und"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "latin-1"])
def test_encodings_decode_the_same_text(tmp_path, encoding):
    text = "Café crème ñandú" if encoding == "latin-1" else "Café — Привет 🇺🇸"
    path = ira_csv(tmp_path, f"1,ACCT,{text},US,English,1/2/2016 3:04,x,1,1,1,,Right,0,RightTroll,0",
                   encoding=encoding)
    detected = detect_format(path)
    assert (detected.layout, detected.encoding) == ("ira538", encoding)
    (post,) = records(path)
    assert post.text == text


def test_undecodable_row_in_utf8_file_is_rejected(tmp_path):
    good = "1,ACCT,Привет,RU,Russian,1/2/2016 3:04,x,1,1,1,,Russian,0,NonEnglish,0".encode()
    bad = b"1,ACCT,broken \xff\xfe bytes,RU,Russian,1/2/2016 3:05,x,1,1,1,,Russian,0,NonEnglish,0"
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"\n".join((IRA_HEADER.encode(), good, bad, b"")))
    ok, rejected = records(path)
    assert ok.text == "Привет"
    assert (rejected.line, rejected.field, rejected.reason) == (3, "text", "undecodable bytes")
    assert "\ufffd" in rejected.raw


def test_oversized_field_and_broken_rows_are_rejected(tmp_path):
    huge = "x" * (MAX_FIELD_CHARS + 1)
    path = ira_csv(
        tmp_path,
        f"1,ACCT,{huge},US,English,1/2/2016 3:04,x,1,1,1,,Right,0,RightTroll,0",
        "1,ACCT,too,few,columns",
        "1,ACCT,fine,US,English,1/2/2016 3:06,x,1,1,1,,Right,0,RightTroll,0",
    )
    big, short, ok = records(path)
    assert (big.line, big.field, big.reason) == (2, "content", "field too long") and len(big.raw) < 11_000
    assert (short.line, short.reason) == (3, "wrong number of columns")
    assert ok.text == "fine" and ok.source_line == 4


def test_gzip_is_read_by_magic_bytes(tmp_path):
    plain = FIXTURES / "x_io_release.csv"
    packed = tmp_path / "release.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert detect_format(packed).layout == "x-io"
    assert [type(r) for r in records(packed)] == [type(r) for r in records(plain)]


def test_parquet_generic(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "posts.parquet"
    pq.write_table(pa.table({"id": [1, 2], "content": ["one", ""], "date": ["2024-01-01T00:00:00Z"] * 2}), path)
    detected = detect_format(path)
    assert (detected.layout, detected.container) == ("generic", "parquet")
    post, reject = records(path)
    assert post.post_id == "1" and post.platform == "unknown"
    assert (reject.line, reject.reason) == (2, "empty text")


@pytest.mark.parametrize(("content", "message"), [
    (b"\x00\x01\x02\x03binary\x00junk" * 100, "binary content"),
    (b"just,some,columns\n1,2,3\n", "not a recognised layout"),
    (b"{not json at all\n", "not readable as json"),
])
def test_unreadable_files_fail_with_one_line_naming_the_file(tmp_path, content, message):
    path = tmp_path / "weird.dat"
    path.write_bytes(content)
    with pytest.raises(LayoutError, match=message) as info:
        detect_format(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_forced_layout_checks_the_header():
    with pytest.raises(LayoutError, match="not a x-io file: missing column"):
        with Source(detect_format(FIXTURES / "ira538_original.csv", "x-io")):
            pass


def test_csv_parser_error_rejects_the_row_and_reading_goes_on(tmp_path, monkeypatch):
    import csv

    from narratives.sources import csv_reader

    old = csv.field_size_limit(200)
    monkeypatch.setattr(csv_reader, "_CSV_FIELD_LIMIT", 200)
    try:
        path = ira_csv(
            tmp_path,
            "1,ACCT," + "long " * 60 + ",US,English,1/2/2016 3:04,x,1,1,1,,Right,0,RightTroll,0",
            "1,ACCT,after,US,English,1/2/2016 3:06,x,1,1,1,,Right,0,RightTroll,0",
        )
        got = records(path)
    finally:
        csv.field_size_limit(old)
    assert (got[0].line, got[0].reason) == (2, "malformed CSV row") and "field larger" in got[0].detail
    assert got[1].text == "after" and got[1].source_line == 3 and len(got) == 2


def test_json_rows_with_bad_values_are_rejected_not_fatal(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_text(
        '{"data": [{"id": "1", "text": "lone \\ud800 surrogate", "author_id": "9", "created_at": "2024-01-01T00:00:00Z"},'
        ' {"id": "2", "text": "metrics are a list", "author_id": "9", "created_at": "2024-01-01T00:00:00Z",'
        ' "public_metrics": [1, 2]},'
        ' {"id": "3", "text": "fine", "author_id": "9", "created_at": "2024-01-01T00:00:00Z"}]}\n'
        '[1, 2, 3]\n'
    )
    surrogate, wrong_shape, ok, not_object = records(path)
    assert (surrogate.field, surrogate.reason) == ("text", "undecodable bytes")
    assert wrong_shape.reason == "unexpected value" and "AttributeError" in wrong_shape.detail
    assert ok.post_id == "3" and ok.url == "https://x.com/i/status/3"
    assert (not_object.line, not_object.reason) == (2, "not a JSON object")


def test_generic_jsonl_guesses_and_dotted_mapping(tmp_path):
    path = tmp_path / "export.jsonl.gz"
    rows = [
        {"id_str": "7", "full_text": "from a v1.1 export", "created_at": "Wed Oct 10 20:19:24 +0000 2018",
         "user": {"screen_name": "someone", "id_str": "42"}, "favorite_count": 3, "retweet_count": 1,
         "lang": "en"},
    ]
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    detected = detect_format(path, "jsonl", {"author": "user.screen_name", "author_id": "user.id_str"})
    assert (detected.layout, detected.container) == ("generic", "jsonl")
    (post,) = records(path, "jsonl", mapping={"author": "user.screen_name", "author_id": "user.id_str"})
    assert (post.post_id, post.author_handle, post.author_id) == ("7", "someone", "42")
    assert (post.created_at, post.likes, post.reposts, post.lang) == (datetime(2018, 10, 10, 20, 19, 24), 3, 1, "en")


def test_truncated_gzip_is_a_layout_error(tmp_path):
    packed = gzip.compress((FIXTURES / "x_io_release.csv").read_bytes() * 50)
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(LayoutError, match=r"cut\.csv\.gz: cannot read"):
        detect_format(path)


def _x_v2_page(n: int, start: int = 0, author_id: object = "501") -> dict:
    tweets = [{"id": str(1860000000000000000 + start + i), "author_id": author_id,
               "created_at": "2024-10-20T14:03:11.000Z", "text": f"Tweet {i} " + "padding " * 40} for i in range(n)]
    return {"data": tweets, "includes": {"users": [{"id": "501", "username": "pager"}]}}


def test_x_v2_pages_longer_than_the_sniff_window_are_read_as_lines(tmp_path):
    path = tmp_path / "pages.jsonl"
    path.write_text("\n".join(json.dumps(_x_v2_page(300, start=k * 300)) for k in range(2)) + "\n")
    assert len(path.read_text().split("\n", 1)[0]) > 65_536
    got = records(path)
    assert len(got) == 600 and all(isinstance(r, Post) and r.author_handle == "pager" for r in got)


def test_a_page_of_the_wrong_shape_is_one_reject_not_a_crash(tmp_path):
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps(_x_v2_page(2)) + "\n" + json.dumps(_x_v2_page(1, start=5, author_id=[1])) + "\n")
    got = records(path)
    assert sum(isinstance(r, Post) for r in got) == 2
    (reject,) = [r for r in got if isinstance(r, Reject)]
    assert (reject.line, reject.reason) == (2, "unexpected value")


def test_parse_datetime_takes_a_date_as_midnight_utc():
    from datetime import date

    assert parse_datetime(date(2024, 10, 1), "created_at") == datetime(2024, 10, 1)
