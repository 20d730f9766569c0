"""Findings 13 and 14 of issue 13: /metrics is for this machine or a bearer of METRICS_TOKEN;
/api/docs is off in production unless asked for."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from tests.support.api_server import ServerThread


def _outside_address() -> str:
    """An address of this machine that is not loopback (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("203.0.113.1", 9))
        address = s.getsockname()[0]
    assert not address.startswith("127."), "this machine has no non-loopback address"
    return address


@contextmanager
def api(host: str = "127.0.0.1", **env: str) -> Iterator[str]:
    from rooms.api.app import make_api
    from rooms.core.config import reset_settings

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    reset_settings()
    try:
        with ServerThread(make_api(), host=host) as server:
            yield server.url
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
        reset_settings()


def test_metrics_refuse_other_machines_and_proxied_requests() -> None:
    with api(host="0.0.0.0", METRICS_TOKEN="m" * 32) as url:
        port = url.rsplit(":", 1)[1]
        local = f"http://127.0.0.1:{port}/metrics"
        outside = f"http://{_outside_address()}:{port}/metrics"
        assert httpx.get(local).status_code == 200
        res = httpx.get(outside)
        assert res.status_code == 403 and res.json()["error"] == "METRICS_FORBIDDEN"
        assert "python_info" not in res.text
        # A reverse proxy on this machine relays everyone from 127.0.0.1.
        res = httpx.get(local, headers={"X-Forwarded-For": "198.51.100.7"})
        assert res.status_code == 403
        assert httpx.get(outside, headers={"Authorization": "Bearer wrong"}).status_code == 403
        res = httpx.get(outside, headers={"Authorization": "Bearer " + "m" * 32})
        assert res.status_code == 200 and "python_info" in res.text


def test_metrics_without_a_token_are_loopback_only() -> None:
    with api(host="0.0.0.0") as url:
        port = url.rsplit(":", 1)[1]
        outside = f"http://{_outside_address()}:{port}/metrics"
        assert httpx.get(outside, headers={"Authorization": "Bearer x"}).status_code == 403
        assert httpx.get(outside).status_code == 403


SECRETS = {
    "AUTH_SECRET": "a" * 48,
    "TRANSCRIPTION_JWT_SECRET": "b" * 48,
    "LIVEKIT_API_KEY": "APIprod",
    "LIVEKIT_API_SECRET": "c" * 40,
}


@pytest.mark.parametrize(("docs", "served"), [(None, False), ("true", True), ("false", False)])
def test_api_docs_in_production(docs: str | None, served: bool) -> None:
    env = {**SECRETS, "APP_ENV": "production", "APP_URL": "https://rooms.example.org"}
    if docs is not None:
        env["API_DOCS"] = docs
    with api(**env) as url:
        for path in ("/api/docs", "/api/openapi.json"):
            res = httpx.get(url + path)
            assert (res.status_code == 200) is served, (path, res.status_code)
            if not served:
                assert res.json()["error"] == "NOT_FOUND"


def test_api_docs_outside_production(api_url: str) -> None:
    assert httpx.get(f"{api_url}/api/docs").status_code == 200


def test_app_refuses_development_secrets_on_a_public_url() -> None:
    """APP_ENV unset: the API (and so the app) still refuses to start on public secrets."""
    with (
        pytest.raises(RuntimeError, match="development defaults"),
        api(APP_ENV="development", APP_URL="https://rooms.example.org"),
    ):
        pass
