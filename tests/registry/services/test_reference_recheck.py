"""References that wait for their target are resolved by a later ingest, however they came to wait.

Each ingest stamps the references it leaves unresolved and, next time, tries a stamped one only when a
document stored or edited since could be its target (registry/services/recheck.py). These tests check the
outcome a clerk sees — the reference points at its target — for each way a target can appear: stored
later (by 文号, by exact title, by a near title, a cited law), edited into matching, or stored by an
import that stopped before its resolution pass.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import update
from sqlmodel import col, select

from registry.facade import Registry
from registry.models import Document, Relation
from registry.models._types import utcnow
from registry.models.document import DocumentCreate, DocumentUpdate


def _file(folder: Path, name: str, title: str, number: str, *articles: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [title, number, *(f"第{'一二三四五'[i]}条 {text}" for i, text in enumerate(articles))]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ingest(reg: Registry, path: Path) -> str:
    report = reg.ingest([path])
    assert not report.failed, report.failed
    return str(report.documents[0]["id"])


def _relations(reg: Registry, source_id: str) -> dict[str, str | None]:
    """Each relation of ``source_id``: its kind and cited title → its target (None while unresolved)."""
    with reg.read_session() as s:
        return {f"{r.kind}:{r.target_title}": r.target_id
                for r in s.exec(select(Relation).where(Relation.source_id == source_id))}


REPEALER = ("为了规范预算管理，根据《中华人民共和国预算法》，制定本办法。",
            "本办法自2026年1月1日起施行。《示例市预算管理暂行办法》（示财〔2019〕2号）同时废止。",
            "《示例市城市市政道路设施挖掘占用管理暂行办法》同时废止。")


def test_references_waiting_for_their_targets_resolve_when_the_targets_are_stored_later(
        registry: Registry, tmp_path: Path) -> None:
    source = _ingest(registry, _file(tmp_path / "a", "b.txt", "示例市预算管理办法", "示财〔2025〕8号", *REPEALER))
    waiting = _relations(registry, source)
    assert waiting and set(waiting.values()) == {None}, waiting  # nothing to point at yet

    _ingest(registry, _file(tmp_path / "b", "other.txt", "示例市民政局关于养老服务评估的通知", "示民〔2026〕5号",
                            "为了做好养老服务评估工作，制定本通知。"))
    assert set(_relations(registry, source).values()) == {None}  # an unrelated document resolves nothing

    by_number = _ingest(registry, _file(tmp_path / "c", "old.txt", "示例市预算管理规定", "示财〔2019〕2号", "旧规定。"))
    near = _ingest(registry, _file(tmp_path / "d", "road.txt", "示例市城市市政道路设施挖掘与占用管理暂行办法",
                                   "示建〔2018〕3号", "旧办法。"))
    law = _ingest(registry, _file(tmp_path / "e", "law.txt", "中华人民共和国预算法", "", "为了规范政府收支行为，制定本法。"))
    got = _relations(registry, source)
    assert got["repeals:示例市预算管理暂行办法"] == by_number  # the 文号 decides, whatever the title
    assert got["repeals:示例市城市市政道路设施挖掘占用管理暂行办法"] == near  # one character apart
    assert got["based_on:中华人民共和国预算法"] == law


def test_a_stored_document_edited_to_match_resolves_a_waiting_reference(registry: Registry, tmp_path: Path) -> None:
    source = _ingest(registry, _file(tmp_path / "a", "b.txt", "示例市预算管理办法", "示财〔2025〕8号", *REPEALER))
    target = _ingest(registry, _file(tmp_path / "b", "t.txt", "示例市城市道路管理暂行办法", "示建〔2018〕3号", "旧办法。"))
    assert _relations(registry, source)["repeals:示例市城市市政道路设施挖掘占用管理暂行办法"] is None
    version = registry.get_document(target)["version"]
    registry.update_document(target, DocumentUpdate(title="示例市城市市政道路设施挖掘占用管理暂行办法"),
                             expected_version=version)

    _ingest(registry, _file(tmp_path / "c", "other.txt", "示例市民政局关于养老服务评估的通知", "示民〔2026〕5号", "通知。"))
    assert _relations(registry, source)["repeals:示例市城市市政道路设施挖掘占用管理暂行办法"] == target


def test_references_an_import_stopped_before_resolving_are_resolved_by_the_next_ingest(
        registry: Registry, tmp_path: Path) -> None:
    target = _ingest(registry, _file(tmp_path / "a", "old.txt", "示例市预算管理暂行办法", "示财〔2019〕2号", "旧办法。"))
    source = _ingest(registry, _file(tmp_path / "b", "b.txt", "示例市预算管理办法", "示财〔2025〕8号", *REPEALER))
    assert _relations(registry, source)["repeals:示例市预算管理暂行办法"] == target
    # What a kill between the chunk's commit and the resolution pass leaves: the reference stored, never
    # tried, and its target stored long before (so no "changed since" rule can be what finds it).
    with registry.session() as s:
        s.execute(update(Relation).where(col(Relation.source_id) == source).values(target_id=None, checked_at=None))
        s.execute(update(Document).where(col(Document.id) == target).values(updated_at=utcnow() - timedelta(days=30)))
        s.commit()

    _ingest(registry, _file(tmp_path / "c", "other.txt", "示例市民政局关于养老服务评估的通知", "示民〔2026〕5号", "通知。"))
    assert _relations(registry, source)["repeals:示例市预算管理暂行办法"] == target


#: Titles built to exercise every fold title_keys() makes: the prefix, marks inside, a version mark at the
#: end, full- and half-width brackets, and characters LIKE treats as special.
FOLDED_TITLES = ("中华人民共和国预算法", "中华人民共和国宪法（2018年修正文本）", "全国人民代表大会常务委员会关于修改〈中华人民共和国"
                 "预算法〉的决定", "示例市100%财政资金绩效评价_试行办法", "示例市促进(中小)企业发展条例（2009年修正）",
                 "示例市<城市>绿化条例", "示例市预算管理办法")


def test_only_documents_that_may_hold_a_cited_key_are_read_and_none_that_holds_it_is_missed(
        registry: Registry) -> None:
    from registry.rules.law_titles import title_keys
    from registry.services.basis import TitleIndex

    ids = {registry.create_document(DocumentCreate(title=t, doc_number=f"示政〔2026〕{i}号"))["id"]: t
           for i, t in enumerate(FOLDED_TITLES)}
    keys = {key for t in FOLDED_TITLES for key in title_keys(t)}
    with registry.read_session() as s:
        whole = TitleIndex(s)
        for key in sorted(keys):
            few = TitleIndex(s, {key})
            assert [v.id for v in few.by_key[key]] == [v.id for v in whole.by_key[key]], key
            assert set(few.dates) < set(ids), key  # fewer documents read than the registry holds
        assert not TitleIndex(s, {"示例市从未制定的办法"}).by_key

