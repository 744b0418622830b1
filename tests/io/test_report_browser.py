"""The HTML report in a real headless Chromium (Debian's /usr/bin/chromium via playwright):
charts render, the events table sorts and filters, marks show, and it looks like something."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from iodocs import seed_docs, synthetic_documents

from unionie.render.report import write_report

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("UNIONIE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM}: install it with `apt-get install -y chromium`",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the playwright Python package is needed: pip install playwright")


def _docs():
    return seed_docs() + [d.to_dict(include_text=True) for d in synthetic_documents()]


@pytest.fixture(scope="module")
def report_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "report.html"
    write_report(_docs(), path, title="unionie report · seeds")
    return path


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, report_path):
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto(report_path.as_uri())
    pg.wait_for_load_state("load")
    yield pg
    assert errors == [], errors
    assert [u for u in requests if not u.startswith("file:")] == [], "the report fetched something"
    pg.close()


def _visible_rows(pg):
    return pg.locator("#events-table tbody tr:not([hidden])")


def _column(pg, col: int) -> list[str]:
    return pg.eval_on_selector_all(
        "#events-table tbody tr:not([hidden])",
        f"rows => rows.map(r => r.cells[{col}].getAttribute('data-v') ?? r.cells[{col}].textContent)")


def test_charts_render(page):
    charts = page.locator("svg.chart")
    assert charts.count() == 3
    for k in range(3):
        box = charts.nth(k).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 40
    bars = page.locator("#chart-types rect.bar")
    assert bars.count() == len({e["type"] for d in _docs() for e in d["events"]})
    widths = [bars.nth(k).bounding_box()["width"] for k in range(bars.count())]
    assert all(w > 0 for w in widths) and widths == sorted(widths, reverse=True)
    money = page.locator("#chart-money rect.bar")
    assert money.count() >= 2 and money.first.bounding_box()["width"] > 50


def test_sorting_changes_the_row_order(page):
    n = sum(len(d["events"]) for d in _docs())
    assert _visible_rows(page).count() == n
    before = _column(page, 6)
    page.locator("#events-table th button", has_text="money").click()
    asc = _column(page, 6)
    assert asc != before
    amounts = [float(v) for v in asc if v]
    assert amounts == sorted(amounts) and asc[len(amounts):] == [""] * (n - len(amounts))  # blanks last
    page.locator("#events-table th button", has_text="money").click()
    desc = [float(v) for v in _column(page, 6) if v]
    assert desc == sorted(desc, reverse=True) and desc[0] == 53380000.0
    assert page.locator("#events-table th[aria-sort=descending]").count() == 1
    page.locator("#events-table th button", has_text="trigger").click()
    assert _visible_rows(page).count() == n  # sorting hides nothing


def test_filtering_by_type_and_text(page):
    docs = _docs()
    n = sum(len(d["events"]) for d in docs)
    n_contest = sum(e["type"] == "contest" for d in docs for e in d["events"])
    page.select_option("#ev-type", "contest")
    assert _visible_rows(page).count() == n_contest
    assert set(page.eval_on_selector_all("#events-table tbody tr:not([hidden])",
                                         "rows => rows.map(r => r.dataset.type)")) == {"contest"}
    assert page.locator("#ev-count").inner_text() == f"{n_contest} of {n} events shown"
    page.fill("#ev-filter", "新区总工会")
    rows = _visible_rows(page)
    assert 0 < rows.count() < n_contest
    assert all("新区总工会" in t for t in rows.all_inner_texts())
    page.select_option("#ev-type", "")
    page.fill("#ev-filter", "safety_inspection")
    assert _visible_rows(page).count() == 1
    page.fill("#ev-filter", "")
    assert _visible_rows(page).count() == n


def test_marks_are_highlighted(page):
    for cls in ("trig", "arg", "qty", "ent"):
        marks = page.locator(f"details[open] .doc-text mark.{cls}")
        assert marks.count() > 0, cls
        box = marks.first.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0
    trig = page.locator("details[open] mark.trig.t-subsidy").first
    bg = trig.evaluate("m => getComputedStyle(m).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
    # the layer switch hides trigger backgrounds
    page.locator("input[data-layer=trig]").uncheck()
    assert trig.evaluate("m => getComputedStyle(m).backgroundColor") == "rgba(0, 0, 0, 0)"
    page.locator("input[data-layer=trig]").check()
    # hovering an argument outlines the rest of its event
    page.locator("details[open] mark.arg.r-amount").first.hover()
    assert page.locator("mark.focus").count() >= 2


def test_trigger_link_goes_to_the_text(page):
    link = page.locator("#events-table a.goto").first
    href = link.get_attribute("href")
    link.click()
    anchor = page.locator(href)
    assert anchor.count() == 1
    assert page.evaluate("() => location.hash") == href


def test_screenshot_is_not_blank(page, tmp_path):
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot))
    page.locator("#doc-1 .doc-text").scroll_into_view_if_needed()
    text_shot = tmp_path / "report-text.png"
    page.screenshot(path=str(text_shot))
    for path in (shot, text_shot):
        assert path.stat().st_size > 20_000
        try:
            from PIL import Image
        except ImportError:  # pragma: no cover - the PNG size above is the fallback check
            continue
        img = Image.open(path).convert("RGB")
        assert img.size == (1280, 900)
        colors = img.getcolors(maxcolors=1 << 20)
        assert colors is not None and len(colors) > 50, "too few colors: a blank page?"
        background = max(colors)[0]
        inked = 1 - background / (img.size[0] * img.size[1])
        assert inked > 0.05, f"only {inked:.1%} of the pixels differ from the background"
    keep = os.environ.get("UNIONIE_SCREENSHOT_DIR")
    if keep:  # for looking at it by eye
        shutil.copy(shot, Path(keep) / "report.png")
        shutil.copy(text_shot, Path(keep) / "report-text.png")
