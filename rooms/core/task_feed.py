"""Live changes to a space's tasks, for every open board of that space.

It rides on the transcript hub (rooms.core.transcription.hub): one channel per space,
`tasks:<space id>`, in-process or through Redis pub/sub when REDIS_URL is set, so a board on
another worker hears of it too. A message only says that something changed; each board then
reads the tasks again as its own viewer, so nothing reaches a page its viewer may not read.

Changes are announced once their transaction is committed, from whichever thread committed
(usually a worker thread), never for a change that rolled back.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session as DbSession

from rooms.core.config import get_settings
from rooms.core.transcription.hub import CHANNEL_PREFIX, Subscription, get_hub

log = logging.getLogger("rooms.tasks.feed")

_PENDING = "rooms.tasks.changed"


def channel(space_id: str) -> str:
    return f"tasks:{space_id}"


def announce(db: DbSession, space_id: str, task_id: str, action: str) -> None:
    """Tell the space's boards about this change once `db` commits it."""
    if _PENDING not in db.info:
        sa.event.listen(db, "after_commit", _send_pending)
        sa.event.listen(db, "after_rollback", _drop_pending)
        db.info[_PENDING] = []
    db.info[_PENDING].append(
        {"type": "tasks", "spaceId": space_id, "taskId": task_id, "action": action}
    )


def _drop_pending(db: DbSession) -> None:
    db.info[_PENDING].clear()


def _send_pending(db: DbSession) -> None:
    pending: list[dict[str, Any]] = list(db.info[_PENDING])
    db.info[_PENDING].clear()
    for message in pending:
        publish(message["spaceId"], message)


@lru_cache(maxsize=4)
def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


def publish(space_id: str, message: dict[str, Any]) -> None:
    """From any thread: a synchronous Redis publish reaches every worker's reader."""
    url = get_settings().redis_url
    if url:
        try:
            _redis(url).publish(CHANNEL_PREFIX + channel(space_id), json.dumps(message))
            return
        except Exception as exc:  # noqa: BLE001  (Redis down: still reach this worker's boards)
            log.warning("redis publish of a task change failed, delivering locally: %s", exc)
    get_hub().deliver_local(channel(space_id), message)


async def subscribe(space_id: str) -> Subscription:
    hub = get_hub()
    await hub.start()
    return hub.subscribe(channel(space_id))
