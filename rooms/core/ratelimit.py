"""Per-client request limits with the `limits` library: in memory, or Redis when REDIS_URL
is set so that every backend worker counts against the same budget."""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

from rooms.core.config import Settings
from rooms.core.errors import RateLimited

log = logging.getLogger("rooms.ratelimit")


@dataclass(frozen=True)
class Rule:
    name: str  # which RATE_LIMIT_<NAME>_PER_MINUTE applies
    methods: frozenset[str]
    path: re.Pattern[str]


def _rule(name: str, methods: str, path: str) -> Rule:
    return Rule(name, frozenset(methods.split()), re.compile(path))


# The seed's protected routes, plus everything that signs someone in or hands out a token.
RULES = (
    _rule("sessions", "GET POST", r"^/api/sessions/?$"),
    _rule("spaces", "POST", r"^/api/spaces/?$"),
    # An invitation may send an email: it spends the same budget as creating a space.
    _rule("spaces", "POST", r"^/api/spaces/[^/]+/invitations/?$"),
    _rule("token", "GET", r"^/api/sessions/[^/]+/token/?$"),
    _rule("token", "POST", r"^/api/sessions/[^/]+/participants/join/?$"),
    _rule("token", "POST", r"^/api/sessions/[^/]+/transcription/start/?$"),
    _rule("profile", "PATCH", r"^/api/identity/profile/?$"),
    _rule("profile", "GET POST", r"^/api/identity/avatar(/.*)?$"),
    _rule("auth", "POST", r"^/api/auth/(signup|login)/?$"),
    _rule("auth", "GET", r"^/api/auth/[^/]+/(login|callback)/?$"),
)


def rule_for(method: str, path: str) -> Rule | None:
    for rule in RULES:
        if method in rule.methods and rule.path.match(path):
            return rule
    return None


def client_key(settings: Settings, peer: str, forwarded_for: str | None) -> str:
    """Whose budget a request spends: the peer address, or with a trusted proxy the address
    that proxy appended last (the ones before it are whatever the client claimed)."""
    if settings.rate_limit_trust_forwarded and forwarded_for:
        last = forwarded_for.split(",")[-1].strip()
        if last:
            return last[:64]
    return peer


def per_minute(settings: Settings, rule: Rule) -> int:
    return int(getattr(settings, f"rate_limit_{rule.name}_per_minute"))


class Limiter:
    def __init__(self, storage_uri: str) -> None:
        self.uses_redis = storage_uri.startswith("redis")
        options = {"socket_timeout": 1, "socket_connect_timeout": 1} if self.uses_redis else {}
        self.storage = storage_from_string(storage_uri, **options)
        self.strategy = SlidingWindowCounterRateLimiter(self.storage)

    def hit(self, name: str, client: str, limit: int) -> int | None:
        """Count one request; None if allowed, else the seconds until one would be."""
        item = RateLimitItemPerMinute(limit)
        try:
            if self.strategy.hit(item, name, client):
                return None
            reset_at = self.strategy.get_window_stats(item, name, client).reset_time
        except Exception as exc:  # noqa: BLE001  (a storage outage must not take the site down)
            log.warning("rate limit storage unavailable, request allowed: %s", type(exc).__name__)
            return None
        return max(1, math.ceil(reset_at - time.time()))

    def clear(self, name: str, client: str, limit: int) -> None:
        self.strategy.clear(RateLimitItemPerMinute(limit), name, client)


@lru_cache(maxsize=4)
def _limiter(storage_uri: str) -> Limiter:
    return Limiter(storage_uri)


def get_limiter(settings: Settings) -> Limiter:
    return _limiter(settings.redis_url or "memory://")


def spend(settings: Settings, name: str, client: str) -> None:
    """Count one use of rule `name` by `client` and raise RateLimited once its budget is
    spent: what the REST middleware does, for the paths that are not HTTP routes (Reflex
    event handlers). The same storage, rule names and keys, so both share one budget.
    Blocking when the storage is Redis: call it from a worker thread."""
    limit = int(getattr(settings, f"rate_limit_{name}_per_minute"))
    retry_after = get_limiter(settings).hit(name, client, limit)
    if retry_after is not None:
        raise RateLimited(
            "Too many requests; try again in {seconds} s.", retry_after, seconds=retry_after
        )
