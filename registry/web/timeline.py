"""An event, a relation state and an audit action in words, in Chinese or English.

The timeline on the public page and in the workspace shows what each event says — its payload and its
evidence — under labels people read (备案机关, 失效条款, 清理活动), never the stored keys, and values that
are codes (a status such as ``amended``) by their label. Ids of other documents become their titles when
the page knows them and are left out otherwise (the relations list links them).
"""

from __future__ import annotations

from typing import Any

from registry.rules.status import Status
from registry.web.i18n import EVENT_TYPES

L = dict[str, str]
KEYS: dict[str, L] = {
    "result": {"zh": "清理结果", "en": "Clearing result"},
    "outcome": {"zh": "审查结论", "en": "Outcome"},
    "status": {"zh": "记载的时效性", "en": "Stated validity"},
    "with": {"zh": "备案机关", "en": "Filed with"},
    "filing_number": {"zh": "备案号", "en": "Filing number"},
    "reviewer": {"zh": "审核（审查）机关", "en": "Reviewed by"},
    "opinion": {"zh": "审核意见", "en": "Opinion"},
    "provisions": {"zh": "失效条款", "en": "Provisions no longer in force"},
    "reason": {"zh": "原因", "en": "Reason"},
    "campaign": {"zh": "清理活动", "en": "Clearing campaign"},
    "new_expiry": {"zh": "新的有效期至", "en": "New expiry"},
    "expiry_date": {"zh": "有效期至", "en": "Valid until"},
    "effective_date": {"zh": "施行日期", "en": "Effective date"},
    "event_sha256": {"zh": "内容摘要（SHA-256）", "en": "Content digest (SHA-256)"},
    "events_sha256": {"zh": "本批记录内容摘要（SHA-256）", "en": "Digest of the batch's records (SHA-256)"},
    "registration_number": {"zh": "统一登记号", "en": "Registration number"},
    "source_version": {"zh": "原件版本", "en": "Source file version"},
    "previous_registration_number": {"zh": "原统一登记号", "en": "Previous registration number"},
    "successor_id": {"zh": "新文件", "en": "New document"},
    "interpretation_id": {"zh": "解读材料", "en": "Interpretation"},
    "proposed_by": {"zh": "提出人", "en": "Proposed by"},
    "confirmed_by": {"zh": "确认人", "en": "Confirmed by"},
    "proposal_id": {"zh": "审核提议编号", "en": "Proposal no."},
    "fields": {"zh": "修改项", "en": "Fields changed"},
    "undoes": {"zh": "撤销的记录", "en": "Undoes record"},
    "as_of": {"zh": "记载日期", "en": "As of"},
    # evidence
    "catalog": {"zh": "目录文件", "en": "Catalog"},
    "line": {"zh": "目录行", "en": "Catalog line"},
    "row": {"zh": "清单行", "en": "List row"},
    "inferred": {"zh": "推断依据", "en": "Inferred from"},
    "sweep": {"zh": "日常核查日期", "en": "Daily sweep"},
    "interpretation_title": {"zh": "解读材料标题", "en": "Interpretation title"},
    "proposal_note": {"zh": "提议说明", "en": "Proposal note"},
    "source": {"zh": "来源", "en": "Source"},
    "file": {"zh": "文件", "en": "File"},
    # audit details
    "type": {"zh": "记录类型", "en": "Record type"},
    "event_id": {"zh": "记录编号", "en": "Record no."},
    "proposal": {"zh": "提议编号", "en": "Proposal no."},
    "title": {"zh": "标题", "en": "Title"},
    "kind": {"zh": "变更类型", "en": "Change"},
    "date": {"zh": "日期", "en": "Date"},
}
AUDIT_ACTIONS: dict[str, L] = {
    "event.append": {"zh": "记录事件", "en": "Event recorded"},
    "document.create": {"zh": "著录新文件", "en": "Document created"},
    "document.update": {"zh": "修改著录项", "en": "Metadata changed"},
    "proposal.create": {"zh": "提出审核提议", "en": "Proposal made"},
    "proposal.withdraw": {"zh": "撤回提议", "en": "Proposal withdrawn"},
    "proposal.confirm": {"zh": "确认提议", "en": "Proposal confirmed"},
    "proposal.reject": {"zh": "驳回提议", "en": "Proposal rejected"},
    "clearing.apply": {"zh": "应用清理结果", "en": "Clearing applied"},
    "clearing.resolve": {"zh": "核对清理结果", "en": "Clearing row resolved"},
    "clearing.undo": {"zh": "撤销清理结果", "en": "Clearing undone"},
    "ingest.added": {"zh": "导入新文件", "en": "Ingested (new)"},
    "ingest.updated": {"zh": "导入更新版本", "en": "Ingested (new version)"},
}
#: Evidence the validity engine gives that is not an event: the document's own dates.
EVIDENCE_TYPES: dict[str, L] = {
    "effective_date": {"zh": "施行日期", "en": "Effective date"},
    "validity_period": {"zh": "有效期", "en": "Validity period"},
}
SKIPPED = {"action", "version", "interpretation_id_title", "intake_item", "event_ids"}  # internal references
PEOPLE = {"proposed_by", "confirmed_by"}
DOCUMENT_IDS = {"successor_id", "interpretation_id"}
RELATION_STATES: dict[str, L] = {
    "stated": {"zh": "文中提及，尚未确认", "en": "mentioned in the text, not yet confirmed"},
    "rejected": {"zh": "已否定", "en": "rejected"},
    "confirmed": {"zh": "已确认", "en": "confirmed"},
}
FIELD_NAMES: dict[str, L] = {
    "title": {"zh": "标题", "en": "title"}, "doc_number": {"zh": "文号", "en": "document number"},
    "issuer": {"zh": "发文机关", "en": "issuer"}, "category": {"zh": "类别", "en": "category"},
    "written_date": {"zh": "成文日期", "en": "date signed"},
    "publication_date": {"zh": "发布日期", "en": "publication date"},
    "effective_date": {"zh": "施行日期", "en": "effective date"}, "expiry_date": {"zh": "有效期至", "en": "valid until"},
    "registration_number": {"zh": "统一登记号", "en": "registration number"}, "text": {"zh": "正文", "en": "text"},
}


