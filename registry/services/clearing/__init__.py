"""Clearing campaigns (清理): reading the office's lists, matching rows to documents, applying and undoing
results, and publishing the result lists."""
