"""A write without credentials is refused before its body is read; every body is held to its route's
limit (issue 18, bodies parsed before auth). Over a real socket, so "before" is observable."""

from __future__ import annotations

import socket
from pathlib import Path

from registry.http.app import create_app
from registry.http.middleware import BODY_LIMIT
from tests.conftest import make_settings
from tests.support.live_server import serve


def _answer_before_the_body(url: str, path: str, length: int, headers: str = "") -> str:
    """Send a request's headers and 64 KiB of a ``length``-byte body, then read what the server says."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall((f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {length}\r\n{headers}\r\n").encode() + b"[" + b" " * 65535)
        sock.settimeout(5)
        return sock.recv(4096).decode("latin-1")  # times out if the server waits for the rest


def test_a_write_without_a_token_is_refused_before_its_body_arrives(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))
    app.state.registry.init()
    with serve(app) as url:
        for headers in ("", "Authorization: Bearer nr_not-a-token\r\n"):
            answer = _answer_before_the_body(url, "/api/v1/documents", BODY_LIMIT - 1, headers)
            assert answer.startswith("HTTP/1.1 401"), answer[:200]


def test_a_json_body_past_its_limit_is_refused_even_with_a_token(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))
    app.state.registry.init()
    _, token = app.state.registry.create_token("clerk-body", role="clerk")
    with serve(app) as url:
        answer = _answer_before_the_body(url, "/api/v1/documents", BODY_LIMIT + 1,
                                         f"Authorization: Bearer {token}\r\n")
        assert answer.startswith("HTTP/1.1 413"), answer[:200]
