"""Relations the text states about other documents: repeals, amendments, legal basis, interpretations.

They are kept as :class:`ingest.model.Reference` with the sentence as evidence; the registry
resolves them (文号 first, then title) and turns a resolved repeal into a proposed event for staff.
Nothing here decides that another document's status changed.
"""

from __future__ import annotations

import re

from ingest.docnumber import DOC_NUMBER_RE, _fold, normalize_doc_number
from ingest.metadata.context import Context
from ingest.model import Reference
from ingest.numerals import CN_NUMERAL_CHARS

_TERMINATORS = ("。", "；", ";", "！", "？", "\n")
_ANCHOR = re.compile(r"《|废止|失效|停止执行|不再执行")
#: 《title》 optionally followed by its 文号 in brackets.
_CITED = re.compile(r"《([^《》]{4,100})》\s*(?:[（(]([^（）()]{0,60}?\d+\s*号)[）)])?")
_REPEAL = re.compile(r"(同时|予以|一并|即行|宣布)?废止|停止执行|不再执行|同时失效|宣布失效")
_AMEND = re.compile(r"(作如下修改|修改为|予以修改|修订如下|修正如下|作出修改|关于修改)")
_BASIS = re.compile(r"(根据|依据|依照|按照|为贯彻落实?|为贯彻执行)\s*$")
_INTERPRET = re.compile(r"解读")
_REPLACE = re.compile(r"(代替|取代|替代)")
_JOINER = re.compile(r"^[\s、，,和及以及与等有关规定的精神要求]*$")
#: the article numbers a citation may carry before the next joined one (《A》第十二条至第十五条、第二十条和《B》)
_ARTICLES = re.compile(rf"^(?:\s*第[{CN_NUMERAL_CHARS}\d０-９]+[条款项](?:之[{CN_NUMERAL_CHARS}\d]+)?|\s*[至到、，,])*")


def references(ctx: Context) -> None:
    """Reads ``text`` (lines are paragraphs: PDF text was reflowed) and ``title``. Writes ``references`` (one per target and kind)."""
    doc = ctx.doc
    found: list[Reference] = []
    seen: set[tuple[str, str | None, str | None]] = set()

    def add(kind: str, title: str | None, number: str | None, quote: str) -> None:
        title = title.strip() if title else None
        if title and doc.title and title == doc.title:
            return
        key = (kind, title, number)
        if key not in seen:
            seen.add(key)
            found.append(Reference(kind=kind, target_title=title, target_doc_number=number, quote=quote.strip()))

    if doc.title and _INTERPRET.search(doc.title):
        for m in _CITED.finditer(doc.title):
            add("interprets", m.group(1), _number(m.group(2)), doc.title)
    for sentence in _sentences_with_citations(doc.text):
        if "《" not in sentence and not DOC_NUMBER_RE.search(_fold(sentence)):
            continue
        cites = list(_CITED.finditer(sentence))
        if _REPEAL.search(sentence):
            kind = "repeals"
        elif _AMEND.search(sentence):
            kind = "amends"
        elif _REPLACE.search(sentence) and cites:
            kind = "replaces"
        else:
            kind = ""
        if kind:
            targets = [m for m in cites if not _BASIS.search(sentence[max(0, m.start() - 8):m.start()])]
            for m in targets:
                add(kind, m.group(1), _number(m.group(2)), sentence)
            if kind == "repeals" and not targets:
                for number in _bare_numbers(sentence):
                    add(kind, None, number, sentence)
        for group in _basis_groups(sentence, cites):
            for m in group:
                add("based_on", m.group(1), _number(m.group(2)), sentence)
    doc.references = found


def _sentences_with_citations(flat: str) -> list[str]:
    """Sentences that contain 《 or a repeal word, found from those anchors outwards.

    Splitting a whole law into sentences to keep the few that cite something costs more than the
    rest of the extraction; the anchors are rare, so expanding each to its sentence is cheap."""
    out: list[str] = []
    last_end = -1
    for anchor in _ANCHOR.finditer(flat):
        if anchor.start() < last_end:
            continue
        start = max(flat.rfind(t, 0, anchor.start()) for t in _TERMINATORS) + 1
        ends = [e for e in (flat.find(t, anchor.end()) for t in _TERMINATORS) if e >= 0]
        end = min(ends) + 1 if ends else len(flat)
        out.append(flat[start:end])
        last_end = end
    return out


def _basis_groups(sentence: str, cites: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Citations introduced by 根据/依据/按照: the first one after the verb and those joined to it by
    、 和 及."""
    groups: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    previous_end = -1
    for m in cites:
        before = sentence[max(0, m.start() - 8):m.start()]
        if _BASIS.search(before):
            current = [m]
            groups.append(current)
        elif current and _JOINER.match(_ARTICLES.sub("", sentence[previous_end:m.start()], count=1)):
            current.append(m)
        else:
            current = []
        previous_end = m.end()
    return groups


def _number(text: str | None) -> str | None:
    if not text:
        return None
    m = DOC_NUMBER_RE.search(_fold(text))
    return normalize_doc_number(m.group(0)) if m else None


def _bare_numbers(sentence: str) -> list[str]:
    return [normalize_doc_number(m.group(0)) for m in DOC_NUMBER_RE.finditer(_fold(sentence))]
