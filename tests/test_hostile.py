"""Hostile input and faults (issue 12): each numbered case of the issue ends in a result or in one
line naming the problem, never a traceback, and never touches a file that is not ours."""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from narratives.candidates import load_registry
from narratives.cli.errors import EXIT_INTERNAL, describe
from narratives.errors import NarrativesError
from narratives.ingest import ingest_file
from narratives.taxonomy import load_taxonomy
from narratives.modelcards import load_card
from narratives.series import MAX_SERIES_WEEKS, compute_weekly, week_range
from narratives.sources import LayoutError, Post, Reject, Source, detect_format
from narratives.sources.readers import MAX_HEADER_CHARS, MAX_LINE_CHARS
from narratives.store import Store, StoreError
from narratives.yamlconf import ConfigError

HEADER = "id,text,created_at,likes\n"


def cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run the real entry point (with its error handler) and return (exit status, stdout, stderr)."""
    from narratives.cli import main

    monkeypatch.setattr(sys, "argv", ["narratives", *map(str, args)])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error:") and "Traceback" not in err
    return lines[0]


def records(path: Path) -> list[Post | Reject]:
    with Source(detect_format(path)) as source:
        return list(source.records())


def reasons(path: Path) -> list[tuple[int | None, str]]:
    return [(r.line, r.reason) for r in records(path) if isinstance(r, Reject)]


# --- 1. far-off dates ------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["9999-12-31", "9999-12-31T23:59:59Z", "1900-01-01", "253402300799",
                                   "1970-01-01T00:00:00Z"])
def test_1_implausible_dates_are_rejected_at_ingest_with_the_reason(tmp_path, value):
    path = tmp_path / "far.csv"
    path.write_text(HEADER + "1,ok,2024-05-01,1\n" + f"2,far,{value},1\n")
    got = records(path)
    assert [type(r).__name__ for r in got] == ["Post", "Reject"]
    assert (got[1].line, got[1].field, got[1].reason) == (3, "created_at", "implausible date")


def test_1_ira_layout_far_date_is_rejected_too(tmp_path):
    path = tmp_path / "ira.csv"
    path.write_text("external_author_id,author,content,publish_date\n1,a,hello,12/31/9999 23:59\n"
                    "1,a,there,10/01/2016 10:00\n")
    assert reasons(path) == [(2, "implausible date")]


def test_1_weekly_series_is_bounded_whatever_the_span():
    counts = [{"narrative_id": "n001", "candidate_id": None, "week": w, "posts": 12} for w in ("1990-W01", "2026-W01")]
    rows = compute_weekly(["1990-W01", "2026-W01"], [], counts)
    assert len(rows) == MAX_SERIES_WEEKS
    assert rows[-1]["week"] == "2026-W01" and rows[-1]["posts"] == 12
    assert len(week_range("1990-W01", "2026-W01")) > 1800  # unbounded without the limit
    assert week_range("2024-W01", "2024-W03", limit=520) == ["2024-W01", "2024-W02", "2024-W03"]


# --- 2. YAML ---------------------------------------------------------------------------------------

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def _yaml_cases(tmp_path: Path) -> dict[str, Path]:
    cases = {}
    (tmp_path / "bomb.yaml").write_text(BILLION_LAUGHS)
    cases["aliases"] = tmp_path / "bomb.yaml"
    (tmp_path / "latin1.yaml").write_bytes("name: caf\xe9\n".encode("latin-1"))
    cases["not UTF-8"] = tmp_path / "latin1.yaml"
    (tmp_path / "folder.yaml").mkdir()
    cases["is a folder"] = tmp_path / "folder.yaml"
    (tmp_path / "deep.yaml").write_text("[" * 5000 + "]" * 5000 + "\n")
    cases["nested deeper"] = tmp_path / "deep.yaml"
    (tmp_path / "deepmap.yaml").write_text("k: " + "{k: " * 5000 + "v" + "}" * 5000 + "\n")
    cases["nested deeper "] = tmp_path / "deepmap.yaml"
    return cases


@pytest.mark.parametrize("loader", ["taxonomy", "candidates", "model card"])
def test_2_hostile_yaml_is_one_line_naming_the_file(tmp_path, monkeypatch, loader):
    for expected, path in _yaml_cases(tmp_path).items():
        started = time.perf_counter()
        if loader == "model card":
            card_dir = tmp_path / f"cards-{path.stem}"
            card_dir.mkdir()
            target = card_dir / "evil.yaml"
            if path.is_dir():
                target.mkdir()
            else:
                target.write_bytes(path.read_bytes())
            monkeypatch.setenv("NARRATIVES_MODELS_DIR", str(card_dir))
            call, shown = (lambda: load_card("evil")), target
        else:
            call = (lambda p=path: load_taxonomy(p)) if loader == "taxonomy" else (lambda p=path: load_registry(p))
            shown = path
        with pytest.raises(ConfigError) as info:
            call()
        message = str(info.value)
        assert "\n" not in message and str(shown) in message and expected.strip() in message, message
        assert time.perf_counter() - started < 5


# --- 3. rich markup in data and paths --------------------------------------------------------------

def test_3_markup_in_data_and_paths_prints_literally(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "a[" / "b]"  # the path reads ".../a[/b]/..."
    folder.mkdir(parents=True)
    data = folder / "[bold]posts[red].jsonl"
    data.write_text(json.dumps({"id": "1", "text": "[/b] text [link=http://x]y[/link]", "platform": "[/b]",
                                "created_at": "2024-05-01T00:00:00Z", "author": "[/]"}) + "\n")
    db = folder / "s.duckdb"
    code, out, err = cli(monkeypatch, capsys, "ingest", data, "--db", db)
    assert code == 0 and "Traceback" not in err, err
    assert "[bold]" in out  # the file name, printed as is (the table may fold it)
    for args in (["status"], ["status", "--json"]):
        code, out, err = cli(monkeypatch, capsys, *args, "--db", db)
        assert code == 0 and "Traceback" not in err, err
        assert "[/b]" in out


# --- 4. counts above 2^63, several files -----------------------------------------------------------

@pytest.mark.parametrize("value", [str(2**63), str(2**64), "-1", "1e30", "9" * 5000])
def test_4_huge_count_rejects_the_row_not_the_file(tmp_path, value):
    path = tmp_path / "big.csv"
    path.write_text(HEADER + f"1,ok,2024-05-01,{2**63 - 1}\n2,big,2024-05-01,{value}\n3,ok,2024-05-02,3\n")
    with Store(tmp_path / "s.duckdb") as store:
        result = ingest_file(store, path)
        assert (result.read, result.stored, result.rejected) == (3, 2, 1)
        assert [(r["line"], r["field"], r["reason"]) for r in store.rejects_for(result.ingest_id)] == [
            (3, "likes", "invalid number")]


def test_4_huge_count_in_json_and_parquet(tmp_path):
    lines = tmp_path / "big.jsonl"
    lines.write_text(json.dumps({"id": "1", "text": "t", "created_at": "2024-05-01", "views": 2**70}) + "\n")
    assert reasons(lines) == [(1, "invalid number")]
    table = pa.table({"id": ["1", "2"], "text": ["a", "b"], "created_at": ["2024-05-01"] * 2,
                      "likes": pa.array([2**64 - 1, 5], pa.uint64())})
    pq.write_table(table, tmp_path / "big.parquet")
    assert reasons(tmp_path / "big.parquet") == [(1, "invalid number")]


def test_4_a_failing_file_still_prints_what_earlier_files_committed(tmp_path, monkeypatch, capsys):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "1,ok,2024-05-01,1\n")
    body = (HEADER + "".join(f"{i},text {i},2024-05-01,1\n" for i in range(2, 40_000))).encode()
    packed = gzip.compress(b"\xef\xbb\xbf" + body)
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    code, out, err = cli(monkeypatch, capsys, "ingest", good, cut, "--db", tmp_path / "s.duckdb")
    assert code == 1 and "cut.csv.gz" in one_error_line(err)
    assert "┃ file" in out and f"stopped at {cut}" in out  # the summary table, then what is not stored
    with Store(tmp_path / "s.duckdb", read_only=True) as store:
        assert store.count_posts() == 1


# --- 5. deep JSON ----------------------------------------------------------------------------------

def test_5_deep_json_is_an_invalid_json_reject(tmp_path):
    path = tmp_path / "deep.jsonl"
    ok = json.dumps({"id": "1", "text": "t", "created_at": "2024-05-01"})
    path.write_text(ok + "\n" + '{"id": ' + "[" * 10_000 + "]" * 10_000 + "}\n" + ok.replace('"1"', '"2"') + "\n")
    got = records(path)
    assert [type(r).__name__ for r in got] == ["Post", "Reject", "Post"]
    assert got[1].reason == "invalid JSON" and "nested" in got[1].detail
    document = tmp_path / "deep.json"
    document.write_text('{"data": ' + "[" * 10_000 + "]" * 10_000 + ', "x": 1}')
    with pytest.raises(LayoutError):
        detect_format(document)


# --- 6. header and line caps, gzip bombs ------------------------------------------------------------

def test_6_oversized_header_is_refused(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("id,text,created_at," + "x" * (MAX_HEADER_CHARS + 10) + "\n1,a,2024-05-01,\n")
    with pytest.raises(LayoutError, match="header line is longer"):
        detect_format(path)


def test_6_overlong_line_is_one_reject_and_reading_goes_on(tmp_path):
    path = tmp_path / "long.jsonl"
    ok = json.dumps({"id": "1", "text": "t", "created_at": "2024-05-01"})
    with path.open("w") as f:
        f.write(ok + "\n" + '{"text": "' + "a" * (MAX_LINE_CHARS + 5) + '"}\n' + ok.replace('"1"', '"2"') + "\n")
    got = records(path)
    assert [(type(r).__name__, r.line if isinstance(r, Reject) else r.source_line) for r in got] == [
        ("Post", 1), ("Reject", 2), ("Post", 3)]
    assert got[1].reason == "line too long"


def test_6_gzip_bomb_is_refused_quickly(tmp_path):
    path = tmp_path / "bomb.csv.gz"
    with gzip.open(path, "wb", compresslevel=9) as f:
        f.write(b"id,text,created_at,")
        block = b"a" * (1 << 20)
        for _ in range(300):
            f.write(block)
    started = time.perf_counter()
    with pytest.raises(LayoutError, match="decompression bomb"):
        detect_format(path)
    assert time.perf_counter() - started < 10


# --- 7. --db on a file that is not a narratives store ---------------------------------------------

def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _foreign_files(tmp_path: Path) -> dict[str, Path]:
    files = {}
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE accounts (id INTEGER, name VARCHAR)")
        con.execute("INSERT INTO accounts VALUES (1, 'a')")
    files["tables of its own: accounts"] = other
    own_posts = tmp_path / "posts.duckdb"
    with duckdb.connect(str(own_posts)) as con:
        con.execute("CREATE TABLE posts (x INTEGER)")
    files["tables of its own: posts"] = own_posts
    lite = tmp_path / "lite.db"
    with sqlite3.connect(lite) as con:
        con.execute("CREATE TABLE t (a)")
    files["SQLite"] = lite
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    files["not a DuckDB file"] = text
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    files["empty file"] = empty
    return files


def test_7_foreign_db_files_are_refused_untouched(tmp_path, monkeypatch, capsys):
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"id": "1", "text": "t", "created_at": "2024-05-01"}) + "\n")
    for expected, path in _foreign_files(tmp_path).items():
        before = _sha(path)
        with pytest.raises(StoreError, match=expected):
            Store(path)
        code, _, err = cli(monkeypatch, capsys, "ingest", data, "--db", path)
        assert code == 1 and "not a narratives store" in one_error_line(err)
        assert _sha(path) == before and not Path(f"{path}.wal").exists()
    with duckdb.connect(str(tmp_path / "posts.duckdb"), read_only=True) as con:
        assert [r[0] for r in con.execute("SHOW TABLES").fetchall()] == ["posts"]


def test_7_store_never_autoloads_or_installs_extensions(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        settings = {name: store.con.execute(f"SELECT current_setting('{name}')").fetchone()[0]
                    for name in ("autoload_known_extensions", "autoinstall_known_extensions")}
    assert settings == {"autoload_known_extensions": False, "autoinstall_known_extensions": False}


# --- 8. one-line errors of the CLI -----------------------------------------------------------------

@pytest.fixture
def empty_store(tmp_path) -> Path:
    Store(tmp_path / "s.duckdb").close()
    return tmp_path / "s.duckdb"


def test_8_report_and_eval_out_that_cannot_be_a_folder(tmp_path, monkeypatch, capsys, empty_store):
    existing = tmp_path / "file.txt"
    existing.write_text("keep me")
    for args in (["report", "--db", empty_store, "--out", existing],
                 ["report", "--db", empty_store, "--out", existing / "sub"],
                 ["eval", "--set", existing, "--out", existing],
                 ["eval", "--set", existing, "--out", "/proc/version/x"]):
        code, _, err = cli(monkeypatch, capsys, *args)
        assert code == 1 and "--out" in one_error_line(err), err
    assert existing.read_text() == "keep me"


@pytest.mark.parametrize(("args", "message"), [
    (["--sample-size", "0"], "--sample-size 0: must be"),
    (["--threshold", "nan"], "--threshold nan: a cosine similarity"),
    (["--threshold", "inf"], "--threshold inf: a cosine similarity"),
    (["--match-threshold", "nan"], "--match-threshold nan: a cosine similarity"),
])
def test_8_run_parameters_are_checked_before_any_work(monkeypatch, capsys, empty_store, args, message):
    code, _, err = cli(monkeypatch, capsys, "run", "--db", empty_store, *args)
    assert code == 1 and message in one_error_line(err)
    with Store(empty_store, read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def test_8_unexpected_exceptions_are_one_internal_error_line(tmp_path, monkeypatch, capsys):
    import narratives.cli.info as info

    monkeypatch.setattr(info, "__version__", property(lambda self: 1))  # not printable by rich
    monkeypatch.setattr(info.console, "print", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom\nline 2")))
    code, _, err = cli(monkeypatch, capsys, "version")
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == EXIT_INTERNAL and len(lines) == 1 and lines[0].startswith("internal error: RuntimeError: boom")
    assert "NARRATIVES_DEBUG" in lines[0]
    monkeypatch.setenv("NARRATIVES_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli(monkeypatch, capsys, "version")


def test_8_describe_maps_os_errors_to_the_file_and_reason():
    message, code = describe(PermissionError(13, "Permission denied", "/x/[/b]"))
    assert (message, code) == ("error: /x/[/b]: Permission denied", 1)
    assert describe(NarrativesError("a\nb"))[0] == "error: a b"


# --- 9. the smaller ones ---------------------------------------------------------------------------

def test_9_parquet_binary_text_is_decoded(tmp_path):
    table = pa.table({"id": ["1", "2"], "text": pa.array([b"caf\xc3\xa9 text", b"\xff bad"], pa.binary()),
                      "created_at": ["2024-05-01", "2024-05-02"]})
    pq.write_table(table, tmp_path / "b.parquet")
    got = records(tmp_path / "b.parquet")
    assert isinstance(got[0], Post) and got[0].text == "café text"
    assert isinstance(got[1], Reject) and got[1].reason == "undecodable bytes"


def test_9_parquet_timestamp_past_9999_rejects_the_row(tmp_path):
    stamps = pa.array([1_714_521_600, 400_000_000_000], pa.timestamp("s"))
    table = pa.table({"id": ["1", "2"], "text": ["a", "b"], "created_at": stamps})
    pq.write_table(table, tmp_path / "t.parquet")
    got = records(tmp_path / "t.parquet")
    assert isinstance(got[0], Post) and got[0].created_at == datetime(2024, 5, 1)
    assert isinstance(got[1], Reject)


def test_9_unterminated_quote_resynchronises_at_the_next_line(tmp_path):
    path = tmp_path / "quote.csv"
    rows = [f'{i},"text {i}",2024-05-01,1\n' for i in range(1, 8)]
    rows[1] = '2,"unterminated text,2024-05-01,1\n'
    rows[4] = '5,"a quoted\nline break",2024-05-01,1\n'
    path.write_text(HEADER + "".join(rows))
    got = records(path)
    posts = [r.post_id for r in got if isinstance(r, Post)]
    assert posts == ["1", "3", "4", "5", "6", "7"]
    assert [(r.line, r.reason) for r in got if isinstance(r, Reject)] == [(3, "malformed CSV row")]
    assert next(r for r in got if isinstance(r, Post) and r.post_id == "5").text == "a quoted\nline break"


def test_9_unterminated_quote_at_the_end_is_not_a_post(tmp_path):
    path = tmp_path / "tail.csv"
    path.write_text("id,created_at,text\n1,2024-05-01,fine\n2,2024-05-01,\"open\n3,2024-05-01,x\n")
    got = records(path)
    assert [r.post_id for r in got if isinstance(r, Post)] == ["1", "3"]
    assert [(r.line, r.reason) for r in got if isinstance(r, Reject)] == [(3, "malformed CSV row")]


def test_9_run_on_a_missing_db_leaves_nothing_behind(tmp_path, monkeypatch, capsys):
    db = tmp_path / "missing.duckdb"
    code, _, err = cli(monkeypatch, capsys, "run", "--db", db)
    assert code == 1 and "no posts in the store" in one_error_line(err)
    assert list(tmp_path.iterdir()) == []


def test_9_demo_data_needs_force_to_overwrite(tmp_path, monkeypatch, capsys):
    out = tmp_path / "demo.jsonl"
    out.write_text("mine\n")
    code, _, err = cli(monkeypatch, capsys, "demo-data", "--out", out)
    assert code == 1 and "--force" in one_error_line(err)
    assert out.read_text() == "mine\n"
    code, out_text, _ = cli(monkeypatch, capsys, "demo-data", "--out", out, "--force")
    assert code == 0 and out.read_text() != "mine\n"


# --- reports (3, 8, 9 and the per-week bound of 1) ------------------------------------------------

@pytest.fixture
def report_store(tmp_path):
    from test_report import fill_store  # the synthetic tracked run of the report tests

    with fill_store(tmp_path / "r.duckdb", hostile=True) as store:
        store.con.execute("UPDATE posts SET text = ? WHERE post_id = 'hostile-0'",
                          ["write bob@example.com, mailto:x@y.org or ftp://evil.example/a; file://c/x Rubio trades"])
    return tmp_path / "r.duckdb"


def test_9_markdown_leaves_no_email_mailto_or_ftp_link(report_store):
    from markdown_it import MarkdownIt

    from narratives.report import build_report, render_markdown
    from narratives.report.escape import md_escape

    escaped = md_escape("bob@example.com mailto:x@y.org ftp://evil.example FTP://X sftp://y http://z www.w.org")
    for live in ("@example.com", "mailto:", "ftp://", "FTP://", "sftp://", "http://", "www.w"):
        assert live not in escaped, escaped
    assert "<a" not in MarkdownIt("commonmark").render(escaped)
    with Store(report_store, read_only=True) as store:
        md = render_markdown(build_report(store, week="2024-W41"))
    assert "bob" in md and "bob@example.com" not in md and "mailto:" not in md and "ftp://" not in md


def test_3_report_out_path_with_markup(report_store, tmp_path, monkeypatch, capsys):
    out = tmp_path / "a[" / "b]"
    code, printed, err = cli(monkeypatch, capsys, "report", "--db", report_store, "--out", out, "--week", "2024-W41")
    assert code == 0 and "Traceback" not in err, err
    assert {p.suffix for p in out.rglob("*")} >= {".html", ".md"}
    assert "a[/b]" in printed.replace("\n", "")


def test_1_report_over_centuries_costs_only_the_data(report_store, monkeypatch, capsys):
    from narratives.report import build_report

    started = time.perf_counter()
    with Store(report_store, read_only=True) as store:
        report = build_report(store, since=datetime(1, 1, 1).date(), until=datetime(9999, 12, 31).date())
    assert report.period.weeks[0] == "2024-W38" and len(report.period.weeks) <= 6
    assert time.perf_counter() - started < 10
    code, _, err = cli(monkeypatch, capsys, "report", "--db", report_store, "--since", "0001-01-01",
                       "--until", "9999-12-31")
    assert code == 0, err
