"""Texts of the follow, subscription and unsubscribe pages (Chinese first, English with ``?lang=en``)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "follow_doc": {"zh": "关注此文件", "en": "Follow this document"},
    "follow_doc_hint": {"zh": "文件时效变化、修改、废止或有新版本时通知您（订阅源或电子邮件），无需注册。",
                        "en": "Be told when this document's status changes, it is amended or repealed, or gets a "
                              "new version (feed or e-mail); no account needed."},
    "follow_search": {"zh": "关注此检索", "en": "Follow this search"},
    "follow_search_hint": {"zh": "有符合此检索条件的新文件发布时通知您。",
                           "en": "Be told when a new document matching this search is published."},
    "follow_search_of": {"zh": "检索词：{q}", "en": "Search words: {q}"},
    "follow_filters": {"zh": "筛选条件", "en": "Filters"},
    "follow_go": {"zh": "关注", "en": "Follow"},
    "follow_title": {"zh": "关注：{what}", "en": "Following: {what}"},
    "follow_keep": {"zh": "请保存本页地址：它是查看和管理此关注的唯一凭据。",
                    "en": "Keep this page's address: it is the only key to this follow."},
    "follow_feed": {"zh": "订阅源（Atom）", "en": "Feed (Atom)"},
    "follow_recent": {"zh": "最近的变化", "en": "Recent changes"},
    "follow_none": {"zh": "暂无变化。", "en": "Nothing yet."},
    "sub_title": {"zh": "用电子邮件接收", "en": "Get it by e-mail"},
    "sub_email": {"zh": "电子邮件地址", "en": "E-mail address"},
    "sub_frequency": {"zh": "发送频率", "en": "How often"},
    "sub_immediate": {"zh": "有变化即发送", "en": "As it happens"},
    "sub_daily": {"zh": "每日汇总", "en": "Daily digest"},
    "sub_go": {"zh": "订阅", "en": "Subscribe"},
    "sub_sent": {"zh": "确认邮件已发送至 {email}。请打开邮件中的链接完成订阅。",
                 "en": "A confirmation mail was sent to {email}. Open its link to start the subscription."},
    "sub_confirm_title": {"zh": "确认订阅", "en": "Confirm the subscription"},
    "sub_confirm_go": {"zh": "确认订阅", "en": "Confirm"},
    "sub_confirmed": {"zh": "订阅已确认。今后的变化将发送至 {email}。",
                      "en": "Subscription confirmed. Changes from now on go to {email}."},
    "unsub_title": {"zh": "退订", "en": "Unsubscribe"},
    "unsub_go": {"zh": "退订，不再接收邮件", "en": "Unsubscribe, send me no more mail"},
    "unsub_done": {"zh": "已退订，{email} 不会再收到此关注的邮件。",
                   "en": "Unsubscribed: {email} will get no more mail for this follow."},
}
