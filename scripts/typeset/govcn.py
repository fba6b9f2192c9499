"""Official-layout test documents made from the real gov.cn pages of the shared corpus.

Each page gives a real title, 文号, issuer, dates and body (``govcn/truth.jsonl``); set the way an
office prints them, with variations by position so the extraction rules meet layouts the gov.cn pages
never had: a third are moved to a fictitious municipality (示例市人民政府), some are issued jointly,
half are dated in Chinese numerals, some name a 签发人, list 附件 or carry （此件公开发布）.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import lxml.html

from scripts.typeset.document import OfficialDoc

_MUNICIPAL = (("国务院办公厅", "示例市人民政府办公厅"), ("国务院", "示例市人民政府"))
_NUMBER_PREFIX = (("国办发", "示政办发"), ("国办函", "示政办函"), ("国发", "示政发"), ("国函", "示政函"))


def _municipal(text: str) -> str:
    for old, new in _MUNICIPAL:
        text = text.replace(old, new)
    return text


def _body_paragraphs(html_path: Path, title: str, doc_number: str) -> tuple[str, list[str]]:
    root = lxml.html.document_fromstring(html_path.read_text(encoding="utf-8"))
    content = root.get_element_by_id("UCAP-CONTENT")
    paragraphs = [re.sub(r"\s+", "", p.text_content()) for p in content.iter("p")]
    paragraphs = [p for p in paragraphs if p and p not in title and doc_number not in p]
    addressee = next((p for p in paragraphs[:3] if p.endswith("：") and len(p) < 80), "各有关单位：")
    body = [p for p in paragraphs if p != addressee and len(p) > 20 and not re.search(r"\d{4}年\d+月\d+日$", p)]
    return addressee, [p[:260] for p in body[:6]]


@lru_cache(maxsize=1)
def official_docs(corpus: Path) -> list[OfficialDoc]:
    """One official-layout document per gov.cn page, with variations by position."""
    docs: list[OfficialDoc] = []
    rows = [json.loads(line) for line in (corpus / "govcn" / "truth.jsonl").read_text().splitlines() if line]
    for i, row in enumerate(rows):
        title, number, issuers = row["title"], row["doc_number"], row["issuer"].split("、")
        addressee, body = _body_paragraphs(corpus / row["file"], title, number)
        if i % 3 == 0:
            title, issuers = _municipal(title), [_municipal(x) for x in issuers]
            for old, new in _NUMBER_PREFIX:
                number = number.replace(old, new)
            addressee = _municipal(addressee).replace("各省、自治区、直辖市", "各区、县（市）")
        if i % 4 == 1 and len(issuers) == 1:
            issuers = [*issuers, "示例市财政局" if issuers[0].startswith("示例市") else "财政部"]
        written = date.fromisoformat(row["written_date"])
        docs.append(OfficialDoc(
            key=Path(row["file"]).stem, issuers=issuers, doc_number=number, title=title, addressee=addressee,
            body=body, written_date=written, publication_date=max(date.fromisoformat(row["publication_date"]), written),
            chinese_date=i % 2 == 1, signer="张明" if i % 5 == 2 else None,
            attachments=["相关任务分工表", "联系人名单"] if i % 6 == 4 else [], public_note=i % 3 == 1,
        ))
    return docs
