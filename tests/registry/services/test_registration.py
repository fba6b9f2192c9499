"""Registering reviewed uploads: the 统一登记号 from the office's pattern, unpublished until published,
amended files as new versions, serials that never collide or repeat (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from registry.errors import Conflict, Forbidden, InvalidInput, NotFound
from registry.facade import Registry
from registry.rules.actors import Actor
from registry.settings import Settings
from search.model import SearchQuery
from tests.support import staff

TODAY = date(2026, 3, 2)
TEXT = ("示例市司法局关于印发示例市行政执法公示办法的通知\n示司发〔2026〕3号\n\n"
        "第一条 为了规范行政执法公示，制定本办法。\n第二条 本办法自2026年4月1日起施行。\n\n"
        "示例市司法局\n2026年2月20日\n")


def _clerk(reg: Registry, name: str = "clerk-sd", office: str = staff.JUSTICE[0]) -> Actor:
    staff.user(reg, name, role="clerk", office=office)
    return reg.sign_in(name, staff.PASSWORD)[0]


def _upload(reg: Registry, actor: Actor, text: str = TEXT, name: str = "notice.txt") -> dict:  # type: ignore[type-arg]
    [item] = reg.upload_intake([(name, io.BytesIO(text.encode()))], actor=actor)
    return item


@pytest.fixture
def reg(settings: Settings) -> Registry:
    r = Registry(settings, clock=lambda: TODAY)
    r.init()
    return r


def test_register_issues_the_number_from_the_office_pattern_and_stays_unpublished(reg: Registry) -> None:
    clerk = _clerk(reg)
    item = _upload(reg, clerk)
    assert item["state"] == "pending" and item["fields"]["doc_number"] == "示司发〔2026〕3号"
    fields = {**item["fields"], "title": "示例市行政执法公示办法"}  # the clerk corrects the title
    doc = reg.register_intake(item["id"], fields, actor=clerk)
    assert doc["registration_number"] == "SLSD03-2026-0001"  # region of the parent office, code SD03
    assert doc["doc_number"] == "示司发〔2026〕3号" and doc["title"] == "示例市行政执法公示办法"
    assert doc["status"] == "not_yet_effective"
    # the public cannot see it: not by id, 文号, registration number or title, not in search
    for ref in (doc["id"], "示司发[2026]3号", "SLSD03-2026-0001", "示例市行政执法公示办法"):
        with pytest.raises(NotFound):
            reg.check(ref)
    with pytest.raises(NotFound):
        reg.get_document(doc["id"])
    assert reg.search(SearchQuery(q="行政执法公示"))["total"] == 0
    assert reg.list_documents()[0] == 0
    assert reg.changes()[0] == 0
    # its office's staff can
    assert reg.staff_document(doc["id"], actor=clerk)["published_at"] is None
    assert [d["id"] for d in reg.unpublished_documents(actor=clerk)] == [doc["id"]]

    published = reg.publish(doc["id"], actor=clerk)
    assert published["status"] == "not_yet_effective"  # effective 2026-04-01, after TODAY
    assert reg.check("SLSD03-2026-0001", at=date(2026, 4, 2))["status"] == "in_force"
    assert [h["id"] for h in reg.search(SearchQuery(q="行政执法公示"))["hits"]] == [doc["id"]]
    _, events = reg.list_events(doc["id"])
    actions = [(e.payload.get("action"), e.actor) for e in events]
    assert actions == [("registered", "clerk-sd"), ("published", "clerk-sd")]


def test_serials_count_per_office_and_year_and_patterns_inherit(reg: Registry) -> None:
    clerk = _clerk(reg)
    other = _clerk(reg, "clerk-jt", office=staff.TRANSPORT[0])
    numbers = [reg.register_intake(_upload(reg, clerk, TEXT.replace("3号", f"{n}号"), f"{n}.txt")["id"],
                                   {"title": f"办法{n}"}, actor=clerk)["registration_number"] for n in (4, 5)]
    assert numbers == ["SLSD03-2026-0001", "SLSD03-2026-0002"]
    jt = reg.register_intake(_upload(reg, other, TEXT.replace("3号", "9号"), "9.txt")["id"], {"title": "交通办法"},
                             actor=other)
    assert jt["registration_number"] == "SLJT05-2026-0001"


def test_a_bad_pattern_is_refused_not_evaluated(settings: Settings) -> None:
    reg = Registry(settings.model_copy(update={"registration_pattern": "{code.__class__}-{seq}"}),
                   clock=lambda: TODAY)
    reg.init()
    clerk = _clerk(reg)
    item = _upload(reg, clerk)
    with pytest.raises(InvalidInput):
        reg.register_intake(item["id"], item["fields"], actor=clerk)
    assert reg.intake_item(item["id"], actor=clerk)["state"] == "pending"  # nothing was written


def test_bad_fields_are_named_one_by_one(reg: Registry) -> None:
    clerk = _clerk(reg)
    item = _upload(reg, clerk)
    with pytest.raises(InvalidInput) as caught:
        reg.register_intake(item["id"], {**item["fields"], "title": " ", "effective_date": "2026-02-30"},
                            actor=clerk)
    assert set(caught.value.details["fields"]) == {"title", "effective_date"}
    assert reg.intake_item(item["id"], actor=clerk)["state"] == "pending"


def test_another_offices_clerk_can_neither_see_nor_register_nor_publish(reg: Registry) -> None:
    clerk = _clerk(reg)
    other = _clerk(reg, "clerk-jt", office=staff.TRANSPORT[0])
    item = _upload(reg, clerk)
    assert reg.intake_items(actor=other) == []
    with pytest.raises(Forbidden):
        reg.register_intake(item["id"], item["fields"], actor=other)
    doc = reg.register_intake(item["id"], item["fields"], actor=clerk)
    with pytest.raises(Forbidden):
        reg.publish(doc["id"], actor=other)
    with pytest.raises(Conflict):  # an item is registered once
        reg.register_intake(item["id"], item["fields"], actor=clerk)


def test_an_amended_file_becomes_the_next_version_not_a_duplicate(reg: Registry) -> None:
    clerk = _clerk(reg)
    first = _upload(reg, clerk)
    doc = reg.register_intake(first["id"], first["fields"], actor=clerk)
    amended = _upload(reg, clerk, TEXT.replace("制定本办法。", "制定本办法（修订）。"), "notice-v2.txt")
    assert amended["match"]["id"] == doc["id"]  # same 文号 in the same office
    again = reg.register_intake(amended["id"], amended["fields"], version_of=amended["match"]["id"], actor=clerk)
    assert again["id"] == doc["id"] and again["registration_number"] == doc["registration_number"]
    assert [f["version"] for f in again["files"]] == [1, 2]
    assert "修订" in reg.staff_document(doc["id"], actor=clerk)["articles"][0]["text"]
    # the next new document still takes the next serial: versions take none
    third = reg.register_intake(_upload(reg, clerk, TEXT.replace("3号", "8号"), "x.txt")["id"], {"title": "另一办法"},
                                actor=clerk)
    assert third["registration_number"] == "SLSD03-2026-0002"


def test_a_broken_file_fails_alone(reg: Registry) -> None:
    clerk = _clerk(reg)
    items = reg.upload_intake([("broken.pdf", io.BytesIO(b"%PDF-1.4 this is not a pdf")),
                               ("evil.exe", io.BytesIO(b"MZ")),
                               ("good.txt", io.BytesIO(TEXT.encode()))], actor=clerk)
    assert [i["state"] for i in items] == ["failed", "failed", "pending"]
    assert all(i["error"] for i in items[:2]) and items[2]["fields"]["doc_number"] == "示司发〔2026〕3号"


def test_twenty_concurrent_registrations_in_the_library_get_consecutive_serials(reg: Registry) -> None:
    clerk = _clerk(reg)
    items = reg.upload_intake([(f"c{n}.txt", io.BytesIO(TEXT.replace("3号", f"{n + 100}号").encode()))
                               for n in range(20)], actor=clerk)
    barrier = threading.Barrier(20)

    def register(item: dict) -> str:  # type: ignore[type-arg]
        barrier.wait()
        return str(reg.register_intake(item["id"], {"title": f"并发办法{item['id']}"}, actor=clerk)
                   ["registration_number"])

    with ThreadPoolExecutor(20) as pool:
        numbers = list(pool.map(register, items))
    serials = sorted(int(re.fullmatch(r"SLSD03-2026-(\d{4})", n).group(1)) for n in numbers)  # type: ignore[union-attr]
    assert serials == list(range(1, 21)), numbers
