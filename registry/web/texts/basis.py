"""Texts of the basis watch: the document page's 依据 / 被依据 panel and the review task pages."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "basis_title": {"zh": "制定依据", "en": "Legal basis"},
    "basis_based_on": {"zh": "依据", "en": "Based on"},
    "basis_cited_by": {"zh": "被依据", "en": "Basis of"},
    "basis_unresolved": {"zh": "（本库未收录）", "en": "(not in this registry)"},
    "basis_articles": {"zh": "条款", "en": "articles"},
    "basis_under_review": {"zh": "本文件的制定依据{laws}已发生变化，本文件正在审查中。",
                           "en": "A law this document is based on ({laws}) has changed; this document is under review."},
    "inbox_sec_basis": {"zh": "依据变化审查（上位法变化后）", "en": "Basis changed: review (after a higher law changed)"},
    "inbox_act_basis": {"zh": "审查", "en": "Review"},
    "task_title": {"zh": "依据变化审查任务", "en": "Basis review task"},
    "task_document": {"zh": "待审查文件", "en": "Document to review"},
    "task_basis": {"zh": "已变化的依据", "en": "Changed basis"},
    "task_change": {"zh": "变化", "en": "Change"},
    "task_articles": {"zh": "所引条款", "en": "Articles cited"},
    "task_due": {"zh": "审查期限", "en": "Due"},
    "task_state_open": {"zh": "待审查", "en": "Open"},
    "task_state_resolved": {"zh": "已处理", "en": "Resolved"},
    "task_decision": {"zh": "审查结论", "en": "Decision"},
    "task_decided_on": {"zh": "决定日期（可选）", "en": "Decided on (optional)"},
    "task_note": {"zh": "说明（可选）", "en": "Note (optional)"},
    "task_submit": {"zh": "记录审查结论", "en": "Record the decision"},
    "task_reviewer_only": {"zh": "审查结论须由审核人员作出。", "en": "Only a reviewer may record the decision."},
    "task_done": {"zh": "已记录审查结论：{decision}。", "en": "Decision recorded: {decision}."},
    "task_event": {"zh": "记录该结论的事件", "en": "the event that records it"},
}
