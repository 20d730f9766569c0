"""Sentry: with SENTRY_DSN set, the real SDK delivers an event for a forced error to a local
server speaking Sentry's envelope protocol, with environment and release, secrets scrubbed."""

from __future__ import annotations

import gzip
import json
import time
import zlib
from collections.abc import Iterator

import httpx
import pytest
import sentry_sdk
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.support.api_server import ServerThread

SECRET = "auth-secret-for-the-sentry-test-0123456789"


def _decode(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


class FakeSentry:
    """Sentry's ingest endpoint: POST /api/<project>/envelope/ with newline-delimited JSON."""

    def __init__(self) -> None:
        self.envelopes: list[list[dict]] = []
        self.raw: list[bytes] = []
        self.auth: list[str] = []
        self.app = Starlette(
            routes=[Route("/api/{project}/envelope/", self.envelope, methods=["POST"])]
        )

    async def envelope(self, request: Request) -> Response:
        raw = _decode(await request.body(), request.headers.get("content-encoding", ""))
        self.raw.append(raw)
        self.auth.append(request.headers.get("x-sentry-auth", ""))
        self.envelopes.append([json.loads(line) for line in raw.splitlines() if line.strip()])
        return Response(json.dumps({"id": "ok"}), media_type="application/json")

    def events(self) -> list[dict]:
        return [
            item
            for envelope in self.envelopes
            for item in envelope
            if "exception" in item or "message" in item or "logentry" in item
        ]

    def wait_for_event(self, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            sentry_sdk.flush(timeout=1)
            if self.events():
                return self.events()[0]
            time.sleep(0.05)
        raise AssertionError(f"no event arrived; envelopes: {self.envelopes}")


@pytest.fixture
def sentry_server(settings_env) -> Iterator[tuple[FakeSentry, str]]:
    fake = FakeSentry()
    with ServerThread(fake.app) as server:
        dsn = f"http://publickey123@127.0.0.1:{server.port}/42"
        settings_env(
            SENTRY_DSN=dsn,
            SENTRY_ENVIRONMENT="ci-test",
            SENTRY_RELEASE="rooms@test-1",
            AUTH_SECRET=SECRET,
        )
        try:
            yield fake, dsn
        finally:
            sentry_sdk.flush(timeout=2)
            sentry_sdk.init(dsn=None)  # the rest of the suite runs without reporting


def test_api_error_is_delivered_to_sentry(sentry_server) -> None:
    fake, _ = sentry_server
    from rooms.api.app import make_api

    api = make_api()  # initialises the SDK from the settings

    def explode() -> None:
        raise RuntimeError(f"forced failure while using {SECRET}")

    api.add_api_route("/forced-error", explode)
    with ServerThread(api) as server:
        res = httpx.get(f"{server.url}/forced-error")
    assert res.status_code == 500
    assert res.json() == {"error": "INTERNAL_ERROR", "message": "Something went wrong on our side."}

    event = fake.wait_for_event()
    assert "sentry_key=publickey123" in fake.auth[0]
    assert event["environment"] == "ci-test" and event["release"] == "rooms@test-1"
    (exc,) = [v for v in event["exception"]["values"] if v["type"] == "RuntimeError"]
    assert "forced failure" in exc["value"]
    raw = b"".join(fake.raw).decode()
    assert SECRET not in raw and "[redacted]" in raw


def test_reflex_backend_errors_are_reported(sentry_server) -> None:
    fake, _ = sentry_server
    from rooms.core.config import get_settings
    from rooms.core.monitoring import init_sentry
    from rooms.rooms import report_backend_exception

    assert init_sentry(get_settings())
    try:
        raise ValueError("an event handler failed")
    except ValueError as exc:
        spec = report_backend_exception(exc)
    assert spec is not None  # Reflex still shows its toast
    event = fake.wait_for_event()
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert event["environment"] == "ci-test"


def test_without_dsn_nothing_starts(settings_env) -> None:
    from rooms.core.config import get_settings
    from rooms.core.monitoring import init_sentry

    settings_env(SENTRY_DSN=None)
    assert init_sentry(get_settings()) is False
