"""Reports as users keep them: web pages, Word files, PDFs (unionie.io.sources and the readers).

The fixtures (formats_fixtures.py) are copies of the corpus reports made here, in four
web layouts, as .docx and as PDF; each copy must give the events of its plain text
(type, trigger text, and each argument's role, text and value), and each web page its
publication date, found on the page itself. The unreadable kinds (a scan, a locked PDF,
a junk .doc, a truncated .docx, two files with one stem) are named with their reason.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("trafilatura")
pytest.importorskip("docx")
pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

import unionie  # noqa: E402
from unionie.errors import (ConverterError, EncryptedError, FormatError, MissingExtraError,  # noqa: E402
                            NoTextLayerError)
from unionie.io.pdf_reader import PAGE_NUMBER  # noqa: E402
from unionie.io.sources import DEFAULT_GLOB, read, read_bytes, sniff_format  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
import formats_fixtures as F  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DOC_IDS = sorted(p.stem for p in F.REPORTS.glob("*.txt"))
#: Where each layout keeps its date.
DATE_FROM = {"gov": "dateline", "news": "meta", "wechat": "dateline", "jsonld": "json-ld"}


def events_key(doc: unionie.Document) -> list:
    """What must agree between copies: type, trigger text, arguments' role, text, value."""
    return sorted((e.type, e.trigger.text, tuple(sorted((a.role, a.text, str(a.value)) for a in e.arguments)))
                  for e in doc.events)


def check_offsets(doc: unionie.Document) -> None:
    spans = [*doc.quantities, *doc.dates, *doc.entities]
    for e in doc.events:
        spans += [e.trigger, *e.arguments]
    for s in spans:
        assert doc.text[s.start:s.end] == s.text


@pytest.fixture(scope="module")
def reports() -> dict[str, F.Report]:
    return {d: F.load_report(d) for d in DOC_IDS}


@pytest.fixture(scope="module")
def expected(reports) -> dict[str, list]:
    return {d: events_key(unionie.extract(r.plain, published=r.published)) for d, r in reports.items()}


# -- web pages ------------------------------------------------------------------------------
@pytest.mark.parametrize("layout", sorted(F.HTML_LAYOUTS))
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_web_page_gives_the_events_and_date_of_its_plain_text(tmp_path, reports, expected, layout, doc_id):
    r = reports[doc_id]
    path = tmp_path / f"{doc_id}.html"
    path.write_text(F.HTML_LAYOUTS[layout](r), encoding="utf-8")
    doc = unionie.extract_file(path)  # no date given: the page's own
    assert doc.published == r.published.isoformat()
    assert doc.source == {"path": str(path), "format": "html", "title": " ".join(r.title.split()),
                          "published_from": DATE_FROM[layout]}
    assert events_key(doc) == expected[doc_id]
    for story in F.OTHER_STORIES:  # related-news blocks, also inside the article, are dropped
        assert story not in doc.text
    for furniture in ("责任编辑", "分享到", "打印本页", "版权所有", "首页", "更新时间", "往期推荐", "阅读原文"):
        assert furniture not in doc.text
    check_offsets(doc)


def test_wechat_keeps_short_body_lines(reports):
    src = read_bytes(F.wechat_page(reports["jiangsu-suzhou-enterprise"]).encode(), "w.html")
    lines = src.text.splitlines()
    for short in ("01", "02", "▲活动现场", "一、坚持依法维权，劳动关系和谐稳定", "五、加强自身建设"):
        assert short in lines


def test_footer_update_time_is_never_the_publication_date():
    page = ("<html><head><title>区总工会举办职工技能大赛</title></head><body><h1>区总工会举办职工技能大赛</h1>"
            "<div class='content'><p>今年以来，区总工会举办职工技能大赛12场，参赛职工2000余人，"
            "其中一线职工占比超过六成，评出技术能手30名，发放奖金8万元。</p>"
            "<p>去年全区各级工会共慰问困难职工家庭300户，发放慰问金50万元。</p></div>"
            "<div class='footer'>网站更新时间：2024-06-01 版权所有 © 2024</div></body></html>")
    src = read_bytes(page.encode(), "p.html")
    assert (src.published, src.published_from) == (None, "none")
    assert "12场" in src.text and "2024-06-01" not in src.text


def test_gb2312_page_is_decoded_by_its_declared_charset(reports):
    page = F.gov_page(reports["zhenjiang-xinqu"]).replace('charset="utf-8"', 'charset="gb2312"')
    src = read_bytes(page.encode("gb18030"), "gb.htm")
    assert src.text == read_bytes(F.gov_page(reports["zhenjiang-xinqu"]).encode(), "u.htm").text


# -- Word -----------------------------------------------------------------------------------
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_word_file_gives_the_events_of_its_plain_text(tmp_path, reports, expected, doc_id):
    r = reports[doc_id]
    path = tmp_path / f"{doc_id}.docx"
    F.write_docx(r, path, table=False)
    doc = unionie.extract_file(path, published=r.published)
    assert events_key(doc) == expected[doc_id]
    assert "某市总工会文件" not in doc.text and "办公室印发" not in doc.text  # page header and footer dropped
    assert doc.source["format"] == "docx" and doc.source["published_from"] == "argument"
    check_offsets(doc)


