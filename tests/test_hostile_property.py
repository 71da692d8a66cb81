"""Property test (issue 12): generated hostile rows through every reader and layout into a store.

Whatever the rows hold (broken quoting, NUL bytes, lone surrogates, numbers past 2^63, far-off
dates, deep or odd JSON, markup, binary Parquet text), ingesting the file either refuses the whole
file with a NarrativesError and writes nothing, or stores it with read = stored + duplicates +
rejected, and the store's tables grow by exactly those counts. No other exception escapes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narratives.errors import NarrativesError
from narratives.ingest import ingest_file
from narratives.store import Store

EXAMPLES = settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "40")), deadline=None,
                    derandomize=not os.environ.get("HOSTILE_EXAMPLES"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])

nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", '"', '""', '"open', 'a"b', "\n", "\r\n", "\r", ",", ";", "\t", "\x00", "[/b]",
                     "[bold]x[/]", "\ud800", "\udcff", "=cmd|' /C calc'!A0", "<script>x</script>", "\ufeff",
                     "9" * 30, "-1", "1e400", "NaN", "Infinity"]),
)
dates = st.one_of(
    st.sampled_from(["2024-05-01T10:00:00Z", "9999-12-31", "0001-01-01", "1970-01-01", "253402300799",
                     "-1", "1e30", "2024-13-45", "Tue Oct 01 10:00:00 +0000 2024", "10/01/2024 10:00",
                     "12/31/9999 23:59", ""]),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(lambda d: d.isoformat()),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
numbers = st.one_of(st.none(), st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=True, allow_infinity=True), nasty_text)
json_leaf = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**80), max_value=2**80),
                      st.floats(allow_nan=True, allow_infinity=True), nasty_text)
json_value = st.recursive(json_leaf, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                             st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                          max_leaves=10)


def _snapshot(store: Store) -> tuple[int, ...]:
    return tuple(store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("posts", "rejects", "ingests"))


def _ingest_checks(store: Store, path: Path) -> None:
    before = _snapshot(store)
    try:
        result = ingest_file(store, path)
    except NarrativesError as exc:  # the whole file refused: one line, nothing written
        assert "\n" not in str(exc)
        assert _snapshot(store) == before
        return
    assert result.read == result.stored + result.duplicates + result.rejected
    posts, rejects, ingests = _snapshot(store)
    assert (posts - before[0], rejects - before[1], ingests - before[2]) == (result.stored, result.rejected, 1)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with Store(tmp_path_factory.mktemp("prop") / "prop.duckdb") as s:
        yield s


def _write(suffix: str, data: bytes | str) -> Path:
    handle = tempfile.NamedTemporaryFile("wb", suffix=suffix, delete=False)
    with handle:
        handle.write(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    return Path(handle.name)


csv_row = st.tuples(nasty_text, nasty_text, dates, numbers, nasty_text)
LAYOUT_HEADERS = {
    "generic": ["id", "text", "created_at", "likes", "platform"],
    "x-io": ["tweetid", "tweet_text", "tweet_time", "like_count", "userid"],
    "ira538": ["external_author_id", "content", "publish_date", "retweet", "author"],
}


@EXAMPLES
@given(layout=st.sampled_from(sorted(LAYOUT_HEADERS)), rows=st.lists(st.tuples(st.booleans(), csv_row), max_size=12),
       encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]), delimiter=st.sampled_from([",", ";", "\t"]))
def test_csv_rows(store, layout, rows, encoding, delimiter):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(LAYOUT_HEADERS[layout])
    for quoted, values in rows:
        values = ["" if v is None else str(v) for v in values]
        if quoted:
            writer.writerow(values)
        else:  # raw: stray quotes and line breaks stay broken
            out.write(delimiter.join(values) + "\n")
    data = out.getvalue().encode(encoding, "surrogatepass" if encoding == "utf-8" else "replace")
    path = _write(".csv", data)
    try:
        _ingest_checks(store, path)
    finally:
        path.unlink()


def _post_object(draw_values: tuple) -> dict:
    pid, text, created, likes, extra = draw_values
    return {"id": pid, "text": text, "created_at": created, "likes": likes, "extra": extra}


json_post = st.tuples(st.one_of(nasty_text, json_value), st.one_of(nasty_text, json_value),
                      st.one_of(dates, json_value), numbers, json_value).map(_post_object)
x_v2_tweet = st.fixed_dictionaries({
    "id": st.one_of(nasty_text, json_value), "text": nasty_text, "author_id": st.one_of(nasty_text, json_value),
    "created_at": dates, "public_metrics": st.one_of(json_value, st.fixed_dictionaries({"like_count": numbers})),
    "referenced_tweets": json_value, "entities": json_value,
})


@EXAMPLES
@given(lines=st.lists(st.one_of(json_post, json_value, nasty_text,
                                st.integers(min_value=50, max_value=3000).map(lambda n: "[" * n + "]" * n)),
                      min_size=1, max_size=10),
       labeled=st.booleans())
def test_json_lines(store, lines, labeled):
    text = []
    for i, item in enumerate(lines):
        if isinstance(item, dict) and labeled:
            item = {**item, "narrative": "x", "targets": ["a"], "stance": {"a": "against"}}
        text.append(item if isinstance(item, str) and i else json.dumps(item, allow_nan=True))
    path = _write(".jsonl", "\n".join(text) + "\n")
    try:
        _ingest_checks(store, path)
    finally:
        path.unlink()


@EXAMPLES
@given(tweets=st.lists(st.one_of(x_v2_tweet, json_value), max_size=6), one_document=st.booleans(),
       users=json_value)
def test_x_v2_pages(store, tweets, one_document, users):
    page = {"data": tweets, "includes": {"users": users}}
    body = json.dumps(page, allow_nan=True, indent=1 if one_document else None)
    path = _write(".json" if one_document else ".jsonl", body + "\n")
    try:
        _ingest_checks(store, path)
    finally:
        path.unlink()


@EXAMPLES
@given(rows=st.lists(st.tuples(nasty_text, st.binary(max_size=20), st.integers(min_value=-(2**53), max_value=2**53),
                               st.integers(min_value=0, max_value=2**64 - 1)), min_size=1, max_size=10),
       text_binary=st.booleans(), time_as_int=st.booleans())
def test_parquet(store, rows, text_binary, time_as_int):
    ids, texts, stamps, likes = zip(*rows)
    table = pa.table({
        "id": pa.array([i.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for i in ids]),
        "text": pa.array(texts, pa.binary()) if text_binary else
        pa.array([t.decode("latin-1") for t in texts], pa.string()),
        "created_at": pa.array(stamps, pa.int64()) if time_as_int else pa.array(stamps, pa.timestamp("s")),
        "likes": pa.array(likes, pa.uint64()),
    })
    handle = tempfile.NamedTemporaryFile(suffix=".parquet", delete=False)
    handle.close()
    path = Path(handle.name)
    pq.write_table(table, path)
    try:
        _ingest_checks(store, path)
    finally:
        path.unlink()
