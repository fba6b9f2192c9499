"""Page texts in Chinese (the default) and English (``?lang=en``); one table so nothing is half-translated."""

from __future__ import annotations

from datetime import date

LANGS = ("zh", "en")

TEXTS: dict[str, dict[str, str]] = {
    "site": {"zh": "规范性文件库", "en": "Normative documents registry"},
    "tagline": {"zh": "行政规范性文件检索与效力查询", "en": "Search administrative normative documents and check their validity"},
    "search": {"zh": "检索", "en": "Search"},
    "search_placeholder": {"zh": "输入标题、文号或问题", "en": "Title, document number or a question"},
    "check": {"zh": "还有效吗", "en": "Still valid?"},
    "staff": {"zh": "工作人员", "en": "Staff"},
    "switch": {"zh": "English", "en": "中文"},
    "results": {"zh": "共 {n} 件", "en": "{n} documents"},
    "took": {"zh": "用时 {ms} 毫秒", "en": "{ms} ms"},
    "no_results": {"zh": "没有找到相关文件。请换个说法或减少筛选条件。", "en": "Nothing found. Try other words or fewer filters."},
    "sort": {"zh": "排序", "en": "Sort"},
    "sort_relevance": {"zh": "相关度", "en": "Relevance"},
    "sort_newest": {"zh": "最新", "en": "Newest"},
    "sort_oldest": {"zh": "最早", "en": "Oldest"},
    "facet_status": {"zh": "时效性", "en": "Validity"},
    "facet_issuer": {"zh": "发文机关", "en": "Issuer"},
    "facet_category": {"zh": "类别", "en": "Category"},
    "facet_year": {"zh": "年份", "en": "Year"},
    "clear_filters": {"zh": "清除筛选", "en": "Clear filters"},
    "prev": {"zh": "上一页", "en": "Previous"},
    "next": {"zh": "下一页", "en": "Next"},
    "page_of": {"zh": "第 {p} / {n} 页", "en": "Page {p} of {n}"},
    "doc_number": {"zh": "文号", "en": "Document number"},
    "registration_number": {"zh": "统一登记号", "en": "Registration number"},
    "issuer": {"zh": "制定机关", "en": "Issuer"},
    "category": {"zh": "类别", "en": "Category"},
    "written_date": {"zh": "成文日期", "en": "Signed"},
    "publication_date": {"zh": "发布日期", "en": "Published"},
    "effective_date": {"zh": "施行日期", "en": "Effective"},
    "expiry_date": {"zh": "有效期至", "en": "Valid until"},
    "status": {"zh": "时效性", "en": "Validity"},
    "timeline": {"zh": "记录", "en": "Record"},
    "no_events": {"zh": "暂无记录。", "en": "No events recorded."},
    "relations": {"zh": "关联文件", "en": "Related documents"},
    "articles": {"zh": "条文", "en": "Articles"},
    "full_text": {"zh": "全文", "en": "Full text"},
    "download": {"zh": "下载原件", "en": "Download the source file"},
    "legal_basis": {"zh": "依据", "en": "Legal basis"},
    "evidence": {"zh": "证据", "en": "Evidence"},
    "actor": {"zh": "记录人", "en": "Recorded by"},
    "check_title": {"zh": "这份文件还有效吗？", "en": "Is this document still valid?"},
    "check_ref": {"zh": "文号、登记号或标题", "en": "Document number, registration number or title"},
    "check_at": {"zh": "查询日期（可选）", "en": "On date (optional)"},
    "check_go": {"zh": "查询", "en": "Check"},
    "successor": {"zh": "请参阅", "en": "See instead"},
    "candidates": {"zh": "有多件文件符合，请选择：", "en": "Several documents match; choose one:"},
    "not_found": {"zh": "没有找到该文件。", "en": "No such document."},
    "sign_in": {"zh": "登录", "en": "Sign in"},
    "sign_out": {"zh": "退出", "en": "Sign out"},
    "username": {"zh": "用户名", "en": "Username"},
    "password": {"zh": "密码", "en": "Password"},
    "totp": {"zh": "动态验证码", "en": "One-time code"},
    "totp_hint": {"zh": "已启用两步验证时填写。", "en": "Only if two-step verification is on."},
    "bad_credentials": {"zh": "用户名或密码不正确。", "en": "Wrong username or password."},
    "bad_totp": {"zh": "动态验证码不正确或未填写。", "en": "The one-time code is wrong or missing."},
    "signed_in_as": {"zh": "已登录：{name}（{role}）", "en": "Signed in as {name} ({role})"},
    "nav_inbox": {"zh": "待办", "en": "Inbox"},
    "nav_intake": {"zh": "登记文件", "en": "Register"},
    "nav_documents": {"zh": "本机关文件", "en": "Documents"},
    "nav_clearing": {"zh": "清理", "en": "Clearing"},
    "nav_reports": {"zh": "统计报表", "en": "Reports"},
    "nav_admin": {"zh": "机关与用户", "en": "Offices and users"},
    "staff_nav": {"zh": "工作人员导航", "en": "Staff navigation"},
    "role_clerk": {"zh": "经办人员", "en": "Clerk"},
    "role_reviewer": {"zh": "审核人员", "en": "Reviewer"},
    "role_admin": {"zh": "系统管理员", "en": "Administrator"},
    "dashboard": {"zh": "工作台", "en": "Dashboard"},
    "deadlines": {"zh": "期限提醒", "en": "Deadlines"},
    "clearing_review": {"zh": "清理审核", "en": "Clearing review"},
    "coming_soon": {"zh": "此处将显示备案期限、有效期届满提醒和待确认的清理结果。",
                    "en": "Filing deadlines, expiry reminders and clearing results awaiting confirmation appear here."},
    "error": {"zh": "出错了", "en": "Something went wrong"},
    "home": {"zh": "返回首页", "en": "Back to search"},
    "widget_demo": {"zh": "检索组件嵌入示例", "en": "Embedding the search widget"},
    "changes_feed": {"zh": "时效变更订阅", "en": "Status change feed"},
    "export": {"zh": "导出", "en": "Export"},
    "article_hit": {"zh": "命中条文", "en": "Matching article"},
    "direction_outgoing": {"zh": "本文件", "en": "This document"},
    "direction_incoming": {"zh": "被", "en": "By"},
}



