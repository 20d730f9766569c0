"""The real app in production mode, with its live fan-out through Redis so that a test can
publish a caption the way a gateway on another worker would, and its Reflex event socket
driven by a raw client (tests/support/reflex_socket.py) rather than by the pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from tests.support.api_server import free_port
from tests.support.app_server import running_app
from tests.support.world import REDIS_URL, SPACES_PER_MINUTE, TOKEN_PER_MINUTE


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
