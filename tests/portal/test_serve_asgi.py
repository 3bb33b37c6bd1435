"""The shared ``serve_asgi`` fixture (tests/conftest.py): real HTTP on 127.0.0.1, then stopped."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest


async def _hello(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
    await send({"type": "http.response.body", "body": b"hej"})


def test_serve_asgi_answers_on_loopback_and_stops_afterwards(serve_asgi) -> None:
    with serve_asgi(_hello) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.read().decode() == "hej"
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)


def test_two_servers_get_different_ports(serve_asgi) -> None:
    with serve_asgi(_hello) as first, serve_asgi(_hello) as second:
        assert first != second
