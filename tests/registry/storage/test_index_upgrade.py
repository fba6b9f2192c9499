"""An upgrade that changes the embedded index format: `init` rebuilds the index from the registry."""

from __future__ import annotations

from datetime import date

from registry.facade import Registry
from registry.models import DocumentCreate
from registry.services.documents import create_document
from registry.storage.indexing import upgrade_index
from search.embedded import EmbeddedBackend
from search.model import SearchQuery


def test_init_rebuilds_an_index_left_in_an_older_format_and_removes_the_old_one(registry: Registry) -> None:
    with registry.session() as s:
        doc = create_document(s, data=DocumentCreate(
            title="示例市公共租赁住房管理办法", issuer="示例市人民政府", publication_date=date(2023, 6, 6),
            text="第一条 为了规范公共租赁住房的分配和管理，制定本办法。"), today=date.today())
    backend = registry.backend
    assert isinstance(backend, EmbeddedBackend)
    assert [h.id for h in backend.search(SearchQuery(q="公共租赁")).hits] == [doc.id]

    # What an upgrade leaves behind: the previous version's directory, and an empty index of the new one.
    old = backend.path.parent / "embedded-v1"
    old.mkdir()
    (old / "meta.json").write_text("{}", encoding="utf-8")
    backend.clear()
    assert backend.search(SearchQuery(q="公共租赁")).total == 0

    registry.init()

    assert [h.id for h in backend.search(SearchQuery(q="公共租赁")).hits] == [doc.id]
    assert not old.exists()
    assert upgrade_index(registry.engine, backend) is None  # nothing left to upgrade: no second rebuild
