"""What the metadata stages share: the document being filled and the lines they read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.layout import Line, RawDocument
from ingest.model import ExtractedDocument

#: Word that ends the title of an official document (with an optional (试行)-style qualifier).
TITLE_END = re.compile(
    r"(通知|决定|意见|办法|规定|批复|通告|公告|规则|细则|方案|规划|纲要|报告|函|决议|命令|条例|通报|纪要|标准|目录"
    r"|名录|清单|法|解释|规程|指引|指南|措施|要点|计划|守则|章程|答复|复函|解读|说明|公报|准则|导则|规范|议案"
    r"|须知|修正案)([（(][^（）()]{1,16}[）)])?$"
)
#: Name of an organ (for issuer candidates): ends like a government body does.
ORGAN_END = re.compile(
    r"(人民政府|政府|办公厅|办公室|委员会|常务委员会|人民代表大会|国务院|院|厅|部|委|局|署|办|会|总局|中心|法院|检察院"
    r"|银行|党委|党组|政协|管委会|管理处|公司|集团|协会|联合会|所|站|队|处|室|科|省委|市委|县委|区委)$"
)
SENTENCE_END = "。；;！？!?，,："
_PUNCT = re.compile(r"[。；;，,！？!?：:、“”\"《》]")


@dataclass(slots=True)
class Context:
    """One document under extraction.

    ``lines`` are the content lines (page headers and footers left out); ``head_end`` is the index
    of the first line after the red header (set by :func:`red_header`); ``title_end`` the first line
    after the title; ``flat`` the text without line breaks, for clauses a printed page wrapped.
    """

    raw: RawDocument
    doc: ExtractedDocument
    lines: list[Line]
    flat: str
    head_end: int = 0
    title_end: int = 0
    doc_number_index: int | None = None
    is_order: bool = False
    notes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, raw: RawDocument, doc: ExtractedDocument) -> Context:
        lines = [line for line in raw.lines if line.zone not in ("header", "footer") and line.text]
        flat = re.sub(r"[ \t]*\n[ \t]*", "", doc.text)
        return cls(raw=raw, doc=doc, lines=lines, flat=flat)


def looks_like_organ(text: str) -> bool:
    """A short line without sentence punctuation that ends like a government body."""
    t = text.strip()
    return 2 <= len(t) <= 40 and not _PUNCT.search(t) and bool(ORGAN_END.search(t))


def split_organs(text: str) -> list[str]:
    """Organs written side by side or stacked (``财政部 税务总局``, ``A、B``), in order, no repeats."""
    parts = re.split(r"[\s\u3000、，,]+|(?<=[^\s])\s{2,}", text)
    out: list[str] = []
    for part in parts:
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out
