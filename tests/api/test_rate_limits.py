"""Rate limits: 429 with Retry-After and the error contract, in memory and in Redis."""

from __future__ import annotations

import httpx
import pytest
import redis

from rooms.core import ratelimit
from rooms.core.config import get_settings
from tests.support.helpers import unique_email

REDIS_URL = "redis://127.0.0.1:6379/0"
LIMITS = {
    "RATE_LIMIT_SESSIONS_PER_MINUTE": "3",
    "RATE_LIMIT_PROFILE_PER_MINUTE": "2",
    "RATE_LIMIT_AUTH_PER_MINUTE": "2",
    "RATE_LIMIT_TOKEN_PER_MINUTE": "2",
}


def _fresh_budget() -> None:
    """Forget what earlier tests (all from 127.0.0.1) spent under these limits."""
    settings = get_settings()
    limiter = ratelimit.get_limiter(settings)
    for name in ("sessions", "profile", "auth", "token"):
        limit = int(getattr(settings, f"rate_limit_{name}_per_minute"))
        limiter.clear(name, "127.0.0.1", limit)


def _assert_429(res) -> None:
    assert res.status_code == 429, res.text
    assert res.json()["error"] == "RATE_LIMITED" and res.json()["message"]
    assert 1 <= int(res.headers["retry-after"]) <= 60
    assert res.headers["x-content-type-options"] == "nosniff"


def test_rule_table() -> None:
    assert ratelimit.rule_for("GET", "/api/sessions").name == "sessions"
    assert ratelimit.rule_for("POST", "/api/sessions").name == "sessions"
    assert ratelimit.rule_for("GET", "/api/sessions/abc-defg-hij") is None
    assert ratelimit.rule_for("GET", "/api/sessions/abc-defg-hij/token").name == "token"
    assert ratelimit.rule_for("POST", "/api/sessions/a/transcription/start").name == "token"
    assert ratelimit.rule_for("PATCH", "/api/identity/profile").name == "profile"
    assert ratelimit.rule_for("GET", "/api/identity/profile") is None
    assert ratelimit.rule_for("POST", "/api/auth/login").name == "auth"
    assert ratelimit.rule_for("GET", "/api/auth/google/login").name == "auth"
    assert ratelimit.rule_for("POST", "/api/auth/logout") is None
    # An invitation may send an email (issue 16).
    assert ratelimit.rule_for("POST", "/api/spaces/s/invitations").name == "spaces"
    assert ratelimit.rule_for("GET", "/api/spaces/s/invitations") is None


@pytest.mark.parametrize("storage", ["memory", "redis"])
def test_limits_answer_429_with_retry_after(signed_in, new_client, settings_env, storage) -> None:
    client, _ = signed_in()
    settings_env(**LIMITS, REDIS_URL=REDIS_URL if storage == "redis" else None)
    _fresh_budget()

    assert client.get("/api/sessions").status_code == 200
    assert client.post("/api/sessions", json={}).status_code == 201
    assert client.get("/api/sessions").status_code == 200
    _assert_429(client.get("/api/sessions"))
    _assert_429(client.post("/api/sessions", json={}))
    # Other routes keep their own budgets.
    assert client.get("/api/spaces").status_code == 200
    assert client.patch("/api/identity/profile", json={"name": "A"}).status_code == 200
    assert client.patch("/api/identity/profile", json={"name": "B"}).status_code == 200
    _assert_429(client.patch("/api/identity/profile", json={"name": "C"}))
    assert client.get("/api/identity/profile").json()["user"]["name"] == "B"

    anon = new_client()
    for _ in range(2):
        assert anon.post("/api/auth/login", json={"email": "a@b.co", "password": "x"}).status_code
    _assert_429(anon.post("/api/auth/login", json={"email": "a@b.co", "password": "x"}))
    _assert_429(anon.post("/api/auth/signup", json={}))

    if storage == "redis":
        keys = redis.Redis.from_url(REDIS_URL).keys("LIMITS*sessions*127.0.0.1*")
        assert keys, "the counters live in Redis"
    _fresh_budget()


def test_unreachable_redis_lets_requests_through(signed_in, settings_env) -> None:
    client, _ = signed_in()
    settings_env(**LIMITS, REDIS_URL="redis://127.0.0.1:1/0")
    for _ in range(5):
        assert client.get("/api/sessions").status_code == 200


@pytest.fixture
def raw_peer_url():
    """An API server that leaves the peer address alone (uvicorn would otherwise apply
    X-Forwarded-For from 127.0.0.1 itself, which would hide what the app does)."""
    from rooms.api.app import make_api
    from tests.support.api_server import ServerThread

    server = ServerThread(make_api())
    server.server.config.proxy_headers = False
    with server:
        yield server.url


def test_forwarded_for_counts_only_behind_a_trusted_proxy(raw_peer_url, settings_env) -> None:
    client = httpx.Client(base_url=raw_peer_url)
    body = {"email": unique_email("fwd"), "password": "correct horse battery", "name": "F"}
    assert client.post("/api/auth/signup", json=body).status_code == 201
    settings_env(**LIMITS)
    _fresh_budget()
    # Not trusted: a client cannot buy a fresh budget by inventing addresses.
    for n in range(3):
        res = client.get("/api/sessions", headers={"X-Forwarded-For": f"10.9.9.{n}"})
        assert res.status_code == 200
    _assert_429(client.get("/api/sessions", headers={"X-Forwarded-For": "10.9.9.9"}))

    # Trusted: each address the proxy appended has its own budget; what the client put
    # before it does not matter.
    settings_env(RATE_LIMIT_TRUST_FORWARDED="true")
    limiter = ratelimit.get_limiter(get_settings())
    for address in ("198.51.100.7", "198.51.100.8"):
        limiter.clear("sessions", address, 3)
    alice = {"X-Forwarded-For": "1.2.3.4, 198.51.100.7"}
    for _ in range(3):
        assert client.get("/api/sessions", headers=alice).status_code == 200
    _assert_429(client.get("/api/sessions", headers={"X-Forwarded-For": "5.6.7.8, 198.51.100.7"}))
    assert (
        client.get("/api/sessions", headers={"X-Forwarded-For": "198.51.100.8"}).status_code == 200
    )
    _fresh_budget()
    client.close()
