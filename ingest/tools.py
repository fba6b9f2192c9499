"""The environment the external readers run in: only what they need, never the application's secrets.

Worker processes, LibreOffice and Tesseract read untrusted files. They get a short allow-list of
variables (the program path, the locale, the temporary directory, Tesseract's data path) so a parser
bug exploited by a file can never read the database URL, the search key or a mail password from its
environment; and everything a worker starts runs in the worker's own process group, so killing a worker
that ran over time kills the converter it was waiting for too.
"""

from __future__ import annotations

import os

#: Variables a reader may see; everything else of the parent's environment is left out.
ALLOWED = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TESSDATA_PREFIX", "HOME", "PYTHONPATH",
           "PYTHONHASHSEED", "SYSTEMROOT")


def tool_env(**extra: str) -> dict[str, str]:
    """The allow-listed part of this process's environment, with ``extra`` set on top."""
    env = {k: v for k, v in os.environ.items() if k in ALLOWED}
    env.setdefault("PATH", os.defpath)
    env.update(extra)
    return env
