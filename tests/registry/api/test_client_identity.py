"""Behind a reverse proxy: limits per real client, forwarded headers believed only from trusted proxies,
and a Secure session cookie whenever the original scheme was https. Over real sockets (uvicorn)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from registry.http.app import create_app
from tests.conftest import make_settings
from tests.support import staff
from tests.support.live_server import serve


def _statuses(url: str, clients: list[str]) -> list[int]:
    with httpx.Client(base_url=url) as http:
        return [http.get("/api/v1/suggest", params={"q": "备案"}, headers={"X-Forwarded-For": c}).status_code
                for c in clients]


def test_clients_behind_a_trusted_proxy_each_have_their_own_limit(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, rate_limit_per_minute=3, trusted_proxies=["127.0.0.1"]))
    app.state.registry.init()
    with serve(app) as url:
        assert _statuses(url, ["203.0.113.7"] * 4) == [200, 200, 200, 429]
        assert _statuses(url, ["198.51.100.9"]) == [200]  # another citizen behind the same proxy


def test_forwarded_headers_from_an_untrusted_peer_are_ignored(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, rate_limit_per_minute=3, trusted_proxies=[]))
    app.state.registry.init()
    with serve(app) as url:
        # a client inventing a new X-Forwarded-For for each request still has one bucket
        assert _statuses(url, ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"]) == [200, 200, 200, 429]


def _sign_in_cookie(url: str, proto: str) -> str:
    with httpx.Client(base_url=url, headers={"X-Forwarded-Proto": proto}) as http:
        form = http.get("/staff/sign-in")
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form.text)
        assert csrf
        # A Secure cookie is not sent back over this test's plain-http hop; the browser's hop is https.
        pre = form.cookies.get("normreg_signin") or http.cookies.get("normreg_signin")
        http.cookies.clear()
        r = http.post("/staff/sign-in", data={"username": "li.ming", "password": staff.PASSWORD,
                                              "csrf": csrf.group(1)}, headers={"Cookie": f"normreg_signin={pre}"})
        assert r.status_code == 303, r.text
        return next(v for k, v in r.headers.multi_items() if k == "set-cookie" and "normreg_staff=" in v).lower()


def test_the_session_cookie_is_secure_when_the_proxy_says_https(tmp_path: Path) -> None:
    trusted = create_app(make_settings(tmp_path / "a", trusted_proxies=["127.0.0.1"]))
    untrusted = create_app(make_settings(tmp_path / "b", trusted_proxies=[]))
    for app in (trusted, untrusted):
        app.state.registry.init()
        staff.user(app.state.registry, "li.ming", role="clerk")
    with serve(trusted) as url:
        assert "; secure" in _sign_in_cookie(url, "https")
        assert "; secure" not in _sign_in_cookie(url, "http")
    with serve(untrusted) as url:  # a client cannot claim https for itself, nor is anything believed
        assert "; secure" not in _sign_in_cookie(url, "https")
