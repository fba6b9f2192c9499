"""Staff accounts for tests: an office tree, users of each role, and signing in as a browser would.

Everything goes through the real registry and the real sign-in form (with its CSRF token), so a test
that signs in also exercises the sign-in it depends on.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from registry.facade import Registry

PASSWORD = "correct-horse-42"  # every test user's password (≥ 10 characters, not the username)
CITY = ("示例市人民政府办公室", "ZF")  # the legal office of the city government: the root of the tree
JUSTICE = ("示例市司法局", "SD03")
TRANSPORT = ("示例市交通运输局", "JT05")


def offices(reg: Registry) -> None:
    """The city government's office with two bureaus under it (region SL), unless they exist."""
    have = {o["name"] for o in reg.list_offices()}
    if CITY[0] not in have:
        reg.add_office(CITY[0], code=CITY[1], region="SL", actor="test")
    for name, code in (JUSTICE, TRANSPORT):
        if name not in have:
            reg.add_office(name, code=code, parent=CITY[0], actor="test")


def user(reg: Registry, username: str, *, role: str, office: str = JUSTICE[0],
         display_name: str | None = None) -> str:
    """A user (creating the office tree first); returns the username."""
    offices(reg)
    reg.add_user(username, office=office, role=role, password=PASSWORD, display_name=display_name, actor="test")
    return username


def form_csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    """Sign ``client`` in through the form; returns the POST's response (303 on success)."""
    form = client.get("/staff/sign-in")
    assert form.status_code == 200, form.text
    return client.post("/staff/sign-in", data={"username": username, "password": password,
                                                "csrf": form_csrf(form.text), **extra}, follow_redirects=False)


def sign_in_page(page: Any, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Sign a Playwright page in by the accessible names a clerk sees (用户名, 密码, 登录)."""
    page.goto(f"{base_url}/staff/sign-in")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/staff$"))
