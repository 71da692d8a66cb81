"""The HTML report in headless Chromium: renders without console errors, draws its SVG charts, and
hostile post text executes nothing. Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from narratives.report import build_report, render_html
from test_report import fill_store

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic", "--window-size=1280,1000")


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    for exe in ("chromium", "chromedriver"):
        if not shutil.which(exe):
            return f"{exe} is not installed (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium driven by chromedriver, with a fresh profile; skipped (or failed when
    NARRATIVES_REQUIRE_BROWSER=1, as in CI) without Chromium."""
    reason = _missing()
    if reason:
        if os.environ.get("NARRATIVES_REQUIRE_BROWSER") == "1":
            pytest.fail(f"NARRATIVES_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="narratives-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver, path: Path) -> list[dict]:
    """Load a file, return the console messages it produced."""
    driver.get_log("browser")  # drop earlier messages
    driver.get(path.as_uri())
    return driver.get_log("browser")


def save_screenshot(driver, path: Path) -> None:
    """A full-page PNG (the whole report, not only the first screen)."""
    import base64

    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1280, "height": int(height), "deviceScaleFactor": 1, "mobile": False})
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def save_preview(driver, path: Path, *, height: int = 1400, scale: float = 0.6) -> None:
    """A small PNG of the top of the page (for docs/): the first `height` CSS pixels, scaled down."""
    import base64

    full = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1280, "height": int(full), "deviceScaleFactor": 1, "mobile": False})
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": 1280, "height": min(height, int(full)), "scale": scale}})
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def test_report_renders_with_charts_and_no_console_errors(browser, tmp_path):
    with fill_store(tmp_path / "s.duckdb") as store:
        page = tmp_path / "report.html"
        page.write_text(render_html(build_report(store, week="2024-W41")), encoding="utf-8")
    logs = _open(browser, page)
    assert [m for m in logs if m["level"] in ("SEVERE", "WARNING")] == []
    assert browser.title == "Narratives report 2024-W41"
    count = browser.execute_script
    assert count("return document.querySelectorAll('svg.chart polyline.series').length") == 2  # active in W41
    assert count("return document.querySelectorAll('svg.chart circle.burst').length") == 1
    assert count("return document.querySelectorAll('svg.heatmap rect.cell').length") >= 2
    assert count("return document.querySelectorAll('svg.spark').length") == 2
    width = count("return document.querySelector('svg.chart').getBoundingClientRect().width")
    assert width > 300
    save_screenshot(browser, ARTIFACTS / "report-synthetic.png")
    assert (ARTIFACTS / "report-synthetic.png").stat().st_size > 10_000