def test_word_table_is_read_one_clause_per_row(tmp_path, reports):
    path = tmp_path / "t.docx"
    F.write_docx(reports["zhenjiang-xinqu"], path, table=True)
    text = read(path).text
    assert text.endswith("单位，户数，金额。\n" + F.table_plain() + "\n")
    doc = unionie.extract(text)
    figures = {q.text for q in doc.quantities}
    assert {"95户", "8.9万元", "120户", "12万元"} <= figures  # no two cells glued into one figure


def test_word_created_date_is_used_only_when_asked(tmp_path, reports):
    path = tmp_path / "c.docx"
    F.write_docx(reports["zhenjiang-xinqu"], path)
    plain = read(path)
    assert plain.file_date is not None and plain.published is None and plain.published_from == "none"
    asked = read(path, use_file_date=True)
    assert (asked.published, asked.published_from) == (plain.file_date, "file-metadata")


# -- PDF ------------------------------------------------------------------------------------
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_pdf_gives_the_events_of_its_plain_text(tmp_path, reports, expected, doc_id):
    r = reports[doc_id]
    path = tmp_path / f"{doc_id}.pdf"
    F.write_pdf(r, path)
    doc = unionie.extract_file(path, published=r.published)
    assert events_key(doc) == expected[doc_id]
    if len(r.plain) > 28 * 36:  # more than one page: the running header is known as such
        assert "某市总工会年度工作报告" not in doc.text
    assert not any(PAGE_NUMBER.match(ln) for ln in doc.text.splitlines())
    check_offsets(doc)


@pytest.mark.parametrize("para, cut, joined", [
    ("新区总工会投入资金8.9万元，慰问困难职工家庭95户，发放慰问品300份。", "9", "95户"),
    ("全年共组织职工疗休养46批次，参与一线职工1750余人。", "人", "1750余人。"),
    ("举办职工技能大赛12场，参赛职工2000余人次，评出技术能手30名。", "2", "12场"),
], ids=["2|个", "1750余人|。", "12|场"])
def test_pdf_figure_broken_across_lines_is_one_figure_again(tmp_path, para, cut, joined):
    per_line = para.index(joined) + joined.index(cut) + 1  # the line ends right after `cut`
    body = F.load_report("zhenjiang-xinqu").lines[:6]
    r = F.Report("x", "某区总工会工作总结", [*body[:3], para, *body[3:]], dt.date(2021, 3, 5))
    path = tmp_path / "x.pdf"
    F.write_pdf(r, path, per_line=per_line, lines_per_page=12)  # pages enough to know the header
    text = read(path).text
    assert text.splitlines() == [r.title, *r.lines]
    assert joined in {q.text for q in unionie.extract(text).quantities} or joined.rstrip("。") in {
        q.text for q in unionie.extract(text).quantities}


@pytest.mark.parametrize("line, number", [
    ("— 3 —", True), ("- 12 -", True), ("第3页", True), ("第 3 页 共 9 页", True), ("3/9", True),
    ("7", True), ("Page 2 of 5", True),
    ("一、强化思想引领", False), ("（一）基层组织建设", False), ("3个", False), ("2023年", False),
])
def test_page_number_lines(line, number):
    assert bool(PAGE_NUMBER.match(line)) is number


# -- format detection -----------------------------------------------------------------------
@pytest.mark.parametrize("data, name, fmt", [
    (b"%PDF-1.7\n...", "a.txt", "pdf"),
    (b"PK\x03\x04....", "a.docx", "docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", "a.doc", "doc"),
    (b"{\\rtf1\\ansi ...", "a.doc", "rtf"),
    (b"<!DOCTYPE html><html>...", "saved.txt", "html"),
    (b"\xef\xbb\xbf<html><body>...", "a", "html"),
    ("工会工作报告".encode(), "a.md", "md"),
    ("工会工作报告".encode(), "a.html", "html"),
    ("工会工作报告".encode(), "a.txt", "txt"),
], ids=["pdf-named-txt", "docx", "doc", "rtf-named-doc", "html-named-txt", "html-bom", "md", "html-ext", "txt"])
def test_format_is_found_by_content_then_extension(data, name, fmt):
    assert sniff_format(data, name) == fmt


def test_cli_default_glob_is_every_supported_format():
    from unionie.cli import main

    glob = next(p for p in main.commands["extract"].params if p.name == "glob")
    assert DEFAULT_GLOB in (glob.help or "")


