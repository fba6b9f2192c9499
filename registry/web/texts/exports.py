"""Texts of the export job page (Chinese first, English with ``?lang=en``)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "export_job_title": {"zh": "导出文件准备中", "en": "Preparing your export"},
    "export_job_done_title": {"zh": "导出文件已准备好", "en": "Your export is ready"},
    "export_job_gone_title": {"zh": "导出文件已过期", "en": "This export has expired"},
    "export_job_failed_title": {"zh": "导出失败", "en": "The export failed"},
    "export_job_intro": {"zh": "文件较多（{n} 件），导出在后台进行。本页会自动更新，完成后显示下载链接；也可以保存本页地址稍后再来。",
                         "en": "There are many documents ({n}), so the export is prepared in the background. "
                               "This page updates itself and shows a download link when it is done; you may "
                               "also keep its address and come back later."},
    "export_job_progress": {"zh": "进度", "en": "Progress"},
    "export_job_rows": {"zh": "已处理 {done} / {total} 件", "en": "{done} of {total} documents done"},
    "export_job_state_queued": {"zh": "排队中", "en": "Queued"},
    "export_job_state_running": {"zh": "正在导出", "en": "Exporting"},
    "export_job_state_done": {"zh": "已完成", "en": "Done"},
    "export_job_state_failed": {"zh": "失败", "en": "Failed"},
    "export_job_state_expired": {"zh": "已过期", "en": "Expired"},
    "export_job_download": {"zh": "下载 {fmt} 文件", "en": "Download the {fmt} file"},
    "export_job_expires": {"zh": "文件保留至 {at}（UTC），之后删除。", "en": "The file is kept until {at} (UTC), then deleted."},
    "export_job_refresh": {"zh": "刷新进度", "en": "Refresh progress"},
    "export_job_gone": {"zh": "文件已删除。请回到检索页重新导出。", "en": "The file was deleted. Go back to the search and export again."},
    "export_job_failed": {"zh": "导出未能完成，请稍后重新导出。", "en": "The export could not be finished; please export again later."},
    "export_job_back": {"zh": "返回检索", "en": "Back to search"},
}
