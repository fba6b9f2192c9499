"""The basis watch on real laws of the shared corpus: a re-imported catalog that repeals a law opens one
review task for the document based on it, nothing for the others, and resolving it records the decision.

Cheap by design: five law texts of the corpus (every stored version of two laws) and two laws that cite
one of them, imported with their own catalog rows, then imported again with the same files and a catalog
saved elsewhere under another name in which one law is now 已废止. The full 2,124-file re-import is in
``test_reimport_laws_corpus.py`` (slow).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from registry.models import Document, Event, Relation, SourceFile, StatusChange
from registry.models.basis import ReviewTask
from tests.conftest import BACKENDS, make_settings, pg_schema
from tests.support.basis import AD_LAW_2021, AD_LAWS, PENALTY_2021, PENALTY_LAWS, TODAY, build_watched


@pytest.fixture(scope="module", params=BACKENDS)
def watched(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The scenario on SQLite, then on PostgreSQL (a schema of its own)."""
    tmp = tmp_path_factory.mktemp("basis")
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(pg_schema("basis")) if request.param == "postgres" else None
        data = build_watched(tmp, make_settings(tmp, url, index_inline=False, rate_limit_per_minute=0))
        yield data
        data["reg"].close()


def test_basis_resolves_each_law_to_the_version_in_force_on_the_documents_date(watched: dict[str, Any]) -> None:
    basis = watched["reg"].basis(watched["measures"])
    got = {item.title: (item.document.id if item.document else None, item.articles) for item in basis.items}
    assert got["中华人民共和国广告法"] == (AD_LAW_2021, ["第十二条", "第十三条", "第十四条", "第十五条", "第二十条"])
    assert got["行政处罚法"] == (PENALTY_2021, [])
    cited_by = {d.id for d in watched["reg"].basis(PENALTY_2021).cited_by}
    assert cited_by == {watched["measures"], watched["other"]}


def test_reimport_with_a_changed_catalog_elsewhere_changes_only_that_claim(watched: dict[str, Any]) -> None:
    again, before = watched["again"], watched["before"]
    assert again.failed == []
    assert (again.updated, again.unchanged, again.added) == (1, len(AD_LAWS) + len(PENALTY_LAWS) - 1, 0)
    reg = watched["reg"]
    with reg.read_session() as s:
        assert len(s.exec(select(SourceFile)).all()) == before["files"]  # same bytes: no new file version
        assert {d.id: d.version for d in s.exec(select(Document))} == before["versions"]
        new_events = list(s.exec(select(Event).order_by(col(Event.id)).offset(before["events"])))
        changes = list(s.exec(select(StatusChange).order_by(col(StatusChange.id)).offset(before["changes"])))
        assert [(e.document_id, e.type, e.payload["status"]) for e in new_events] == [
            (AD_LAW_2021, "status_asserted", "repealed")]
        assert [(c.document_id, c.old_status, c.new_status) for c in changes] == [(AD_LAW_2021, "in_force", "repealed")]
        assert s.get(Document, AD_LAW_2021).status == "repealed"  # type: ignore[union-attr]


def test_one_open_task_names_the_repealed_law_due_in_30_days(watched: dict[str, Any]) -> None:
    reg = watched["reg"]
    with reg.read_session() as s:
        all_tasks = list(s.exec(select(ReviewTask)))
        based = {r.source_id for r in s.exec(select(Relation).where(Relation.target_id == AD_LAW_2021,
                                                                    Relation.kind == "based_on"))}
    assert based == {watched["measures"]}  # the older laws citing 广告法 cite its older texts
    assert [(t.document_id, t.basis_id, t.kind, t.state) for t in all_tasks] == [
        (watched["measures"], AD_LAW_2021, "basis_changed", "open")]
    task = all_tasks[0]
    assert task.due == TODAY + timedelta(days=30)
    assert task.articles == ["第十二条", "第十三条", "第十四条", "第十五条", "第二十条"]
    assert reg.list_tasks(document_id=watched["other"]) == []
    listed = reg.list_tasks(document_id=watched["measures"])
    assert [(t.id, t.basis_id, t.due) for t in listed] == [(task.id, AD_LAW_2021, task.due)]


def test_resolving_the_task_as_continue_records_an_event_with_the_task_as_evidence(watched: dict[str, Any]) -> None:
    reg = watched["reg"]
    task = reg.list_tasks(document_id=watched["measures"], state="open")[0]
    done = reg.resolve_task(task.id, decision="继续有效", actor="reviewer-test")
    assert (done.state, done.decision) == ("resolved", "继续有效")
    with reg.read_session() as s:
        event = s.get(Event, done.event_id)
        assert event is not None and event.document_id == watched["measures"]
        assert (event.type, event.payload["result"], event.evidence["task"]) == ("cleared", "继续有效", task.id)
        assert s.get(Document, watched["measures"]).status == "in_force"  # type: ignore[union-attr]
    assert reg.list_tasks(document_id=watched["measures"], state="open") == []


def test_a_resolved_task_cannot_be_resolved_again(watched: dict[str, Any]) -> None:
    from registry.errors import Conflict, InvalidInput

    reg = watched["reg"]
    task = reg.list_tasks(document_id=watched["measures"])[0]
    with pytest.raises(Conflict):
        reg.resolve_task(task.id, decision="废止", actor="reviewer-test")
    with pytest.raises(InvalidInput):
        reg.resolve_task(task.id, decision="DROP TABLE", actor="reviewer-test")
