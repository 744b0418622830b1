"""The activities view of ``unionie report``: real files in, the HTML parsed with lxml, every
mention's link leads to a clause in the documents' sections whose text is the mention's."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import unionie
from unionie.activity import activities
from unionie.activity.html import ReportActivities
from unionie.cli import main
from unionie.render.report import write_report

lxml_html = pytest.importorskip("lxml.html")

DOCS = Path(__file__).resolve().parents[2] / "corpus" / "activities" / "docs"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The activities collection and a portal's repost of one of its news items."""
    d = tmp_path_factory.mktemp("reports")
    for p in DOCS.glob("*.txt"):
        shutil.copy(p, d / p.name)
    text = (DOCS / "xuzhou-news-sports.txt").read_text(encoding="utf-8")
    (d / "xuzhou-news-sports-portal.txt").write_text("来源：某某网\n" + text.replace("，", ","), encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def page(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "report.html"
    res = CliRunner().invoke(main, ["report", str(folder), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    return lxml_html.parse(str(out)).getroot()


def _rows(root):
    return root.xpath('//table[@id="activities-table"]/tbody/tr')


def test_every_mention_links_to_its_clause(page):
    links = page.xpath('//table[@id="activities-table"]//a[contains(@class, "mention")]')
    assert len(links) >= 40
    for a in links:
        href = a.get("href")
        assert href.startswith("#d")
        targets = page.xpath(f'//*[@id="{href[1:]}"]')
        assert len(targets) == 1, href
        target = targets[0]
        assert target.xpath('ancestor::div[@class="doc-text"]'), href  # in a document's text
        assert target.tag == "span" and target.get("class") == "clause", href
        assert target.text_content() == a.text_content(), href


def _text_after(root, anchor_id: str) -> str:
    """The document text from an element to the end of its document."""
    el = root.xpath(f'//*[@id="{anchor_id}"]')[0]
    return "".join(el.xpath("following::text()"))


# (clauses as (start, end) of each event, in "甲乙丙丁戊己庚辛壬癸": expected rendering per event:
#  ("span", its text) wrapped, or ("anchor", the text it starts) when it crosses an earlier clause)
CLAUSES = [
    ([(0, 5), (1, 3)], [("span", "甲乙丙丁戊"), ("span", "乙丙")]),  # nested
    ([(0, 4), (4, 8)], [("span", "甲乙丙丁"), ("span", "戊己庚辛")]),  # adjacent
    ([(0, 5), (3, 8)], [("span", "甲乙丙丁戊"), ("anchor", "丁戊己庚辛壬癸")]),  # crossing
    ([(2, 6), (2, 6)], [("span", "丙丁戊己"), ("span", "丙丁戊己")]),  # one clause, two events
    ([(3, 9), (0, 4)], [("anchor", "丁戊己庚辛壬"), ("span", "甲乙丙丁")]),  # the earlier-starting one wins
]


@pytest.mark.parametrize("spans,expected", CLAUSES)
def test_clause_targets(spans, expected):
    from unionie.render.pages import highlight_document

    text = "甲乙丙丁戊己庚辛壬癸"
    events = [{"type": "training", "start": s, "end": e, "trigger": {"text": text[s], "start": s, "end": s + 1},
               "arguments": [{"role": "amount", "text": text[e - 1], "start": e - 1, "end": e}]} for s, e in spans]
    hl = highlight_document({"text": text, "events": events}, anchor_prefix="t-e", clause_prefix="t-c")
    root = lxml_html.fromstring(f'<div class="doc-text">{hl.html}</div>')
    assert root.text_content() == text  # the marks add no text
    for i, (kind, want) in enumerate(expected):
        el = root.xpath(f'//*[@id="t-c{i}"]')[0]
        if kind == "span":
            assert (el.tag, el.text_content()) == ("span", want)
        else:
            assert el.tag == "a" and el.text_content() == "" and _text_after(root, f"t-c{i}").startswith(want)


def test_rows_are_the_activities_of_the_collection(page, folder):
    docs = list(unionie.extract_many(sorted(folder.glob("*.txt"))))
    want = sorted((a.type, tuple((m.doc_id, m.event, m.text) for m in a.mentions)) for a in activities(docs))
    got = []
    names = {d.get("id"): d.xpath("summary/b")[0].text_content() for d in page.xpath('//details[@class="doc"]')}
    for tr in _rows(page):
        cells = tr.xpath("td")
        mentions = []
        for a in tr.xpath('.//a[contains(@class, "mention")]'):
            n, event = a.get("href")[2:].split("-c")
            mentions.append((names[f"doc-{n}"], int(event), a.text_content()))
        got.append((cells[1].text_content(), tuple(mentions)))
    assert sorted(got) == want
    assert len(got) < sum(len(m) for _, m in got)  # some activities are reported more than once


def test_row_shows_type_organizer_year_figures_total(page):
    rows = {tr.xpath("td")[0].text_content(): tr for tr in _rows(page)}
    joined = [tr for tr in rows.values() if len(tr.xpath('.//a[contains(@class, "mention")]')) > 1]
    assert joined
    repost = [tr for tr in joined if "xuzhou-news-sports-portal" in tr.text_content()]
    assert repost and "徐州市总工会" in repost[0].xpath("td")[2].text_content()
    assert any(tr.xpath("td")[5].text_content() == "total" for tr in rows.values())
    assert all(tr.xpath("td")[3].text_content().strip() for tr in joined)  # a year or period
    assert any(":" in tr.xpath("td")[4].text_content() for tr in joined)  # role: figures


def test_no_activities_option_and_python_api(folder, tmp_path):
    out = tmp_path / "plain.html"
    res = CliRunner().invoke(main, ["report", str(folder), "-o", str(out), "-q", "--no-activities"])
    assert res.exit_code == 0, res.output
    root = lxml_html.parse(str(out)).getroot()
    assert not root.xpath('//*[@id="activities"]') and not root.xpath('//span[@class="clause"]')
    docs = list(unionie.extract_many(sorted(folder.glob("*.txt"))[:3]))
    write_report(docs, tmp_path / "api.html", activities=ReportActivities())
    root = lxml_html.parse(str(tmp_path / "api.html")).getroot()
    assert root.xpath('//section[@id="activities"]') and root.xpath('//nav/a[@href="#activities"]')
