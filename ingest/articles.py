"""Articles (第X条) and chapters (第X章/编/节) of a plain-text body.

Long documents are searched and cited article by article, so this split must be reliable: an article
label is only taken at the start of a line, followed by a space or the end of the line, and only when
its number continues the sequence (n+1, an inserted 第n条之一, or a restart at 1 in an attachment).
A cross-reference that happens to start a line (第三条规定的…) therefore never opens an article.
"""

from __future__ import annotations

import re

from ingest.dates import is_date_line
from ingest.model import Article
from ingest.numerals import CN_NUMERAL_CHARS, cn_to_int

_NUM = rf"[{CN_NUMERAL_CHARS}\d０-９]+"
ARTICLE_RE = re.compile(rf"^\s*(第({_NUM})条(?:之({_NUM}))?)(?:[\s\u3000]+|$)")
HEADING_RE = re.compile(rf"^\s*(第{_NUM}[编章节](?:[\s\u3000]+\S.*)?)\s*$")


_BOUNDARY_RE = re.compile(rf"^[ \t\u3000]*第{_NUM}(?:[条编章节])", re.MULTILINE)


def split_articles(text: str) -> list[Article]:
    """Articles in reading order; an empty list when the text has no article structure.

    Only lines that open with 第…条/章/节/编 are examined (found with one multiline search), so a
    long law is split in one pass over its candidate lines rather than a regex per line.
    """
    articles: list[Article] = []
    chapter: str | None = None
    open_at: int | None = None  # where the current article's text starts
    last = 0

    def close(end: int) -> None:
        if articles and open_at is not None:
            articles[-1].text = text[open_at:end].strip()

    for candidate in _BOUNDARY_RE.finditer(text):
        start = candidate.start()
        line_end = text.find("\n", start)
        line = text[start:] if line_end < 0 else text[start:line_end]
        m = ARTICLE_RE.match(line)
        if m:
            ordinal = cn_to_int(m.group(2)) or 0
            inserted = m.group(3) is not None
            follows = (inserted and ordinal == last) or (not inserted and ordinal == last + 1)
            if follows or (ordinal == 1 and not inserted):
                close(start)
                articles.append(Article(ordinal=ordinal, number=m.group(1), text="", chapter=chapter))
                open_at = start
                last = ordinal
                continue
        h = HEADING_RE.match(line)
        if h and len(line.strip()) <= 40:
            close(start)
            open_at = None
            chapter = re.sub(r"[\s\u3000]+", " ", h.group(1)).strip()
    close(len(text))
    if articles:
        articles[-1].text = without_closing_matter(articles[-1].text)
    return articles


#: Lines that end the body of a document: the signature's date, the 版记 (抄送, 印发), notes in brackets.
_CLOSING = re.compile(r"^[ \t\u3000]*(?:(?:抄送|主送|抄报|分送|报送)[:：]|[（(]此件.{0,16}[）)]|附件[:：]"
                      r"|.{0,40}\d{1,2}\s*日\s*印发[ \t\u3000]*$)", re.MULTILINE)
_ORGAN_LINE = re.compile(r"^[ \t\u3000]*[\u4e00-\u9fff、 \u3000]{2,60}(?:人民政府|办公厅|办公室|委员会|院|部|委|局|署|厅|会|中心|军委)"
                         r"[ \t\u3000]*$")


def without_closing_matter(text: str) -> str:
    """The last article without what follows the body on the page: the 附件 list, the signature
    (organ lines and their date), 抄送 and the 印发 line. A printed document has no marker between
    its last article and its signature, so they are recognised by their own shape."""
    lines = text.split("\n")
    cut = len(lines)
    m = _CLOSING.search(text)
    if m:
        cut = text.count("\n", 0, m.start())
    for i in range(1, cut):
        if is_date_line(lines[i].strip()):
            start = i
            while start > 1 and (_ORGAN_LINE.match(lines[start - 1]) or not lines[start - 1].strip()):
                start -= 1
            cut = start
            break
    return "\n".join(lines[:cut]).strip() if cut > 0 else text

