"""The real app in production mode, with its live fan-out through Redis so that a test can
publish a caption the way a gateway on another worker would, and its Reflex event socket
driven by a raw client (tests/reflex_socket.py) rather than by the pages."""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest
import redis

from tests.app_server import running_app
from tests.conftest import free_port

# Its own database number: other suites' Reflex state and rate limits live in 0.
REDIS_URL = os.environ.get("ROOMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
TOKEN_PER_MINUTE = 40  # low enough for test_rate_limits, high enough for the other tests
SPACES_PER_MINUTE = 8


@pytest.fixture(scope="package")
def socket_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {
        "REDIS_URL": REDIS_URL,
        "GRANIAN_WORKERS": "1",
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
        "RATE_LIMIT_TOKEN_PER_MINUTE": str(TOKEN_PER_MINUTE),
        "RATE_LIMIT_SPACES_PER_MINUTE": str(SPACES_PER_MINUTE),
    }
    log = tmp_path_factory.mktemp("app") / "reflex.log"
    with running_app(free_port(), log, env) as base:
        yield base


@pytest.fixture(autouse=True)
def fresh_budgets() -> None:
    """Every client here is 127.0.0.1: each test starts with full rate-limit budgets."""
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter("LIMITS:*"):
        client.delete(key)


def account(
    base: str, name: str, email: str, password: str = "correct horse battery"
) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=30)
    res = c.post("/api/auth/signup", json={"email": email, "password": password, "name": name})
    assert res.status_code == 201, res.text
    return c


def cookie_header(client: httpx.Client) -> str:
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())
