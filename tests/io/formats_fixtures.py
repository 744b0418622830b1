"""Copies of the corpus reports as users keep them: web pages in four real site layouts,
Word files and PDFs, plus the unreadable kinds (a scan, a locked PDF, a junk .doc, a
truncated .docx). Every fixture is written into a folder given by the test (tmp_path),
so nothing binary is committed and a fresh CI machine builds them the same way.

Each layout wraps the report in the furniture its kind of site has: navigation,
breadcrumbs, share bars, sidebars, "相关新闻 / 热点排行 / 往期推荐 / 推荐阅读" blocks (some
inside the article element) whose headlines are union news that would give events if they
were read, editor lines, ads and a footer with an "更新时间" and a copyright year.
"""
from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "corpus" / "reports"

#: Other stories' headlines, as related-news blocks show them: each would give an event.
OTHER_STORIES = [
    "市总工会投入资金50万元慰问困难职工家庭300户",
    "区总工会举办职工技能大赛12场，参赛职工2000余人",
    "县总工会开展送清凉活动，慰问一线职工5000人次",
    "新建基层工会组织45家，发展会员3200人",
]
#: The footer's dates: never the publication date.
FOOTER = "版权所有：某市总工会 © 2024 网站更新时间：2024-06-01 技术支持：某信息公司"


@dataclass
class Report:
    """One corpus report cut into a headline and body lines, and a publication date."""

    doc_id: str
    title: str
    lines: list[str]
    published: dt.date

    @property
    def plain(self) -> str:
        """The plain text whose events every copy must give: the headline and the body."""
        return "\n".join([self.title, *self.lines]) + "\n"


def load_report(doc_id: str, published: dt.date = dt.date(2021, 3, 5)) -> Report:
    text = (REPORTS / f"{doc_id}.txt").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    # lines of the saved page around the report (menus, 发布时间) are not the report's body
    body = [ln for ln in lines if not _furniture(ln)]
    return Report(doc_id, body[0], body[1:], published)


#: Lines of the saved pages the corpus texts were copied from (menus, datelines, prev/next
#: links, editor lines, footers): not part of the report, so not in the fixtures' body.
_PAGE_LINES = ("您现在的位置", "发布时间", "發布時間", "来源:", "来源：", "首页", "打造网上", "上一篇", "下一篇",
               "打印本页", "关闭窗口", "ICP备", "版权", "Copyright", "责任编辑", "编辑：", "主办", "联系电话")


def _furniture(line: str) -> bool:
    return any(k in line for k in _PAGE_LINES)


def _ps(lines: list[str], wrap: str = "p") -> str:
    return "\n".join(f"<{wrap}>{html.escape(ln)}</{wrap}>" for ln in lines)


def _related(title: str, tag: str = "div", cls: str = "related") -> str:
    items = "".join(f'<li><a href="/n/{i}.html">{s}</a><span>2024-05-2{i}</span></li>'
                    for i, s in enumerate(OTHER_STORIES))
    return f'<{tag} class="{cls}"><h3>{title}</h3><ul>{items}</ul></{tag}>'