def test_hostile_posts_execute_nothing(browser, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException

    with fill_store(tmp_path / "h.duckdb", hostile=True) as store:
        page = tmp_path / "hostile.html"
        page.write_text(render_html(build_report(store, week="2024-W41")), encoding="utf-8")
    logs = _open(browser, page)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    assert browser.title == "Narratives report 2024-W41"
    assert browser.execute_script("return window.pwned === undefined")
    assert browser.execute_script("return document.querySelectorAll('script, img, a, iframe, object, embed').length") == 0
    assert browser.execute_script("return getComputedStyle(document.body).display") == "block"
    # the payloads are on the page as text, and the very long word does not widen the page
    body = browser.execute_script("return document.body.innerText")
    assert '<script>document.title="pwned"' in body and "javascript:alert(1)" in body
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    assert [m for m in logs if m["level"] == "SEVERE"] == []
    save_screenshot(browser, ARTIFACTS / "report-hostile.png")


# --- the report site: click through from file://, no console errors, hostile text inert on every page ----

def _site(tmp_path, *, hostile: bool = False) -> Path:
    from test_report_site import _coordinate
    from narratives.report import write_site

    with fill_store(tmp_path / "site.duckdb", hostile=hostile) as store:
        _coordinate(store, *(("hostile-0", "hostile-1", "hostile-2", "insider-3-5") if hostile else
                             ("insider-3-0", "insider-3-1", "insider-3-2", "insider-3-3")))
        write_site(store, week="2024-W41", out_dir=tmp_path / "site")
    return tmp_path / "site"


def _problems(driver) -> list[dict]:
    return [m for m in driver.get_log("browser") if m["level"] in ("SEVERE", "WARNING")]


def _click(driver, href: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get_log("browser")
    driver.find_element(By.CSS_SELECTOR, f'a[href="{href}"]').click()


def _visible_rows(driver) -> int:
    return driver.execute_script("return Array.from(document.querySelectorAll('table.long tbody tr'))"
                                 ".filter(r => !r.hidden).length")


def test_site_clicks_through_from_file_url(browser, tmp_path):
    from selenium.webdriver.common.by import By

    index = _site(tmp_path) / "index.html"
    assert _open(browser, index) == []
    week_title = "Narratives report 2024-W41"
    assert browser.title == week_title
    save_screenshot(browser, ARTIFACTS / "site-week.png")
    save_preview(browser, ARTIFACTS / "preview-site-week.png")
    # the week page's long tables got their filter boxes (the hashed script ran)
    assert len(browser.find_elements(By.CSS_SELECTOR, "input.filter")) == 3

    _click(browser, "narratives/n001.html")
    assert browser.title == "n001 Insider trading · 2024-W41" and _problems(browser) == []
    assert browser.current_url.endswith("/narratives/n001.html")
    browser.execute_script("document.querySelector('details').open = true")
    assert _visible_rows(browser) == 40
    box = browser.find_element(By.CSS_SELECTOR, "details input.filter")
    box.send_keys("acct3_insider")
    assert 0 < _visible_rows(browser) < 40
    box.clear()
    box.send_keys("no such text")
    assert _visible_rows(browser) == 0
    browser.execute_script("var b = document.querySelector('details input.filter'); b.value = '';"
                           "b.dispatchEvent(new Event('input'))")
    likes = browser.find_element(By.XPATH, "//details//th[text()='likes']")
    likes.click()
    likes.click()  # descending
    first = browser.execute_script("return document.querySelector('details tbody tr').cells[4].textContent")
    assert first == "1"
    save_screenshot(browser, ARTIFACTS / "site-narrative.png")
    save_preview(browser, ARTIFACTS / "preview-site-narrative.png")
    assert _problems(browser) == []

    browser.back()
    assert browser.title == week_title
    _click(browser, "candidates/marco_rubio.html")
    assert browser.title == "marco_rubio · 2024-W41" and _problems(browser) == []
    assert browser.execute_script("return document.querySelectorAll('svg.chart polyline.series').length") == 2
    save_screenshot(browser, ARTIFACTS / "site-candidate.png")
    save_preview(browser, ARTIFACTS / "preview-site-candidate.png")
    _click(browser, "../narratives/n001.html")  # candidate -> narrative -> back to the week through the nav
    assert browser.title.startswith("n001 ")
    _click(browser, "../index.html")
    assert browser.title == week_title

    _click(browser, "groups/g0001.html")
    assert browser.title == "group g0001 · 2024-W41" and _problems(browser) == []
    save_screenshot(browser, ARTIFACTS / "site-group.png")
    save_preview(browser, ARTIFACTS / "preview-site-group.png")
    browser.back()
    assert browser.title == week_title and _problems(browser) == []


def test_hostile_posts_execute_nothing_on_any_site_page(browser, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException

    root = _site(tmp_path, hostile=True)
    pages = sorted(root.rglob("*.html"))
    assert len(pages) == 6
    for page in pages:
        logs = _open(browser, page)
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text
        assert browser.execute_script("return window.pwned === undefined"), page
        assert "pwned" not in browser.title
        assert browser.execute_script("return document.querySelectorAll('img, iframe, object, embed, form').length") == 0
        assert browser.execute_script("return document.scripts.length") == 1
        hrefs = browser.execute_script("return Array.from(document.querySelectorAll('a')).map(a => a.href)")
        assert all(h.startswith(root.resolve().as_uri() + "/") and h.endswith(".html") for h in hrefs), (page, hrefs)
        assert browser.execute_script("return getComputedStyle(document.body).display") == "block"
        assert [m for m in logs if m["level"] == "SEVERE"] == [], (page, logs)
        if page.parent.name == "groups":
            save_screenshot(browser, ARTIFACTS / "site-hostile-group.png")
