"""More official layouts for the accuracy tests, beside the shared typesetter (``scripts.typeset``).

* laws and regulations from ``../shared/corpus/laws`` set as a printed act: title in 22 pt, the
  adoption note under it, the opening articles and the closing ones (where the 施行 clause is);
* any DOCX converted to PDF by LibreOffice, the producer most offices' PDFs come from;
* a deterministic split into a tuned part and a set-aside part by a hash of the file's key, so that
  the rules can be judged on files nobody looked at while writing them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

#: One file in three is set aside (hash of its key), never used while tuning the rules.
SET_ASIDE_EVERY = 3


def part(key: str) -> str:
    """``set-aside`` or ``tuned``, fixed by the key's hash so the split never moves."""
    return "set-aside" if hashlib.sha256(key.encode()).digest()[0] % SET_ASIDE_EVERY == 0 else "tuned"


@dataclass
class LawDoc:
    """A law as typeset, with what extraction must find."""

    key: str
    title: str
    issuer: str
    effective_date: date
    note: str
    articles: list[str]

    @property
    def states_effective_date(self) -> bool:
        """False for a consolidated text (根据…修正): its 施行 clause dates the original act, and the
        amended version's date is in the amending decision, which is not part of the text."""
        return not re.search(r"根据.{0,80}(修正|修改)", self.note)

    @property
    def expected_effective_date(self) -> date | None:
        """The catalog's date when the typeset text has a 施行 clause; None when it has none (the
        excerpt left it out, or the act never had one): extraction must not guess."""
        said = re.search(r"起(施行|实施|生效)", self.note + "".join(self.articles))
        return self.effective_date if said else None


_ARTICLE = re.compile(r"^- \*\*(第[^*]+条)\*\*[\s\u3000]*(.*)$")


def law_docs(corpus: Path, count: int = 60) -> list[LawDoc]:
    """``count`` laws, regulations and judicial interpretations in force, chosen by hash of their id."""
    rows = [json.loads(line) for line in (corpus / "laws" / "catalog.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    rows = [r for r in rows if r["category"] in ("法律", "行政法规", "司法解释") and r.get("effective_date")]
    rows.sort(key=lambda r: hashlib.sha256(r["id"].encode()).hexdigest())
    out: list[LawDoc] = []
    for row in rows:
        text = (corpus / "laws" / row["file"]).read_text(encoding="utf-8")
        note = next((m.group(1) for m in re.finditer(r"^> (（.*）)$", text, re.MULTILINE)), "")
        articles = [f"{m.group(1)}\u3000{m.group(2)}" for m in map(_ARTICLE.match, text.splitlines()) if m]
        if len(articles) < 4 or not note:
            continue
        chosen = articles[:3] + articles[-2:]
        out.append(LawDoc(key=row["id"], title=row["title"], issuer=row["issuer"],
                          effective_date=date.fromisoformat(row["effective_date"]), note=note,
                          articles=[a[:400] for a in chosen]))
        if len(out) == count:
            break
    return out


def render_law_docx(doc: LawDoc, path: Path) -> Path:
    """The act as Word sets it: centred 22 pt title (wrapped as a typesetter would), note, articles."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    word = Document()

    def para(text: str, size: float, *, center: bool = False) -> None:
        p = word.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.font.name = "仿宋_GB2312"
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")

    n = max(1, -(-len(doc.title) // 19))
    size = -(-len(doc.title) // n)
    for i in range(0, len(doc.title), size):
        para(doc.title[i:i + size], 22, center=True)
    para(doc.note, 16, center=True)
    for article in doc.articles:
        para("\u3000\u3000" + article, 16)
    word.save(str(path))
    return path


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf_with_libreoffice(docx: list[Path], out_dir: Path) -> list[Path]:
    """Convert ``docx`` to PDF in one LibreOffice run (start-up is most of the cost)."""
    exe = libreoffice()
    assert exe, "LibreOffice is not installed"
    out_dir.mkdir(parents=True, exist_ok=True)
    todo = [p for p in docx if not (out_dir / (p.stem + ".pdf")).exists()]
    profile = out_dir / ".profile"
    for start in range(0, len(todo), 40):
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out_dir), *map(str, todo[start:start + 40])],
                       capture_output=True, timeout=600, check=False, env={**os.environ, "HOME": str(out_dir)})
    return [out_dir / (p.stem + ".pdf") for p in docx]
