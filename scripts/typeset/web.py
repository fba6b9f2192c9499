"""The same document as a government website publishes it: an HTML page, a plain-text copy, Markdown.

The HTML page imitates a gov.cn article page (信息公开 table of 索引号, 主题分类, 发文机关, 成文日期,
标题, 发文字号, 发布日期, 统一登记号, then the text in ``#zoom``), in the page's declared encoding
(``<meta charset="gbk">`` for a GBK page). The text export keeps only the line structure.
"""

from __future__ import annotations

import html
from pathlib import Path

from scripts.typeset.document import OfficialDoc, classify, plain

_PAGE_CSS = (
    "<style>body{font-family:'Microsoft YaHei',sans-serif;margin:0;background:#f4f4f4}"
    ".w{width:1000px;margin:0 auto;background:#fff;padding:20px 40px}"
    ".xxgk{width:100%;border-collapse:collapse;font-size:14px;margin-bottom:30px}"
    ".xxgk th{background:#f0f5fb;width:110px;text-align:right;border:1px solid #d6e2f0;padding:6px}"
    ".xxgk td{border:1px solid #d6e2f0;padding:6px}#zoom{font-size:18px;line-height:2}"
    ".top{background:#b60000;color:#fff;padding:14px 40px;font-size:26px}</style>"
)
_INDENT = '<p style="text-indent:2em;">'


def _interpretation(doc: OfficialDoc) -> bool:
    return doc.category == "政策解读"


def _html_content(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        kind, lead, rest = classify(line)
        lead, rest = html.escape(lead), html.escape(rest)
        if kind == "chapter":
            out.append(f'<p style="text-align:center;"><strong>{lead}</strong></p>')
        elif kind == "heading":
            out.append(f"{_INDENT}<strong>{lead}</strong></p>")
        elif kind == "lead":
            out.append(f'{_INDENT}<span style="font-family:楷体;">{lead}</span>{rest}</p>')
        elif kind == "article":
            out.append(f"{_INDENT}<strong>{lead}</strong>\u3000{rest}</p>")
        else:
            out.append(f"{_INDENT}{lead}</p>")
    return out


def _disclosure_table(doc: OfficialDoc) -> list[str]:
    """The 信息公开 table: pairs of fields, the title (and registration number) on a row of their own."""
    published = doc.publication_date.strftime("%Y年%m月%d日")
    rows: list[list[tuple[str, str]]] = [[("索引号", doc.index_no), ("主题分类", doc.topic)]]
    if _interpretation(doc):
        rows += [[("发布机构", doc.issuer), ("发布日期", published)], [("标\u3000\u3000题", doc.title)]]
    else:
        rows += [[("发文机关", doc.issuer), ("成文日期", doc.written_date.strftime("%Y年%m月%d日"))],
                 [("标\u3000\u3000题", doc.title)], [("发文字号", doc.doc_number), ("发布日期", published)]]
        if doc.registration_number:
            rows.append([("统一登记号", doc.registration_number)])
    e = html.escape
    out = []
    for row in rows:
        if len(row) == 1:
            out.append(f'<tr><th>{e(row[0][0])}：</th><td colspan="3">{e(row[0][1])}</td></tr>')
        else:
            out.append("<tr>" + "".join(f"<th>{e(k)}：</th><td>{e(v)}</td>" for k, v in row) + "</tr>")
    return out


def render_html(doc: OfficialDoc, path: Path) -> Path:
    """Write ``doc`` as its website's article page, encoded as ``doc.encoding`` says."""
    e = html.escape
    site = f"{doc.region}人民政府门户网站"
    interp = _interpretation(doc)
    column = "政策解读" if interp else "政府文件"
    pub = doc.publication_date.isoformat()
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        f'<meta charset="{doc.encoding}">',
        '<meta http-equiv="X-UA-Compatible" content="IE=edge">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="SiteName" content="{e(site)}">',
        f'<meta name="ColumnName" content="{column}">',
        f'<meta name="ArticleTitle" content="{e(doc.title)}">',
        f'<meta name="PubDate" content="{pub} 16:30">',
        f'<meta name="ContentSource" content="{e(doc.source or doc.issuer)}">',
        f"<title>{e(doc.title)}_{column}_{e(site)}</title>",
        '<link rel="stylesheet" href="/static/css/xxgk.css">',
        _PAGE_CSS,
        "</head>",
        "<body>",
        f'<div class="top">{e(site)}</div>',
        '<div class="nav"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/zxfw/">政务服务</a> | '
        '<a href="/hdjl/">互动交流</a></div>',
        '<div class="w">',
        f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
        f'<a href="/zwgk/{"zcjd" if interp else "zfwj"}/">{column}</a></div>',
        '<table class="xxgk">',
        *_disclosure_table(doc),
        "</table>",
        '<div class="article">',
        f'<h1 style="text-align:center;font-size:26px;color:#333;">{e(doc.title)}</h1>',
    ]
    if interp:
        parts.append(f'<div class="info" style="text-align:center;color:#666;">发布时间：{pub}\u3000'
                     f'来源：{e(doc.source)}\u3000<span id="fontsize">字号：大 中 小</span></div>')
    if doc.doc_number:
        parts.append(f'<p style="text-align:center;">{e(doc.doc_number)}</p>')
    parts.append('<div id="zoom">')
    if doc.addressee:
        parts.append(f"<p>{e(doc.addressee)}</p>")
    parts += _html_content(doc.body)
    if doc.signed:
        parts += [f'<p style="text-align:right;">{e(line)}</p>' for line in [*doc.signature, doc.signature_date]]
        if doc.public_note:
            parts.append(f"{_INDENT}（此件公开发布）</p>")
    if doc.enclosure:
        parts.append(f'<p style="text-align:center;font-size:22px;"><strong>{e(doc.enclosure_title)}</strong></p>')
        parts += _html_content(doc.enclosure)
    parts.append("</div>")
    if interp:
        parts.append(f'<div class="related">相关文件：<a href="/zwgk/zfwj/">{e(doc.interprets)}</a></div>')
    parts += [
        '<div class="tools"><a href="javascript:window.print()">【打印本页】</a> '
        '<a href="javascript:window.close()">【关闭窗口】</a></div>',
        "</div>",
        "</div>",
        f'<div class="footer">主办：{e(site.replace("门户网站", "办公室"))}\u3000'
        "网站标识码：0000000000\u3000备案号：示ICP备00000000号</div>",
        "<script>var _hmt = _hmt || [];(function(){var hm=document.createElement('script');"
        "hm.src='/static/js/stat.js';document.body.appendChild(hm);})();</script>",
        "</body>",
        "</html>",
        "",
    ]
    path.write_bytes("\n".join(parts).encode(doc.encoding))
    return path


