"""GRANIAN_BACKLOG and GRANIAN_BACKPRESSURE under `reflex run`, as under Granian's own CLI.

`reflex run --env prod` builds Granian's server itself and reads only GRANIAN_WORKERS and
GRANIAN_LOG_LEVEL; the other GRANIAN_* variables belong to Granian's command line, so under
Reflex they were silently ignored and each worker accepted at most backlog / workers
(1 024 / workers) connections at once. Every live transcription stream and every open page
holds one, so a busy server stopped accepting well before its CPU was the limit.
rxconfig.py calls `apply()`; the variables fill the two constructor arguments whenever the
caller (Reflex) leaves them out.
"""

from __future__ import annotations

import functools
import inspect
import os
from typing import Any

OPTIONS = {"backlog": "GRANIAN_BACKLOG", "backpressure": "GRANIAN_BACKPRESSURE"}


def _from_env(var: str) -> int | None:
    raw = os.environ.get(var, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{var} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise ValueError(f"{var} must be at least 1, not {value}")
    return value


def apply() -> None:
    try:
        from granian.server.common import AbstractServer
    except ImportError:
        return
    init = AbstractServer.__init__
    if getattr(init, "rooms_env", False):
        return
    signature = inspect.signature(init)

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        given = signature.bind_partial(self, *args, **kwargs).arguments
        for name, var in OPTIONS.items():
            value = _from_env(var)
            if name not in given and value is not None:
                kwargs[name] = value
        init(self, *args, **kwargs)

    __init__.rooms_env = True  # type: ignore[attr-defined]
    AbstractServer.__init__ = __init__  # type: ignore[method-assign]
