"""One session world for the socket tests: a space (owner + member), an active session both
have joined, a saved final, the owner's uploaded avatar; and the marks that must never reach
someone outside it."""

from __future__ import annotations

import io
import json
import os
import uuid
from dataclasses import dataclass, field

import httpx
import redis
from PIL import Image

from rooms.core.transcription.hub import CHANNEL_PREFIX
from tests.support.helpers import unique_email
from tests.support.seed import add_segments

# Its own database number: other suites' Reflex state and rate limits live in 0.
REDIS_URL = os.environ.get("ROOMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
# The socket app's budgets (tests/state/conftest.py): low enough for test_rate_limits,
# high enough for the other tests.
TOKEN_PER_MINUTE = 40
SPACES_PER_MINUTE = 8

SAVED = "savedsecretword"
TASK_TITLE = "tasksecretword"  # a task of the space (issue 17): outsiders never see it
FIGURES = '"stats_found_rx_state_":true'  # the transcript page found the session's figures


@dataclass
class World:
    base: str
    slug: str
    session_id: str
    space_id: str
    cookies: dict[str, str]
    marks: dict[str, str] = field(default_factory=dict)
    task_id: str = ""
    segment_id: str = ""
    utterance_id: str = ""
    waiting_identity: str = ""  # the waiting guest's, once it waits (issue 16)

    def publish(self, word: str) -> None:
        """A live caption, as the gateway on any worker publishes it (Redis fan-out)."""
        message = {
            "type": "transcript",
            "utteranceId": uuid.uuid4().hex,
            "text": f"{word} live",
            "isFinal": True,
            "language": "en",
            "start": 0,
            "end": 1,
            "participantId": self.marks["owner participant id"],
        }
        redis.Redis.from_url(REDIS_URL).publish(
            CHANNEL_PREFIX + self.session_id, json.dumps(message)
        )

    def leaks(self, text: str) -> list[str]:
        return [label for label, value in self.marks.items() if value and value in text]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 200, 30)).save(out, "PNG")
    return out.getvalue()


def signed_in_cookie(base: str, name: str) -> str:
    return cookie_header(account(base, name, unique_email(name.lower())))


def _participant_id(session_id: str, identity: str) -> str:
    from rooms.core import participants
    from rooms.core.db import session_scope

    with session_scope() as db:
        found = participants.find(db, session_id, identity)
        assert found is not None
        return found.id


def _utterance_id(segment_id: str) -> str:
    from rooms.core.db import session_scope
    from rooms.core.models import TranscriptSegment

    with session_scope() as db:
        segment = db.get(TranscriptSegment, segment_id)
        assert segment is not None
        return segment.utterance_id


def clear_budgets() -> None:
    """Every client here is 127.0.0.1: full rate-limit budgets again."""
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter("LIMITS:*"):
        client.delete(key)


def make_world(base: str) -> World:
    owner_email, member_email = unique_email("owner"), unique_email("member")
    owner = account(base, "Owner", owner_email)
    member = account(base, "Member", member_email)
    owner_id = owner.get("/api/auth/me").json()["user"]["id"]
    member_id = member.get("/api/auth/me").json()["user"]["id"]
    space = owner.post("/api/spaces", json={"name": "Sockets"}).json()["space"]["id"]
    assert (
        owner.post(f"/api/spaces/{space}/members", json={"email": member_email}).status_code == 201
    )
    session = owner.post("/api/sessions", json={"spaceId": space, "title": "S"}).json()["session"]
    slug = session["slug"]
    joined = owner.post(f"/api/sessions/{slug}/participants/join", json={}).json()
    member.post(f"/api/sessions/{slug}/participants/join", json={})
    avatar = owner.post("/api/identity/avatar", files={"file": ("a.png", _png())}).json()
    participant_id = _participant_id(session["id"], joined["identity"])
    (segment_id,) = add_segments(slug, [(1.0, participant_id, f"{SAVED} said here")])
    owner.patch(f"/api/spaces/{space}/mode", json={"mode": "SESSIONS_AND_TASKS"})
    res = owner.post("/api/tasks", json={"spaceId": space, "title": f"{TASK_TITLE} to do"})
    assert res.status_code == 201, res.text
    world = World(
        base=base,
        slug=slug,
        session_id=session["id"],
        space_id=space,
        cookies={"owner": cookie_header(owner), "member": cookie_header(member)},
        task_id=res.json()["task"]["id"],
        segment_id=segment_id,
        utterance_id=_utterance_id(segment_id),
    )
    world.marks = {
        "saved final": SAVED,
        "space id": space,
        "session id": session["id"],
        "owner user id": owner_id,
        "member user id": member_id,
        "owner participant id": participant_id,
        "owner email": owner_email,
        "member email": member_email,
        "owner avatar": avatar["user"]["avatarUrl"],
        "task title": TASK_TITLE,
        "the session's figures": FIGURES,
    }
    for c in (owner, member):
        c.close()
    return world


def owner_client(world: World) -> httpx.Client:
    client = httpx.Client(base_url=world.base, timeout=30)
    client.headers["Cookie"] = world.cookies["owner"]
    return client


def lobby_on(world: World) -> None:
    with owner_client(world) as owner:
        res = owner.patch(f"/api/sessions/{world.slug}", json={"lobby": True})
        assert res.status_code == 200, res.text


def waiting(world: World) -> list[dict[str, str]]:
    """Who the session's lobby holds, as its hosts read it (REST)."""
    with owner_client(world) as owner:
        res = owner.get(f"/api/sessions/{world.slug}/lobby")
        assert res.status_code == 200, res.text
        return res.json()["waiting"]


def lobby_is_on(world: World) -> bool:
    with owner_client(world) as owner:
        return owner.get(f"/api/sessions/{world.slug}").json()["session"]["lobby"] is True


def end(world: World) -> None:
    with httpx.Client(base_url=world.base, timeout=30) as owner:
        owner.headers["Cookie"] = world.cookies["owner"]
        assert owner.post(f"/api/sessions/{world.slug}/end").status_code == 200


def account(
    base: str, name: str, email: str, password: str = "correct horse battery"
) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=30)
    res = c.post("/api/auth/signup", json={"email": email, "password": password, "name": name})
    assert res.status_code == 201, res.text
    return c


def cookie_header(client: httpx.Client) -> str:
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())
