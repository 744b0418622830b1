"""Web pages: the article's main text, its headline and its publication date.

trafilatura finds the main text (it drops navigation, sidebars, footers and most page
furniture); what it leaves is mended around it, never by parsing HTML by hand (lxml
parses, both before and after):

* before: blocks headed 相关新闻 / 热点排行 / 往期推荐 / 推荐阅读 / 相关阅读 … are removed from
  the tree, also where they sit inside the article's own element (they list other
  stories' headlines, which would be read as events of this report);
* after: editor, source and share lines (责任编辑：…, 来源：… 编辑：…, 分享到, 阅读原文,
  【打印本页】, 上一篇 / 下一篇, copyright) are dropped; short lines of the body
  (一、…, （一）…, 01, captions) are kept.

The date comes from the page itself, in this order: meta tags (article:published_time,
PubDate, publishdate, …; ``published_from="meta"``), JSON-LD ``datePublished``
(``"json-ld"``), a ``<time>`` element (``"meta"``), the visible 发布时间/日期 line under
the headline or WeChat's ``#publish_time`` (``"dateline"``), and htmldate's reading of the
markup (``"meta"``). An 更新时间 or copyright line in the footer is never used.

The headline (``<h1>``, else og:title, else ``<title>``) is the document's title; it
starts the text unless the body already repeats it.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any

from .readers import _decode_as, decode_bytes
from .source import Source, parse_date, require

__all__ = ["read_html", "BLOCK_HEADS"]

#: Headings of blocks that list other stories: removed with the links under them.
BLOCK_HEADS = re.compile(
    r"^\s*[【\[]?\s*(相关新闻|相关阅读|相关文章|相关链接|相关报道|延伸阅读|推荐阅读|往期推荐|往期回顾|往期精彩|"
    r"精彩推荐|热点排行|热门排行|热门文章|热点新闻|点击排行|阅读排行|猜你喜欢|更多阅读|更多新闻|最新文章|"
    r"热门推荐|专题推荐|今日推荐|图片新闻)\s*[】\]]?\s*[:：]?\s*$")

#: Lines of page furniture that trafilatura may leave in the text.
_FURNITURE = re.compile(
    r"^\s*[（(【\[]?\s*(?:责任编辑|责编|编辑|审核|审校|校对|初审|复审|终审|监制|排版|美编|撰稿|作者|来源|"
    r"出处|摄影|图片|供稿|投稿邮箱)\s*[:：]"
    r"|^\s*(?:分享到|分享[:：]|扫一扫|微信扫一扫|阅读原文|【?打印本页|【?关闭窗口|上一篇|下一篇|返回顶部|"
    r"版权所有|Copyright|©|广告(?:\s|$|位)|标签[:：]|关键词[:：]|浏览次数|点击数|字体[:：]|【字体|阅读\s*[\d.]+万?\s*在看)"
    r"|ICP备|京公网安备",
    re.IGNORECASE)
_META_NAMES = ("article:published_time", "og:article:published_time", "og:published_time", "pubdate",
               "publishdate", "publish_date", "publish-date", "publishtime", "publishedtime",
               "firstpublishedtime", "datepublished", "dc.date.issued", "dc.date", "dcterms.issued",
               "dcterms.created", "sailthru.date", "article.published", "date", "weibo:article:create_at")
_DATELINE = re.compile(r"(?:发布时间|发布日期|发表时间|发布于|发稿时间|成文日期|發布時間|發佈時間|發布日期|日期|时间|時間)\s*[:：]?\s*"
                       r"((?:19|20)\d{2}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2})")
#: Dates that are not the publication date: update times, copyright years (cut out first).
_NOT_PUBLISHED = re.compile(r"(?:最后|最後|网站|網站)?(?:更新|修改|修订)(?:时间|時間|日期|于|於)?\s*[:：]?\s*"
                            r"(?:19|20)\d{2}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}"
                            r"|(?:版权所有|版權所有|©|Copyright)[^\n]*", re.IGNORECASE)
#: How far after the headline (characters of visible text) a dateline is looked for.
_DATELINE_WINDOW = 300
_BARE_DATE = re.compile(r"^\s*((?:19|20)\d{2}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2})")


def read_html(data: bytes | str, name: str = "<html>", *, encoding: str = "auto") -> Source:
    """Read a saved web page (bytes or str) into a :class:`~unionie.io.sources.Source`."""
    trafilatura = require("trafilatura", "reading web pages")
    lxml_html = require("lxml.html", "reading web pages")
    if isinstance(data, bytes):
        text = _decode_html(data, name) if encoding == "auto" else _decode_as(data, encoding, name)
    else:
        text = data
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str with an encoding declaration
    if not text.strip():
        return Source(text="", format="html", path=name)
    tree = lxml_html.document_fromstring(text)
    title = _headline(tree)
    published, how = _page_date(tree, text, title)
    head = tree.find("head")
    if published is None and head is not None:  # htmldate, on the head's markup only (never the text)
        htmldate = require("htmldate", "reading web pages")
        published = parse_date(htmldate.find_date(
            "<html>" + lxml_html.tostring(head, encoding="unicode") + "<body></body></html>",
            extensive_search=False, original_date=True, outputformat="%Y-%m-%d"))
        how = "meta"
    _drop_blocks(tree)
    doc = trafilatura.bare_extraction(tree, with_metadata=False, include_comments=False,
                                      include_tables=True, include_images=False, favor_recall=True,
                                      deduplicate=False)
    body = (doc.text if doc is not None else "") or ""
    lines = [ln.strip() for ln in body.splitlines()]
    kept = [ln for ln in lines if ln and not _FURNITURE.search(ln) and not BLOCK_HEADS.match(ln)]
    # the dateline under the headline is page furniture once the date is known
    kept = [ln for i, ln in enumerate(kept) if not (i < 4 and published is not None and _is_dateline(ln))]
    if title is None and doc is not None and doc.title:
        title = doc.title.strip()
    if title and not any(_same(title, ln) for ln in kept[:3]):
        kept.insert(0, title)
    body_text = "\n".join(kept) + ("\n" if kept else "")
    return Source(text=body_text, format="html", path=name, title=title, published=published,
                  published_from=how if published else "none")


def _decode_html(data: bytes, name: str) -> str:
    """The page's declared charset when it decodes strictly, else unionie's detection."""
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", data[:4096], re.IGNORECASE)
    if m:
        enc = m.group(1).decode("ascii").lower()
        enc = {"gb2312": "gb18030", "gbk": "gb18030"}.get(enc, enc)
        try:
            return data.decode(enc).lstrip("\ufeff")
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, name)


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _same(title: str, line: str) -> bool:
    a, b = re.sub(r"\W", "", title), re.sub(r"\W", "", line)
    return bool(a) and (a == b or (len(a) >= 6 and b.startswith(a)))


def _headline(tree: Any) -> str | None:
    for xp in ('//h1[@id="activity-name"]', "//h1", '//meta[@property="og:title"]/@content',
               '//*[contains(@class,"title")][self::h2 or self::h3]', "//title"):
        for hit in tree.xpath(xp):
            t = _clean(hit if isinstance(hit, str) else hit.text_content())
            if t:
                if xp == "//title":  # "headline_site" / "headline - site"
                    t = re.split(r"\s*[_|｜]\s*|\s+[-—–]\s+", t)[0].strip() or t
                return t
    return None


def _page_date(tree: Any, html_text: str, title: str | None) -> tuple[_dt.date | None, str]:
    """The page's publication date and where it came from (never the footer)."""
    for m in tree.xpath("//meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        if key in _META_NAMES:
            d = parse_date(m.get("content"))
            if d:
                return d, "meta"
    for s in tree.xpath('//script[@type="application/ld+json"]'):
        d = _jsonld_date(s.text_content())
        if d:
            return d, "json-ld"
    for t in tree.xpath("//time[@datetime or @pubdate]"):
        if not t.xpath("ancestor::footer"):
            d = parse_date(t.get("datetime") or t.text_content())
            if d:
                return d, "meta"
    for em in tree.xpath('//*[@id="publish_time" or @id="post-date" or @id="pubtime" or @class="pubtime"]'):
        d = parse_date(em.text_content())
        if d:
            return d, "dateline"
    d = _dateline(tree, title)
    if d:
        return d, "dateline"
    return None, "none"


def _jsonld_date(raw: str) -> _dt.date | None:
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            d = parse_date(str(x.get("datePublished") or "")) or (
                parse_date(str(x.get("dateCreated") or "")) if "dateCreated" in x else None)
            if d:
                return d
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(reversed(x))
    return None


def _dateline(tree: Any, title: str | None) -> _dt.date | None:
    """A 发布时间/日期 line (or a bare date) within a few lines after the headline."""
    body = tree.find("body")
    if body is None:
        return None
    for bad in body.xpath(".//script|.//style|.//footer"):
        bad.drop_tree() if bad.getparent() is not None else None
    text = _NOT_PUBLISHED.sub(" ", body.text_content())
    start = text.find(title) if title else -1
    window = text[max(start, 0) + (len(title) if title and start >= 0 else 0):][:_DATELINE_WINDOW]
    m = _DATELINE.search(window)
    if m is None:  # a bare date alone on a line right under the headline
        lines = [ln.strip() for ln in window.splitlines() if ln.strip()]
        m = next((b for b in (_BARE_DATE.match(ln) for ln in lines[:3] if len(ln) < 40) if b), None)
    return parse_date(m.group(1)) if m else None


def _is_dateline(line: str) -> bool:
    return len(line) < 80 and bool(_DATELINE.search(line) or (_BARE_DATE.match(line) and len(line) < 30))


def _drop_blocks(tree: Any) -> None:
    """Remove 相关新闻 / 往期推荐 … blocks: the heading and the links under it."""
    heads = [el for el in tree.iter() if isinstance(el.tag, str) and el.tag not in ("html", "body", "script", "style")
             and len(el) <= 3 and BLOCK_HEADS.match(el.text_content() or "")]
    for el in heads:
        if el.getparent() is None or not _attached(el, tree):
            continue
        top = el  # climb the wrappers that hold only the heading (<p><span><strong>)
        while top.getparent() is not None and _clean(top.getparent().text_content()) == _clean(el.text_content()):
            top = top.getparent()
        parent = top.getparent()
        if parent is None:
            continue
        rest = _clean(parent.text_content()).replace(_clean(el.text_content()), "", 1)
        links = sum(len(_clean(a.text_content())) for a in parent.iter("a"))
        if rest and links >= 0.5 * len(rest.replace(" ", "")) and parent.tag not in ("body", "html"):
            parent.drop_tree()
            continue
        sib = top.getnext()  # a heading directly in the article: drop it and the link lines after it
        top.drop_tree()
        while sib is not None:
            nxt = sib.getnext()
            t = _clean(sib.text_content())
            link = sum(len(_clean(a.text_content())) for a in sib.iter("a"))
            if t and link < 0.5 * len(t.replace(" ", "")):
                break
            sib.drop_tree()
            sib = nxt


def _attached(el: Any, tree: Any) -> bool:
    root = el
    while root.getparent() is not None:
        root = root.getparent()
    return root is tree or root is tree.getroottree().getroot()
