"""The weekly report, built from a small synthetic store: bursts, new and growing narratives, targets,
engagement, methods, and escaping of hostile post text in both HTML and Markdown."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from narratives.cli import app
from narratives.errors import NarrativesError
from narratives.report import build_report, clean_text, render_html, render_markdown, write_report
from narratives.series import BurstRule
from narratives.store import Store
from narratives.text import text_hash
from narratives.pipeline import anchor, record_tracking

MONDAY_W38 = datetime(2024, 9, 16, 9)  # 2024-W38
WEEKS = ["2024-W38", "2024-W39", "2024-W40", "2024-W41", "2024-W42"]

HOSTILE_TEXTS = [
    '<script>document.title="pwned";window.pwned=1;alert(1)</script> Rubio insider trades',
    '<img src=x onerror="window.pwned=1;alert(1)"> Rubio insider trades',
    '[click me](javascript:window.pwned=1) <a href="javascript:alert(1)">x</a> javascript:alert(1)',
    "<svg onload=alert(1)><style>body{display:none}</style> ![i](http://evil.example/x.png) http://evil.example",
    "\u202egnp.exe\u202c Hebrew עברית Arabic مرحبا zero\u200bwidth\ufeff " + "A" * 3000,
    "# heading | pipe | `code` **bold** <!-- comment --> &lt;script&gt; &#60;script&#62;",
]
HOSTILE_HANDLE = '<b onmouseover="window.pwned=1">x</b>\u202e'


def _posts(hostile: bool) -> list[dict]:
    """insider: steady, bursts in W41; scheme: starts in W42; pharma: grows every week."""
    plan = {"insider": [12, 12, 12, 40, 13], "scheme": [0, 0, 0, 0, 12], "pharma": [10, 12, 14, 16, 24]}
    texts = {"insider": "Rubio made stock trades on inside information #{i}",
             "scheme": "Blackburn runs a corruption scheme, shady deals #{i}",
             "pharma": "Blackburn is bought by pharma money #{i}"}
    rows = []
    for name, counts in plan.items():
        for w, count in enumerate(counts):
            for i in range(count):
                rows.append({"post_id": f"{name}-{w}-{i}", "narrative": name,
                             "author": f"acct{(i + w) % 5}_{name}", "text": texts[name].format(i=f"{w}-{i}"),
                             "created_at": MONDAY_W38 + timedelta(weeks=w, hours=i), "likes": i % 2})
    if hostile:  # three per narrative, all shown as representative posts
        for i, text in enumerate(HOSTILE_TEXTS):
            rows.append({"post_id": f"hostile-{i}", "narrative": "insider" if i < 3 else "pharma", "author": HOSTILE_HANDLE, "text": text,
                         "created_at": MONDAY_W38 + timedelta(weeks=3, hours=40 + i), "likes": 1, "score": 0.99})
    return rows


CENTROIDS = {"insider": np.eye(8)[0], "scheme": np.eye(8)[1], "pharma": np.eye(8)[2]}
LABELS = {"insider": "Insider trading", "scheme": "Corruption scheme", "pharma": "Industry money"}
TARGETS = {"insider": "marco_rubio", "scheme": "marsha_blackburn", "pharma": "marsha_blackburn"}


def fill_store(path: Path, *, hostile: bool = False, run_id: str = "r1", centroids: dict | None = None,
               started: datetime = datetime(2024, 10, 21), since: datetime | None = None) -> Store:
    """A store with posts, one tracked run (over the posts from `since` on), its narratives, assignments
    and mentions."""
    store = Store(path)
    rows = [r for r in _posts(hostile) if since is None or r["created_at"] >= since]
    posts = pd.DataFrame([{"platform": "x", "post_id": r["post_id"], "author_handle": r["author"],
                           "created_at": r["created_at"], "text": r["text"], "text_hash": text_hash(r["text"]),
                           "likes": r["likes"], "reposts": 0, "replies": 0} for r in rows])
    store.con.register("_p", posts)
    store.con.execute("INSERT OR IGNORE INTO posts BY NAME SELECT * FROM _p")
    store.con.unregister("_p")

    # a text's embedding is its narrative's direction; `centroids` moves what the clustering finds
    X = np.stack([CENTROIDS[r["narrative"]] + 0.05 * np.eye(8)[3 + i % 4] for i, r in enumerate(rows)])
    matrix = np.stack([(centroids or CENTROIDS)[n] for n in CENTROIDS])
    result = anchor(store, [text_hash(r["text"]) for r in rows], X,
                    SimpleNamespace(centroids_=matrix, threshold=0.5))
    ids = {n: result.ids[result.labels_[[r["narrative"] for r in rows].index(n)]] for n in CENTROIDS}
    status = dict(zip(result.ids, result.status))
    names = list(CENTROIDS)
    keywords = {"insider": ["stock", "trades"], "scheme": ["scheme", "deals"], "pharma": ["pharma", "money"]}
    if hostile:
        keywords["insider"].append("<script>alert(1)</script>")
    narratives = pd.DataFrame([{
        "run_id": run_id, "narrative_id": ids[n], "label": LABELS[n], "taxonomy_id": None, "taxonomy_score": None,
        "keywords": keywords[n], "examples": [], "n_posts": sum(r["narrative"] == n for r in rows), "share": None,
        "first_seen": None, "last_seen": None, "centroid": matrix[k].astype(np.float32).tolist(),
        "status": status[ids[n]]} for k, n in enumerate(names)])
    assignments = pd.DataFrame([{"run_id": run_id, "platform": "x", "post_id": r["post_id"],
                                 "narrative_id": ids[r["narrative"]], "score": r.get("score", 0.5)} for r in rows])
    run = {"run_id": run_id, "started_at": started, "finished_at": started, "since": None, "until": None,
           "model": "all-MiniLM-L6-v2", "device": "cpu", "seed": 7, "params": {"min_cluster_size": 5},
           "n_posts": len(rows), "n_texts": len(rows), "n_embedded": len(rows), "timings": {}, "status": "done"}
    store.save_run(run, narratives, assignments)
    mentions = pd.DataFrame([{"run_id": run_id, "platform": "x", "post_id": r["post_id"],
                              "candidate_id": TARGETS[r["narrative"]], "method": "full_name", "confidence": 1.0,
                              "stance": "against"} for r in rows])
    store.con.register("_m", mentions)
    store.con.execute("INSERT INTO mentions BY NAME SELECT * FROM _m")
    store.con.unregister("_m")
    record_tracking(store, run_id, result, rule=BurstRule(k=3, window=4, min_count=10))
    return store


@pytest.fixture()
def store(tmp_path):
    with fill_store(tmp_path / "s.duckdb") as s:
        yield s


def _line(report, label):
    return next(n for n in report.narratives if n.label == label)


def test_weekly_table_and_lineage_are_stored(store):
    weekly = store.weekly("r1")
    insider = [r for r in weekly if r["narrative_id"] == "n001"]
    assert [r["week"] for r in insider] == WEEKS
    assert [r["posts"] for r in insider] == [12, 12, 12, 40, 13]
    assert [r["burst"] for r in insider] == [False, False, False, True, False]
    by_cand = store.weekly("r1", candidates=True)
    assert {r["candidate_id"] for r in by_cand} == {"marco_rubio", "marsha_blackburn"}
    assert [l["relation"] for l in store.lineage("r1")] == ["new", "new", "new"]
    assert store.track_params("r1")["burst_min_count"] == 10


def test_burst_week_report_shows_the_burst(store):
    report = build_report(store, week="2024-W41")
    assert [(b.narrative_id, b.week, b.posts, b.baseline) for b in report.bursts] == [("n001", "2024-W41", 40, 12.0)]
    assert _line(report, "Insider trading").growth == pytest.approx(40 / 12 - 1)
    rubio = next(c for c in report.candidates if c.candidate_id == "marco_rubio")
    assert rubio.posts == 40 and rubio.against == 40 and rubio.bursts[0].week == "2024-W41"
    md = render_markdown(report)
    assert "- **n001** Insider trading: 40 posts in 2024-W41 (trailing median 12)" in md
    assert "max(10, 3 x median of the previous 4 weeks)" in MarkdownIt("commonmark").render(md)


def test_new_and_growing_narratives_in_their_week(store):
    report = build_report(store, week="2024-W42")
    assert [n.label for n in report.new] == ["Corruption scheme"]
    assert _line(report, "Corruption scheme").emerged == "2024-W42"
    assert _line(report, "Industry money").growth == pytest.approx(0.5)
    assert [(n.label, n.rising_weeks) for n in report.growing] == [("Industry money", 4)]
    assert "Industry money: 24 posts, +50% on the previous period; up 4 weeks in a row" in render_markdown(report)
    assert _line(report, "Industry money").series == [10, 12, 14, 16, 24]
    html = render_html(report)
    assert "up from 0" in html and "+50%" in html
    # the pharma narrative reached 10 posts in W38; the insider one never was below 10
    assert [n.label for n in build_report(store, week="2024-W38").new] == ["Insider trading", "Industry money"]
    assert build_report(store, week="2024-W41").new == []


def test_default_period_is_the_last_week_and_ranges_aggregate(store):
    assert build_report(store).period.label == "2024-W42"
    report = build_report(store, since=date(2024, 9, 16), until=date(2024, 10, 20))
    assert report.period.weeks == WEEKS
    assert _line(report, "Insider trading").posts == 89
    with pytest.raises(NarrativesError, match="no posts in 2023-W01"):
        build_report(store, week="2023-W01")
    with pytest.raises(NarrativesError, match="not both"):
        build_report(store, week="2024-W41", since=date(2024, 10, 1), until=date(2024, 10, 2))
    with pytest.raises(NarrativesError, match="no run 'nope'"):
        build_report(store, run_id="nope")


def test_low_engagement_is_said_plainly_and_methods_are_listed(store):
    report = build_report(store, week="2024-W42")
    assert report.engagement_sentence().startswith("Engagement is low: median likes")
    md = render_markdown(report)
    for needed in ("## Methods", "all-MiniLM-L6-v2", "r1",
                   str(store.path).replace("_", "\\_"), "min\\_cluster\\_size", "## Most active accounts"):
        assert needed in md
    html = render_html(report)
    assert "Content-Security-Policy" in html and "default-src &#x27;none&#x27;" in html
    assert html.count("<svg") >= 2 + len(report.narratives)  # line chart, heat map, one sparkline per row


def test_second_run_keeps_ids_and_records_lineage(tmp_path):
    path = tmp_path / "s.duckdb"
    fill_store(path).close()
    moved = {k: v + 0.05 * np.eye(8)[7] for k, v in CENTROIDS.items()}
    with fill_store(path, run_id="r2", centroids=moved, started=datetime(2024, 10, 28)) as store:
        assert sorted(store.run_narratives("r2")["narrative_id"]) == ["n001", "n002", "n003"]
        assert {l["relation"] for l in store.lineage("r2")} == {"continuing"}
        assert store.id_retention("r1", "r2") == (len(_posts(False)), len(_posts(False)))
        assert store.previous_run_id("r2") == "r1" and store.previous_run_id("r1") is None
        md = render_markdown(build_report(store))
        assert "3 continuing" in md and "Of the 177 posts both runs cover that run r1 put in a narrative, 177 \\(100.0%\\) kept its id." in md


def test_a_run_over_one_new_week_continues_the_series_of_earlier_runs(tmp_path):
    path = tmp_path / "s.duckdb"
    fill_store(path).close()
    with fill_store(path, run_id="r2", started=datetime(2024, 10, 28), since=datetime(2024, 10, 14)) as store:
        insider = [(r["week"], r["posts"], r["burst"]) for r in store.weekly("r2") if r["narrative_id"] == "n001"]
        assert insider == [("2024-W38", 12, False), ("2024-W39", 12, False), ("2024-W40", 12, False),
                           ("2024-W41", 40, True), ("2024-W42", 13, False)]
        report = build_report(store, run_id="r2")
        assert report.period.label == "2024-W42"
        assert [n.label for n in report.new] == ["Corruption scheme"]
        assert _line(report, "Industry money").growth == pytest.approx(0.5)
        assert _line(report, "Industry money").series == [10, 12, 14, 16, 24]
        with pytest.raises(NarrativesError, match="no posts in 2024-W41"):
            build_report(store, run_id="r2", week="2024-W41")


# --- hostile input -----------------------------------------------------------------------------------

class _Tags(HTMLParser):
    """Every start tag and attribute of a document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(document: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(document)
    return parser.tags


def _assert_inert(tags: list[tuple[str, dict]]) -> None:
    names = {t for t, _ in tags}
    assert not names & {"script", "img", "a", "iframe", "object", "embed", "link", "form", "b", "base"}, names
    for tag, attrs in tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert not {"href", "src", "xlink:href", "action", "srcdoc"} & set(attrs), (tag, attrs)


@pytest.fixture()
def hostile_report(tmp_path):
    with fill_store(tmp_path / "h.duckdb", hostile=True) as store:
        yield build_report(store, week="2024-W41")


def test_hostile_posts_are_inert_in_html(hostile_report):
    html = render_html(hostile_report)
    tags = _tags(html)
    _assert_inert(tags)
    assert [t for t, _ in tags].count("style") == 1 and [t for t, _ in tags].count("meta") == 4
    assert "<script" not in html.lower() and "javascript:" not in re.sub(r"<bdi>[^<]*</bdi>", "", html)
    # the payloads are still there for the analyst to read, as text
    assert "&lt;script&gt;document.title=&quot;pwned&quot;" in html
    assert "\u202e" not in html and "\u200b" not in html and "\ufeff" not in html
    assert "עברית" in html and "<bdi>" in html and "overflow-wrap:anywhere" in html


def test_hostile_posts_are_inert_in_markdown(hostile_report):
    md = render_markdown(hostile_report)
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    _assert_inert(_tags(rendered))
    assert not {t for t, _ in _tags(rendered)} - {"h1", "h2", "h3", "p", "ul", "li", "strong", "table", "thead",
                                                 "tbody", "tr", "th", "td", "blockquote", "br"}
    assert "&lt;script&gt;document.title" in rendered  # shown, as text
    assert "hxxp://evil" in md and "](javascript" not in md
    assert "\u202e" not in md and "\u200b" not in md


def test_clean_text_strips_bidi_and_invisible_characters_and_truncates():
    assert clean_text("a\u202eb\u2066c\u200bd\x07e\nf") == "abcde f"
    assert clean_text("x" * 50, 10) == "x" * 9 + "…"
    assert clean_text("family \u200d emoji") == "family \u200d emoji"


# --- files and CLI -----------------------------------------------------------------------------------

def test_write_report_and_cli(store, tmp_path):
    written = write_report(store, week="2024-W41")
    assert [p.name for p in written] == ["narratives-2024-W41.html", "narratives-2024-W41.md"]
    assert written[0].parent == store.path.parent / "reports"
    with pytest.raises(NarrativesError, match="unknown format"):
        write_report(store, formats=("pdf",))
    db = store.path
    store.close()
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", "--db", str(db), "--since", "2024-10-01", "--until", "2024-10-20",
                                      "--format", "md", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "narratives-2024-10-01_2024-10-20.md").exists()
    assert "narratives-2024-10-01_2024-10-20.md" in result.output.replace("\n", "")
    bad = CliRunner().invoke(app, ["report", "--db", str(db), "--week", "2024-42"])
    assert bad.exit_code != 0 and "ISO week" in str(bad.exception)


def test_a_no_claim_narrative_is_left_out_of_the_report(store):
    before = [n.label for n in build_report(store, week="2024-W38").narratives]
    store.con.execute("UPDATE narratives SET kind = 'no_claim' WHERE label = 'Insider trading'")
    after = [n.label for n in build_report(store, week="2024-W38").narratives]
    assert "Insider trading" in before and after == [l for l in before if l != "Insider trading"]
