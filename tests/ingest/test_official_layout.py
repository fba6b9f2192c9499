"""Official-layout (GB/T 9704) DOCX and PDF rendered from the shared texts: title, issuer and dates.

The acceptance bar is 95% exact per field; rendering is cached in pytest's cache directory, keyed by
the typesetter's source, so only the first run pays for typesetting.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from ingest import extract
from scripts.typeset import (
    FONT,
    OfficialDoc,
    document,
    govcn,
    official_docs,
    paper,
    render_docx,
    render_pdf,
    render_text,
    web,
)
from tests.support.corpus import corpus_path

TYPESETTER = (document, govcn, paper, web)  # a change to any of them renders anew
FIELDS = ("title", "issuer", "written_date", "publication_date", "doc_number")


def _rendered(cache_dir: Path, fmt: str, render: Callable[[OfficialDoc, Path], Path]) -> list[tuple[OfficialDoc, Path]]:
    docs = official_docs(corpus_path())
    version = hashlib.sha256("".join(inspect.getsource(m) for m in TYPESETTER).encode()).hexdigest()[:12]
    out = cache_dir / f"{fmt}-{version}"
    out.mkdir(parents=True, exist_ok=True)
    pairs = []
    for doc in docs:
        path = out / f"{doc.key}.{fmt}"
        if not path.exists():
            render(doc, path.with_suffix(".tmp"))
            path.with_suffix(".tmp").rename(path)
        pairs.append((doc, path))
    return pairs


def _exactness(pairs: list[tuple[OfficialDoc, Path]]) -> tuple[dict[str, float], list[tuple[str, str, object, object]]]:
    hits = dict.fromkeys(FIELDS, 0)
    misses: list[tuple[str, str, object, object]] = []
    for expected, path in pairs:
        doc = extract(path)
        got: dict[str, object] = {"title": doc.title, "issuer": [doc.issuer, *doc.co_issuers], "written_date": doc.written_date,
               "publication_date": doc.publication_date, "doc_number": doc.doc_number}
        want: dict[str, object] = {"title": expected.title, "issuer": expected.issuers, "written_date": expected.written_date,
                "publication_date": expected.publication_date, "doc_number": expected.doc_number}
        for f in FIELDS:
            if got[f] == want[f]:
                hits[f] += 1
            else:
                misses.append((path.name, f, got[f], want[f]))
    return {f: hits[f] / len(pairs) for f in FIELDS}, misses


@pytest.fixture
def cache_dir(request: pytest.FixtureRequest) -> Path:
    return Path(request.config.cache.mkdir("official-layout"))


def test_official_docx_metadata_is_at_least_95_percent_exact(cache_dir: Path) -> None:
    scores, misses = _exactness(_rendered(cache_dir, "docx", render_docx))
    print("official DOCX exactness:", {k: f"{v:.1%}" for k, v in scores.items()})
    assert all(v >= 0.95 for v in scores.values()), misses


def test_official_plain_text_export_metadata_is_at_least_95_percent_exact(cache_dir: Path) -> None:
    """Without typography only the line structure is left: the rules must not depend on sizes."""
    scores, misses = _exactness(_rendered(cache_dir, "txt", render_text))
    print("official plain-text exactness:", {k: f"{v:.1%}" for k, v in scores.items()})
    assert all(v >= 0.95 for v in scores.values()), misses


@pytest.mark.slow
@pytest.mark.skipif(not FONT.exists(), reason=f"CJK font {FONT} missing (run scripts/ensure-system.sh)")
def test_official_pdf_metadata_is_at_least_95_percent_exact(cache_dir: Path) -> None:
    scores, misses = _exactness(_rendered(cache_dir, "pdf", render_pdf))
    print("official PDF exactness:", {k: f"{v:.1%}" for k, v in scores.items()})
    assert all(v >= 0.95 for v in scores.values()), misses


def test_docx_red_header_names_joint_issuers(tmp_path: Path) -> None:
    doc = OfficialDoc(key="joint", issuers=["示例市人民政府办公室", "示例市财政局"], doc_number="示政办发〔2021〕7号",
                      title="示例市人民政府办公室 示例市财政局关于加强行政规范性文件管理的通知", addressee="各区、县人民政府：",
                      body=["为加强行政规范性文件管理，现就有关事项通知如下。本通知自2021年3月1日起施行，有效期5年。"],
                      written_date=date(2021, 2, 1),
                      publication_date=date(2021, 2, 3), chinese_date=True)
    extracted = extract(render_docx(doc, tmp_path / "joint.docx"))
    assert extracted.issuer == "示例市人民政府办公室"
    assert extracted.co_issuers == ["示例市财政局"]
    assert extracted.title == doc.title
    assert str(extracted.effective_date) == "2021-03-01"
    assert extracted.validity_years == 5
    assert str(extracted.expiry_date) == "2026-02-28"