def gov_page(r: Report) -> str:
    """A government site: dateline under the headline, #zoom body, 相关新闻 inside the
    article box, a 热点排行 sidebar, a footer with 更新时间."""
    d = r.published
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(r.title)}_某市总工会</title></head>
<body><div class="top"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/gzdt">工作动态</a></li>
<li><a href="/zwgk">政务公开</a></li><li><a href="/bsfw">办事服务</a></li><li><a href="/hdjl">互动交流</a></li></ul></div>
<div class="crumb">您现在的位置：<a href="/">首页</a> &gt; <a href="/gzdt">工作动态</a> &gt; 正文</div>
<div class="main"><div class="article">
<h1>{html.escape(r.title)}</h1>
<div class="info">发布时间：{d:%Y-%m-%d} 10:32　来源：某市总工会　浏览次数：1024　【字体：大 中 小】</div>
<div id="zoom" class="TRS_Editor">
{_ps(r.lines)}
</div>
<div class="share">分享到：微信 微博 QQ空间</div>
<div class="print">【打印本页】【关闭窗口】</div>
{_related("相关新闻")}
</div>
<div class="side">{_related("热点排行", "div", "rank")}</div></div>
<div class="footer"><p>{FOOTER}</p><p>地址：某市人民路1号 邮编：100000 备案号：京ICP备12345678号</p></div>
</body></html>"""


def news_page(r: Report) -> str:
    """A news portal: meta article:published_time, <time> in the article, an editor line,
    推荐阅读 inside the <article>, an ad, a sidebar and a footer."""
    d = r.published
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta property="article:published_time" content="{d:%Y-%m-%d}T09:15:00+08:00">
<meta property="og:title" content="{html.escape(r.title)}">
<title>{html.escape(r.title)} - 某某新闻网</title></head>
<body><header><nav><a href="/">首页</a> <a href="/gn">国内</a> <a href="/sh">社会</a> <a href="/gh">工会</a> <a href="/ty">体育</a></nav></header>
<div class="ad">广告 点击领取新人红包 立即下载客户端</div>
<main><article>
<h1 class="title">{html.escape(r.title)}</h1>
<div class="meta"><time datetime="{d:%Y-%m-%d}T09:15:00+08:00">{d:%Y-%m-%d} 09:15</time> <span>来源：某某日报</span></div>
<div class="content">
{_ps(r.lines)}
<p class="editor">（责任编辑：王小明）</p>
</div>
{_related("推荐阅读", "section", "recommend")}
</article>
<aside>{_related("热点排行", "div", "hot")}<div class="ad">广告位招租 联系电话 010-12345678</div></aside></main>
<footer><p>关于我们 | 联系我们 | 网站地图</p><p>{FOOTER}</p></footer>
</body></html>"""


def wechat_page(r: Report) -> str:
    """A WeChat article as a browser saves it: #js_content with nested sections and spans,
    short heads ("01") and a caption, 往期推荐 at the end of the article's own element."""
    d = r.published
    half = len(r.lines) // 2
    body = ("<section><p><span><strong>01</strong></span></p></section>\n"
            + "\n".join(f'<section style="margin:0"><p style="text-indent:2em"><span style="font-size:15px">'
                        f"{html.escape(ln)}</span></p></section>" for ln in r.lines[:half])
            + '\n<p><img src="a.jpg" data-src="a.jpg"></p><p style="text-align:center"><span>▲活动现场</span></p>\n'
            + "<section><p><span><strong>02</strong></span></p></section>\n"
            + "\n".join(f"<p><span>{html.escape(ln)}</span></p>" for ln in r.lines[half:]))
    recommend = "".join(f'<p><a href="https://mp.weixin.qq.com/s/{i}"><span>{s}</span></a></p>'
                        for i, s in enumerate(OTHER_STORIES))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta property="og:title" content="{html.escape(r.title)}"><title>{html.escape(r.title)}</title></head>
