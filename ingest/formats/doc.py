"""Legacy Word 97 ``.doc`` through LibreOffice, which converts it to DOCX for the DOCX reader.

LibreOffice is optional; without it the user is told exactly what to install, or to save the file
as DOCX, rather than getting nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ingest.errors import CorruptFile, Timeout, ToolMissing
from ingest.formats.docx import read_docx
from ingest.layout import RawDocument
from ingest.limits import Limits
from ingest.tools import tool_env

INSTALL_HINT = "install LibreOffice (apt-get install libreoffice-writer-nogui) or save the file as .docx"


def soffice() -> str | None:
    """Path of the LibreOffice command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(path: Path, limits: Limits) -> RawDocument:
    """Convert with ``soffice --headless --convert-to docx`` in a private profile, then read the DOCX."""
    exe = soffice()
    if exe is None:
        raise ToolMissing(f"legacy Word .doc files need LibreOffice to be read; {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="normreg-doc-") as tmp:
        profile = Path(tmp) / "profile"
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "docx",
               "--outdir", tmp, str(path)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=limits.timeout_seconds, check=False,
                           env=tool_env(HOME=tmp))
        except subprocess.TimeoutExpired as exc:
            raise Timeout(f"LibreOffice did not convert the file within {limits.timeout_seconds:g} s") from exc
        converted = Path(tmp) / (path.stem + ".docx")
        if not converted.exists():
            raise CorruptFile("LibreOffice could not convert this .doc file (damaged or not a Word document)")
        raw = read_docx(converted, limits)
    raw.source_format = "doc"
    return raw
