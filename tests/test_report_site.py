"""The explorable report site, without a browser: a page per narrative, candidate and coordinated group,
every relative link resolves inside the folder, nothing references the network, the one script is the
one the CSP allows, hostile text is inert on every page, and ids cannot name files outside their folder."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import CliRunner

from narratives.cli import app
from narratives.errors import NarrativesError
from narratives.report import build_site, page_path, write_site
from test_report import HOSTILE_HANDLE, fill_store

WEEK = "2024-W41"
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "nav", "a", "h1", "h2", "h3", "p", "div", "span",
                "strong", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "blockquote", "bdi", "details",
                "summary", "footer", "svg", "title", "text", "rect", "line", "polyline", "circle", "g", "script"}


class _Page(HTMLParser):
    """Tags, attributes and inline script bodies of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _coordinate(store, *posts: str, group_id: str = "g0001") -> None:
    """Flag some posts of the store as one coordinated (copy-paste) group of run r1, in the tables of the
    coordination schema the store has: `coordination_groups`/`coordination` (0005), or
    `coordination_group`/`coordination_post` (coordination networks)."""
    rows = store.con.execute(
        f"SELECT platform, post_id, author_handle, created_at FROM posts WHERE post_id IN ({', '.join('?' * len(posts))}) "
        "ORDER BY created_at", list(posts)).fetchall()
    accounts = sorted({r[2] for r in rows})
    tables = {r[0] for r in store.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "coordination_group" in tables:
        store.con.execute("INSERT INTO coordination_group VALUES ('r1', ?, 'co_post', ?, ?, ?, ?, ?)",
                          [group_id, len(rows), len(accounts), accounts, rows[0][3], rows[-1][3]])
        store.con.executemany("INSERT INTO coordination_post VALUES ('r1', 'co_post', ?, ?, ?, ?, ?, NULL)",
                              [[group_id, *r] for r in rows])
    else:
        store.con.execute("INSERT INTO coordination_groups VALUES ('r1', ?, ?, ?, ?, ?, ?, 'text_hash')",
                          [group_id, len(rows), len(accounts), accounts, rows[0][3], rows[-1][3]])
        store.con.executemany("INSERT INTO coordination VALUES ('r1', ?, ?, ?, ?, ?)", [[group_id, *r] for r in rows])


COORDINATED = ("insider-3-0", "insider-3-1", "insider-3-2", "insider-3-3")


@pytest.fixture()
def site_dir(tmp_path):
    with fill_store(tmp_path / "s.duckdb") as store:
        _coordinate(store, *COORDINATED)
        write_site(store, week=WEEK, out_dir=tmp_path / "site")
    return tmp_path / "site"


@pytest.fixture()
def hostile_site(tmp_path):
    with fill_store(tmp_path / "h.duckdb", hostile=True) as store:
        _coordinate(store, "hostile-0", "hostile-1", "hostile-2", "insider-3-5")
        write_site(store, week=WEEK, out_dir=tmp_path / "hostile-site")
    return tmp_path / "hostile-site"


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_one_page_per_narrative_candidate_and_group_of_the_week(site_dir):
    # W41: insider trading (n001, the burst) and industry money (n003); the scheme starts in W42
    assert _files(site_dir) == {"index.html", "narratives/n001.html", "narratives/n003.html",
                                "candidates/marco_rubio.html", "candidates/marsha_blackburn.html", "groups/g0001.html",
                                ".narratives-site.json"}
    index = _parse(site_dir / "index.html")
    hrefs = {a["href"] for t, a in index.tags if t == "a"}
    assert hrefs == {"narratives/n001.html", "narratives/n003.html", "candidates/marco_rubio.html",
                     "candidates/marsha_blackburn.html", "groups/g0001.html"}


def test_every_relative_link_resolves_and_nothing_loads_from_the_network(site_dir):
    root = site_dir.resolve()
    for path in sorted(site_dir.rglob("*.html")):
        page = _parse(path)
        for tag, attrs in page.tags:
            for name in ("src", "srcset", "xlink:href", "action", "poster", "data", "background"):
                assert name not in attrs, (path, tag, attrs)
            if "href" in attrs:
                assert tag == "a", (path, tag, attrs)
                href = attrs["href"]
                parts = urlsplit(href)
                assert not parts.scheme and not parts.netloc and not href.startswith("/"), (path, href)
                target = (path.parent / unquote(parts.path)).resolve()
                assert target.is_file() and target.is_relative_to(root), (path, href)
        text = path.read_text(encoding="utf-8")
        # a URL may only appear as text (escaped) or as the SVG namespace, never as something to load
        for m in re.finditer(r"(?i)(?:src|href|url)\s*[=(]\s*[\"']?\s*(?:https?:)?//", text):
            pytest.fail(f"{path}: network reference {text[m.start():m.end() + 40]!r}")
        assert "@import" not in text
        # the CSP forbids everything but inline style, data: images and the page's one script, by hash
        csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
        assert len(page.scripts) == 1
        digest = base64.b64encode(hashlib.sha256(page.scripts[0].encode("utf-8")).digest()).decode()
        assert csp.startswith("default-src 'none'; ") and f"script-src 'sha256-{digest}'" in csp
        assert "unsafe-eval" not in csp and "script-src 'unsafe-inline'" not in csp
        assert "base-uri 'none'" in csp and "form-action 'none'" in csp


def test_narrative_page_shows_every_post_targets_lineage_and_coordination(site_dir):
    text = (site_dir / "narratives/n001.html").read_text(encoding="utf-8")
    page = _parse(site_dir / "narratives/n001.html")
    assert "<h1>n001 <bdi>Insider trading</bdi></h1>" in text
    assert "Keywords:</strong> <bdi>stock, trades</bdi>" in text
    # all 40 posts of the burst week, one row each, with their time, account and likes
    body = text.split("<h2>Posts of 2024-W41</h2>", 1)[1]
    assert body.count("<tr><td>2024-10-") == 40
    assert "All 40 posts" in body
    assert "<td>2024-10-07 09:00</td><td><bdi>acct3_insider</bdi></td><td><bdi>x</bdi></td>" in body
    # every post mentions Rubio, all against; 4 of 40 posts are coordinated
    assert ('<td><a href="../candidates/marco_rubio.html"><bdi>marco_rubio</bdi></a></td><td class="num">40</td>'
            '<td class="num">40 (100%)</td>') in text
    assert '<td class="num">4 (10%)</td>' in text
    assert '<a href="../groups/g0001.html">g0001</a>: 4 of these posts' in text
    assert "<td>r1</td>" in text and "<td>new</td>" in text  # lineage across runs
    assert sum(1 for t, a in page.tags if t == "polyline" and a.get("class") == "series") == 1
    # the chart starts at the first week with posts (W38) and shades the report's week
    assert "24-W38" in text and "24-W37" not in text and 'class="period"' in text


def test_candidate_and_group_pages(site_dir):
    rubio = (site_dir / "candidates/marco_rubio.html").read_text(encoding="utf-8")
    assert "<h1><bdi>marco_rubio</bdi></h1>" in rubio
    # W41 alone and the whole run (12+12+12+40+13 insider posts), all against
    assert '<td>2024-W41</td><td class="num">40</td><td class="num">40 (100%)</td>' in rubio
    assert '<td>the whole run</td><td class="num">89</td><td class="num">89 (100%)</td>' in rubio
    assert ('<a href="../narratives/n001.html">n001</a></td><td><bdi>Insider trading</bdi></td><td class="num">40'
            '</td><td class="num">40</td><td class="num">76</td><td>2024-W38</td><td>2024-W41</td>') in rubio  # to W41
    blackburn = (site_dir / "candidates/marsha_blackburn.html").read_text(encoding="utf-8")
    # the scheme narrative (n002) starts in W42: in her whole-run stance (76 pharma + 12 scheme posts) but
    # not among the narratives aimed at her up to W41
    assert '<td>the whole run</td><td class="num">88</td>' in blackburn
    assert "n002" not in blackburn and '<a href="../narratives/n003.html">n003</a>' in blackburn
    group = (site_dir / "groups/g0001.html").read_text(encoding="utf-8")
    assert "4 posts (4 in 2024-W41) by 4 accounts, 2024-10-07 09:00 to 2024-10-07 12:00 UTC (3 h 00 min)" in group
    assert all(f"<bdi>acct{i}_insider</bdi>" in group for i in (3, 4, 0, 1))
    assert group.count('<a href="../narratives/n001.html">n001</a>') == 5  # the narratives line, then each post
    assert "Posts per hour (UTC)" in group


def test_hostile_text_is_inert_on_every_page(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) == 6
    known = _files(hostile_site)
    for path in pages:
        page = _parse(path)
        text = path.read_text(encoding="utf-8")
        names = {t for t, _ in page.tags}
        assert names <= ALLOWED_TAGS, (path, names - ALLOWED_TAGS)
        for tag, attrs in page.tags:
            assert not [a for a in attrs if a.startswith("on")], (path, tag, attrs)
            if tag == "a":
                href = (path.parent / attrs["href"]).resolve().relative_to(hostile_site.resolve()).as_posix()
                assert href in known, (path, attrs)
        assert sum(1 for t, _ in page.tags if t == "style") == 1
        assert len(page.scripts) == 1 and "pwned" not in page.scripts[0]
        assert "javascript:" not in re.sub(r"<bdi>[^<]*</bdi>", "", text)
        assert "\u202e" not in text and "\u200b" not in text and "\ufeff" not in text
    # the payloads are there as text on the narrative page and the group page
    for rel in ("narratives/n001.html", "groups/g0001.html"):
        text = (hostile_site / rel).read_text(encoding="utf-8")
        assert "&lt;script&gt;document.title=&quot;pwned&quot;" in text
        assert "&lt;b onmouseover=&quot;window.pwned=1&quot;&gt;x&lt;/b&gt;" in text
    assert HOSTILE_HANDLE not in (hostile_site / "groups/g0001.html").read_text(encoding="utf-8")


def test_page_names_from_hostile_ids_stay_in_their_folder_and_do_not_collide():
    ids = ["n001", "../../etc/passwd", "..", "", "CON", "index", "a/b", "a\\b", "Marco_Rubio", "marco_rubio",
           "<script>", "ü", "x" * 300, "a b", "%2e%2e%2f"]
    paths = [page_path("candidate", i) for i in ids]
    assert len(set(paths)) == len(ids)
    assert all(re.fullmatch(r"candidates/[a-z0-9][a-z0-9_-]{0,63}\.html", p) for p in paths), paths
    assert page_path("narrative", "n001") == "narratives/n001.html"
    assert page_path("candidate", "marco_rubio") == "candidates/marco_rubio.html"
    assert page_path("candidate", "CON") != "candidates/con.html"
    with pytest.raises(NarrativesError, match="kind"):
        page_path("account", "x")


def test_narrative_families_are_shown_when_the_store_has_them(tmp_path):
    with fill_store(tmp_path / "f.duckdb") as store:
        # what the narrative-families migration adds (a no-op where it has landed)
        store.con.execute("ALTER TABLE narratives ADD COLUMN IF NOT EXISTS parent_id VARCHAR")
        store.con.execute("UPDATE narratives SET parent_id = 'n001' WHERE narrative_id = 'n003'")
        site = build_site(store, week=WEEK)
        assert site.narratives["n001"].children == [("n003", "Industry money", 10 + 12 + 14 + 16 + 24)]
        write_site(store, week=WEEK, out_dir=tmp_path / "site")
    text = (tmp_path / "site/narratives/n001.html").read_text(encoding="utf-8")
    assert re.search(r"Family:</strong> sub-narratives: (<a href=\"../narratives/n003.html\">n003</a>|n003) "
                     r"<bdi>Industry money</bdi> \(76 posts in the run\)", text)
    if "n003" in site.narratives:  # a store without families still reports the sub-narrative on its own
        assert site.narratives["n003"].parent_id == "n001"
        assert 'part of <a href="../narratives/n001.html">n001</a>' in (tmp_path / "site/narratives/n003.html").read_text()


def test_cli_writes_the_site_and_md_still_writes_one_page(tmp_path):
    db = tmp_path / "s.duckdb"
    fill_store(db).close()
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", "--db", str(db), "--week", WEEK, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert {"index.html", "narratives-2024-W41.md", "narratives/n001.html"} <= _files(out)
    printed = result.output.replace("\n", "")
    assert str(out / "index.html") in printed and "n001.html" not in printed
    md = tmp_path / "md"
    result = CliRunner().invoke(app, ["report", "--db", str(db), "--week", WEEK, "--format", "md", "--out", str(md)])
    assert result.exit_code == 0, result.output
    assert _files(md) == {"narratives-2024-W41.md"}
    # a week without posts writes nothing
    bad = CliRunner().invoke(app, ["report", "--db", str(db), "--week", "2023-W01", "--out", str(tmp_path / "bad")])
    assert bad.exit_code != 0 and not (tmp_path / "bad").exists()



def test_writing_into_an_earlier_site_removes_its_stale_pages_and_nothing_else(tmp_path):
    out = tmp_path / "site"
    with fill_store(tmp_path / "s.duckdb") as store:
        _coordinate(store, *COORDINATED)
        write_site(store, week=WEEK, out_dir=out)
        first = _files(out)
        (out / "notes.txt").write_text("mine", encoding="utf-8")  # the user's own files, even page-like ones
        (out / "narratives" / "my-notes.html").write_text("mine", encoding="utf-8")
        (tmp_path / "outside.html").write_text("mine", encoding="utf-8")
        write_site(store, week="2024-W38", out_dir=out)
        second = {"index.html", *(page_path(k, i) for k, items in (
            ("narrative", build_site(store, week="2024-W38").narratives),
            ("candidate", build_site(store, week="2024-W38").candidates)) for i in items)}
    assert "groups/g0001.html" in first and "narratives/n001.html" in first
    assert first - {".narratives-site.json"} - second, "the test needs pages the second week does not have"
    assert _files(out) == second | {".narratives-site.json", "notes.txt", "narratives/my-notes.html"}
    assert not (out / "groups").exists()  # emptied by the cleanup; the site made it
    # a tampered manifest cannot make it delete anything but stale site pages inside the folder
    (out / ".narratives-site.json").write_text(
        '{"files": ["../outside.html", "notes.txt", "narratives/my-notes.html/../../notes.txt", "/etc/hostname"]}',
        encoding="utf-8")
    with fill_store(tmp_path / "s2.duckdb") as store:
        write_site(store, week="2024-W38", out_dir=out)
    assert (out / "notes.txt").exists() and (tmp_path / "outside.html").exists()