<body><div id="page-content" class="rich_media">
<h1 class="rich_media_title" id="activity-name">{html.escape(r.title)}</h1>
<div id="meta_content" class="rich_media_meta_list"><span class="rich_media_meta rich_media_meta_text">原创</span>
<span class="rich_media_meta_nickname" id="profileBt"><a id="js_name">某市总工会</a></span>
<em id="publish_time" class="rich_media_meta rich_media_meta_text">{d.year}年{d.month}月{d.day}日 18:30</em></div>
<div class="rich_media_content" id="js_content">
{body}
<section><p><span><strong>往期推荐</strong></span></p>{recommend}</section>
<p><span>来源：某市总工会 编辑：李华 审核：张强</span></p>
</div>
<div class="rich_media_tool"><a id="js_view_source">阅读原文</a> 阅读 1.2万 在看 66 分享 收藏</div>
</div></body></html>"""


def jsonld_page(r: Report) -> str:
    """A page whose only date is in JSON-LD; a footer with a later 更新时间 and ©."""
    d = r.published
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": r.title,
          "datePublished": f"{d:%Y-%m-%d}T08:00:00+08:00", "dateModified": "2024-06-01T00:00:00+08:00"}
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(r.title)}</title>
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script></head>
<body><div class="header"><a href="/">网站首页</a> | <a href="/news">新闻中心</a> | <a href="/about">关于我们</a></div>
<div class="breadcrumb"><a href="/">首页</a> / <a href="/news">新闻中心</a> / 正文</div>
<div class="post"><h2 class="post-title">{html.escape(r.title)}</h2>
<div class="post-body">{_ps(r.lines)}</div>
<div class="tags">标签：工会 职工</div><div class="share">分享：微信 微博</div></div>
<div class="sidebar">{_related("相关阅读", "div", "rel")}</div>
<div class="footer">{FOOTER}</div></body></html>"""


HTML_LAYOUTS = {"gov": gov_page, "news": news_page, "wechat": wechat_page, "jsonld": jsonld_page}


# -- Word -----------------------------------------------------------------------------------
TABLE = [("单位", "户数", "金额"), ("城区工会", "95户", "8.9万元"), ("开发区工会", "120户", "12万元")]


def write_docx(r: Report, path: Path, table: bool = True) -> None:
    """The report as a Word file: a page header and footer (with a page number field's
    text), each body line a paragraph whose text is split over several runs, and a table."""
    import docx

    d = docx.Document()
    sec = d.sections[0]
    sec.header.paragraphs[0].text = "某市总工会文件　内部资料"
    sec.footer.paragraphs[0].text = "— 1 —　某市总工会办公室印发"
    d.add_heading(r.title, level=1)
    for ln in r.lines:
        p = d.add_paragraph()
        step = max(1, len(ln) // 3)
        for i in range(0, len(ln), step):  # a paragraph of several runs, bold every other
            p.add_run(ln[i:i + step]).bold = bool((i // step) % 2)
    if table:
        t = d.add_table(rows=len(TABLE), cols=3)
        for i, row in enumerate(TABLE):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    d.save(str(path))


def table_plain() -> str:
    """What the table reads as: one clause per row."""
    return "\n".join("，".join(row) + "。" for row in TABLE[1:])


# -- PDF ------------------------------------------------------------------------------------
def write_pdf(r: Report, path: Path, per_line: int = 28, lines_per_page: int = 36,
              password: str | None = None) -> None:
    """The report as a PDF with a text layer: every paragraph wrapped at ``per_line``
    characters (so figures break across lines: ``2`` / ``个``), a running header on each
    page and a page number in the form ``— N —``. Set in reportlab's built-in Adobe CJK
    font (STSong-Light), which needs no font file on the machine."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), encrypt=password)
    rows: list[tuple[str, bool]] = []  # (line, starts a paragraph)
    for para in [r.title, *r.lines]:
        for i in range(0, len(para), per_line):
            rows.append((para[i:i + per_line], i == 0))
    page = 0
    for k in range(0, len(rows), lines_per_page):
        page += 1
        c.setFont("STSong-Light", 9)
        c.drawString(72, 800, "某市总工会年度工作报告（2021）")
        y = 770
        c.setFont("STSong-Light", 12)
        for line, first in rows[k:k + lines_per_page]:
            c.drawString(72 + (24 if first else 0), y, line)
            y -= 18
        c.setFont("STSong-Light", 10)
        c.drawString(280, 40, ["— {} —", "- {} -", "第{}页"][page % 3].format(page))
        c.showPage()
    c.save()


def write_scan(path: Path) -> None:
    """A PDF with a picture and no text layer, as a scanner makes it."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from PIL import Image

    img = Image.new("L", (200, 100), 255)
    c = canvas.Canvas(str(path))
    c.drawImage(ImageReader(img), 72, 600, 400, 200)
    c.showPage()
    c.save()