def _merge_area_texts() -> None:
    from registry.web.texts import (
        accounts,
        articles,
        basis,
        clearing,
        exports,
        follows,
        inbox,
        intake,
        reports,
        trust,
        versions,
        workspace,
    )
    from registry.web.texts import search as search_texts

    for module in (accounts, intake, workspace, inbox, clearing, reports, trust, basis, versions, follows,
                   articles, search_texts, exports):
        clash = sorted(set(TEXTS) & set(module.TEXTS))
        if clash:
            raise RuntimeError(f"{module.__name__} redefines page texts {clash}")
        TEXTS.update(module.TEXTS)


_merge_area_texts()

RELATION_KINDS: dict[str, dict[str, str]] = {
    "amends": {"zh": "修改", "en": "amends"},
    "repeals": {"zh": "废止", "en": "repeals"},
    "replaces": {"zh": "替代", "en": "replaces"},
    "interprets": {"zh": "解读", "en": "interprets"},
    "based_on": {"zh": "依据", "en": "is based on"},
}
RELATION_KINDS_IN: dict[str, dict[str, str]] = {
    "amends": {"zh": "被修改", "en": "amended by"},
    "repeals": {"zh": "被废止", "en": "repealed by"},
    "replaces": {"zh": "被替代", "en": "replaced by"},
    "interprets": {"zh": "解读材料", "en": "interpreted by"},
    "based_on": {"zh": "被依据", "en": "basis of"},
}
EVENT_TYPES: dict[str, dict[str, str]] = {
    "filed": {"zh": "备案", "en": "Filed"},
    "legality_reviewed": {"zh": "合法性审核", "en": "Legality review"},
    "filing_reviewed": {"zh": "备案审查", "en": "Filing review"},
    "cleared": {"zh": "清理", "en": "Clearing"},
    "repealed": {"zh": "废止", "en": "Repealed"},
    "amended": {"zh": "修改", "en": "Amended"},
    "declared_invalid": {"zh": "宣布失效", "en": "Declared invalid"},
    "partially_invalid": {"zh": "部分失效", "en": "Partially invalid"},
    "renewed": {"zh": "延续有效期", "en": "Renewed"},
    "expired": {"zh": "有效期届满", "en": "Expired"},
    "interpretation_linked": {"zh": "关联解读", "en": "Interpretation linked"},
    "status_asserted": {"zh": "目录记载", "en": "Catalog statement"},
    "revoked": {"zh": "撤销记录", "en": "Record revoked"},
    "note": {"zh": "备注", "en": "Note"},
}


def pick_lang(value: str | None) -> str:
    return "en" if value == "en" else "zh"


def t(key: str, lang: str, **fmt: object) -> str:
    text = TEXTS.get(key, {}).get(lang) or TEXTS.get(key, {}).get("zh") or key
    return text.format(**fmt) if fmt else text


def fmt_date(value: date | str | None, lang: str) -> str:
    if value is None or value == "":
        return ""
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return d.isoformat() if lang == "en" else f"{d.year}年{d.month}月{d.day}日"
