"""A partially invalid normative document, ingested through the real pipeline (tests of article validity)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from registry.facade import Registry
from registry.models import EventCreate

TEXT = """示例市共享单车停放管理办法
示政规〔2024〕7号

第一条 为了规范共享单车停放秩序，方便市民出行，根据有关法律法规，结合本市实际，制定本办法。
第二条 本市行政区域内共享单车的投放、停放及其监督管理，适用本办法。
第三条 共享单车运营企业投放车辆，应当向市交通运输主管部门申请投放配额，未取得配额的不得投放。
第四条 骑行人应当将共享单车停放在停放区域内，不得在机动车道、盲道停放共享单车。
第五条 运营企业违反本办法第三条规定超额投放共享单车的，由市交通运输主管部门责令限期改正，并处罚款。
第六条 本办法自2024年3月1日起施行。
"""
VOID_FROM = date(2025, 7, 1)
REASON = "与《示例省非机动车管理条例》第十二条不一致"


def partially_invalid_document(reg: Registry, folder: Path) -> str:
    """Ingest the document, then record that its 第三条 and 第五条 no longer apply since VOID_FROM."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "共享单车停放管理办法.txt"
    path.write_text(TEXT, encoding="utf-8")
    report = reg.ingest([path])
    doc_id = reg.resolve("示例市共享单车停放管理办法").id
    assert not report.failed, report.failed
    reg.record_event(doc_id, EventCreate(type="partially_invalid", date=VOID_FROM, legal_basis="示政发〔2025〕9号",
                                         payload={"provisions": ["第三条", "第5条"], "reason": REASON}),
                     actor="reviewer")
    return doc_id