# -- unreadable kinds -----------------------------------------------------------------------
def _bad_kinds(folder: Path, r: F.Report) -> dict[str, str]:
    """The unreadable kinds, each with the error code it must give."""
    F.write_scan(folder / "scan.pdf")
    F.write_pdf(r, folder / "locked.pdf", password="secret")
    (folder / "junk.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    F.write_docx(r, folder / "whole.docx")
    data = (folder / "whole.docx").read_bytes()
    (folder / "whole.docx").unlink()
    (folder / "truncated.docx").write_bytes(data[: len(data) // 2])
    pdf = folder / "cut.pdf"
    F.write_pdf(r, pdf)
    pdf.write_bytes(pdf.read_bytes()[:-600])
    return {"scan.pdf": "U303", "locked.pdf": "U304", "junk.doc": "U305", "truncated.docx": "U302",
            "cut.pdf": "U302"}


@pytest.mark.parametrize("name, error, words", [
    ("scan.pdf", NoTextLayerError, ["no text layer", "OCR"]),
    ("locked.pdf", EncryptedError, ["password-protected"]),
    ("junk.doc", ConverterError, ["antiword", "libreoffice --headless --convert-to docx"]),
    ("truncated.docx", FormatError, ["truncated or corrupt", "ZIP"]),
    ("cut.pdf", FormatError, ["truncated", "%%EOF"]),
])
def test_unreadable_kinds_say_why(tmp_path, reports, name, error, words):
    _bad_kinds(tmp_path, reports["zhenjiang-xinqu"])
    with pytest.raises(error) as info:
        read(tmp_path / name)
    msg = str(info.value)
    assert str(tmp_path / name) in msg
    for w in words:
        assert w in msg


def test_folder_of_good_and_bad_reports(tmp_path, reports):
    folder = tmp_path / "in"
    folder.mkdir()
    r = reports["zhenjiang-xinqu"]
    good = {"page": "html", "word": "docx", "brief": "pdf", "plain": "txt", "notes": "md"}
    (folder / "page.html").write_text(F.news_page(r), encoding="utf-8")
    F.write_docx(r, folder / "word.docx")
    F.write_pdf(r, folder / "brief.pdf")
    (folder / "plain.txt").write_text(r.plain, encoding="utf-8")
    (folder / "notes.md").write_text(r.plain, encoding="utf-8")
    bad = _bad_kinds(folder, r)
    (folder / "sub").mkdir()
    (folder / "sub" / "plain.md").write_text("同名", encoding="utf-8")
    (folder / "plain.txt").rename(folder / "plain.txt")
    out = tmp_path / "out.jsonl"
    run = subprocess.run([sys.executable, "-m", "unionie", "extract", str(folder), "-o", str(out), "-q"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1, run.stderr
    docs = [json.loads(ln) for ln in out.read_text(encoding="utf-8").splitlines()]
    assert {d["doc_id"]: d["source"]["format"] for d in docs} == {k: v for k, v in good.items() if k != "plain"}
    assert all(d["events"] for d in docs)
    errors = [json.loads(ln) for ln in Path(f"{out}.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    named = {Path(e["source"]).name: e["code"] for e in errors}
    # two files with one stem: both named, neither written
    assert named == {**bad, "plain.txt": "U307", "plain.md": "U307"}
    clash = next(e for e in errors if e["code"] == "U307")
    assert "plain.txt" in clash["error"] and "plain.md" in clash["error"]
    for e in errors:
        assert e["source"] in run.stderr


def test_missing_library_names_the_extra(monkeypatch, reports):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # as if not installed
    with pytest.raises(MissingExtraError, match=r'pip install "unionie\[formats\]"'):
        read_bytes(F.gov_page(reports["zhenjiang-xinqu"]).encode(), "p.html")


# -- API and outputs ------------------------------------------------------------------------
def test_read_extract_many_and_dataframe_show_title_and_source(tmp_path, reports):
    pd = pytest.importorskip("pandas")
    r = reports["zhenjiang-xinqu"]
    (tmp_path / "page.html").write_text(F.jsonld_page(r), encoding="utf-8")
    (tmp_path / "plain.txt").write_text(r.plain, encoding="utf-8")
    src = unionie.read(tmp_path / "page.html")
    assert (src.format, src.published, src.published_from) == ("html", r.published, "json-ld")
    docs = list(unionie.extract_many(sorted(tmp_path.iterdir())))
    assert [d.doc_id for d in docs] == ["page", "plain"]
    assert docs[0].published == r.published.isoformat()
    assert docs[1].source == {"path": str(tmp_path / "plain.txt"), "format": "txt", "title": None,
                              "published_from": "none"}
    two = list(unionie.extract_many(sorted(tmp_path.iterdir()), n_process=2))
    assert [d.to_dict() for d in two] == [d.to_dict() for d in docs]
    df = unionie.to_dataframe(docs, level="documents")
    assert isinstance(df, pd.DataFrame)
    assert df["title"][0] == " ".join(r.title.split()) and pd.isna(df["title"][1])
    assert list(df["source"]) == [str(tmp_path / "page.html"), str(tmp_path / "plain.txt")]
    assert list(df["published_from"]) == ["json-ld", "none"]


def test_python_dash_m_unionie_help():
    run = subprocess.run([sys.executable, "-m", "unionie", "--help"], capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "unionie extract" in run.stdout