def _value(key: str, value: Any, lang: str, titles: dict[str, str], names: dict[str, str]) -> str | None:
    if key == "status":
        return Status.label_of(str(value), lang)
    if key in ("type", "kind"):
        return (EVENT_TYPES.get(str(value)) or EVIDENCE_TYPES.get(str(value), {})).get(lang, str(value))
    if key in DOCUMENT_IDS:
        title = titles.get(str(value))
        return f"《{title}》" if title else None
    if key in PEOPLE:
        return names.get(str(value), str(value))
    if key == "fields" and isinstance(value, list):
        return "、".join(FIELD_NAMES.get(str(f), {}).get(lang) or str(f) for f in value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    return str(value)


def facts(values: dict[str, Any], lang: str, *, titles: dict[str, str] | None = None,
          names: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(label, value) pairs for an event's payload or evidence, in ``lang``; empty values left out."""
    out = []
    for key, value in (values or {}).items():
        if key in SKIPPED or value in (None, "", [], {}):
            continue
        shown = _value(key, value, lang, titles or {}, names or {})
        if shown is None:
            continue
        label = KEYS.get(key, {}).get(lang) or key
        out.append((label, shown))
    return out


def relation_state(state: str, lang: str) -> str:
    """A relation's state in words (``stated`` → 文中提及，尚未确认)."""
    return RELATION_STATES.get(state, {}).get(lang, state)


def audit_action(action: str, lang: str) -> str:
    """An audit entry's action in words (``event.append`` → 记录事件); an unlisted one as recorded."""
    return AUDIT_ACTIONS.get(action, {}).get(lang, action)


ACTOR_KINDS: dict[str, L] = {"catalog": {"zh": "目录导入", "en": "catalog import"},
                             "clearing": {"zh": "清理活动", "en": "clearing campaign"}}


def actor_name(actor: str, lang: str, names: dict[str, str] | None = None) -> str:
    """Who recorded something, as people say it: a staff account's display name, ``catalog:目录.jsonl`` as
    目录导入（目录.jsonl）; anything else as recorded."""
    if names and actor in names:
        return names[actor]
    kind, sep, rest = actor.partition(":")
    if sep and kind in ACTOR_KINDS:
        return f"{ACTOR_KINDS[kind][lang]}（{rest}）" if lang == "zh" else f"{ACTOR_KINDS[kind][lang]} ({rest})"
    return actor