def render_text(doc: OfficialDoc, path: Path) -> Path:
    """The same document as a plain-text export: no sizes, no colours, only the line structure.

    A paper export puts the 文号 above the title and ends with the 版记; a website copy
    (``from_website``) puts the title first and states the registration number and publication date.
    """
    lines: list[str] = [*doc.header, ""] if doc.red_header else []
    if doc.from_website:
        lines += [*doc.title_lines, *([doc.number_line] if doc.doc_number else [])]
        if doc.registration_number:
            lines.append(f"统一登记号：{doc.registration_number}")
        lines.append(f"发布日期：{doc.publication_date.isoformat()}")
    else:
        lines += [doc.number_line, "", *doc.title_lines]
    lines.append("")
    if doc.addressee:
        lines.append(doc.addressee)
    lines += ["\u3000\u3000" + plain(line) for line in doc.body]
    if doc.attachments:
        lines += ["", *doc.attachment_lines]
    if doc.signed:
        lines += ["", *(line.rjust(30, "\u3000") for line in [*doc.signature, doc.signature_date])]
        if doc.public_note:
            lines.append("\u3000\u3000（此件公开发布）")
    if doc.enclosure:
        lines += ["", doc.enclosure_title.center(28, "\u3000"), ""]
        for line in doc.enclosure:
            chapter = classify(line)[0] == "chapter"
            lines.append(plain(line).center(28, "\u3000") if chapter else "\u3000\u3000" + plain(line))
    imprint = doc.imprint
    if imprint:
        lines += ["", *([doc.cc] if doc.cc else []), f"{imprint[0]}    {imprint[1]}"]
    path.write_bytes(("\n".join(line.rstrip("\u3000") for line in lines) + "\n").encode("utf-8"))
    return path


def _md_content(lines: list[str], level: str) -> list[str]:
    out = []
    for line in lines:
        kind, lead, rest = classify(line)
        if kind == "chapter":
            out += [f"{level}## {lead}", ""]
        elif kind == "heading":
            out += [f"{level} {lead}", ""]
        elif kind == "lead":
            out += [f"**{lead}**{rest}", ""]
        elif kind == "article":
            out += [f"**{lead}**\u3000{rest}", ""]
        else:
            out += [lead, ""]
    return out


def render_markdown(doc: OfficialDoc, path: Path) -> Path:
    """Write ``doc`` as Markdown; with ``front_matter`` it opens with the catalog fields in YAML."""
    out: list[str] = []
    if doc.front_matter:
        fields = {
            "title": doc.title, "doc_number": doc.doc_number, "registration_number": doc.registration_number,
            "issuer": doc.issuer, "category": doc.category, "region": doc.region,
            "written_date": doc.written_date.isoformat(), "publication_date": doc.publication_date.isoformat(),
            "effective_date": doc.effective_date.isoformat() if doc.effective_date else "",
            "expiry_date": doc.expiry_date.isoformat() if doc.expiry_date else "",
        }
        out += ["---", *(f'{k}: "{v}"' if v else f"{k}:" for k, v in fields.items()), "---", ""]
    out += [f"# {doc.title}", ""]
    if _interpretation(doc):
        out += [f"发布时间：{doc.publication_date.isoformat()}\u3000\u3000来源：{doc.source}", ""]
    if doc.doc_number:
        out += [f"**{doc.doc_number}**", ""]
    if doc.addressee:
        out += [doc.addressee, ""]
    out += _md_content(doc.body, "##")
    if doc.signed:
        out += [f'<p align="right">{"<br>".join([*doc.signature, doc.signature_date])}</p>', ""]
        if doc.public_note:
            out += ["（此件公开发布）", ""]
    if doc.enclosure:
        out += [f"## {doc.enclosure_title}", ""]
        out += _md_content(doc.enclosure, "###")
    path.write_bytes(("\n".join(out).rstrip("\n") + "\n").encode("utf-8"))
    return path
