"""A scripted meeting: people join over the REST API, leave and come back through signed
LiveKit webhooks (the bodies LiveKit sends), and then the recorded moments are set to a
script, so the figures the API derives from them can be checked exactly."""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from google.protobuf.json_format import MessageToJson
from livekit.api import AccessToken
from livekit.protocol.models import ParticipantInfo, Room
from livekit.protocol.webhook import WebhookEvent
from sqlmodel import col, select

from rooms.core import participants
from rooms.core.config import get_settings
from rooms.core.db import session_scope
from rooms.core.models import ParticipantVisit, Session, TranscriptionUsage


def webhook(client: httpx.Client, event: str, slug: str, identity: str) -> None:
    """What LiveKit posts when someone connects or disconnects, signed as it signs."""
    settings = get_settings()
    body = MessageToJson(
        WebhookEvent(
            event=event,
            room=Room(name=slug),
            participant=ParticipantInfo(identity=identity),
            id=f"EV_{uuid.uuid4().hex[:12]}",
        )
    )
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    token = (
        AccessToken(settings.livekit_api_key, settings.livekit_api_secret)
        .with_sha256(digest)
        .to_jwt()
    )
    res = client.post(
        "/api/livekit/webhook",
        content=body,
        headers={"Content-Type": "application/webhook+json", "Authorization": token},
    )
    assert res.status_code == 200 and res.json()["applied"], res.text


def session_row(slug: str) -> tuple[str, datetime]:
    with session_scope() as db:
        s = db.exec(select(Session).where(Session.slug == slug)).one()
        return s.id, s.created_at


def visits(participant_id: str) -> list[tuple[datetime, datetime | None]]:
    with session_scope() as db:
        rows = db.exec(
            select(ParticipantVisit)
            .where(ParticipantVisit.participant_id == participant_id)
            .order_by(col(ParticipantVisit.joined_at), col(ParticipantVisit.id))
        ).all()
        return [(r.joined_at, r.left_at) for r in rows]


def script_visits(
    participant_id: str, origin: datetime, spans: list[tuple[float, float | None]]
) -> None:
    """Set this participant's recorded visits, in order, to these seconds after `origin`
    (as many visits as were recorded: the script only moves them in time)."""
    with session_scope() as db:
        rows = db.exec(
            select(ParticipantVisit)
            .where(ParticipantVisit.participant_id == participant_id)
            .order_by(col(ParticipantVisit.joined_at), col(ParticipantVisit.id))
        ).all()
        assert len(rows) == len(spans), (len(rows), spans)
        for row, (start, end) in zip(rows, spans, strict=True):
            assert (row.left_at is None) == (end is None), "the script keeps open visits open"
            row.joined_at = origin + timedelta(seconds=start)
            row.left_at = None if end is None else origin + timedelta(seconds=end)
            db.add(row)


def end_at(slug: str, seconds: float) -> None:
    with session_scope() as db:
        s = db.exec(select(Session).where(Session.slug == slug)).one()
        s.ended_at = s.created_at + timedelta(seconds=seconds)
        db.add(s)


def usage(session_id: str, engine: str, seconds: float) -> None:
    """A stream's measured seconds, as the gateway records them."""
    with session_scope() as db:
        db.add(TranscriptionUsage(session_id=session_id, engine=engine, duration_seconds=seconds))


def started_ago(slug: str, seconds: float) -> datetime:
    """Move the session's start into the past; returns the new start."""
    with session_scope() as db:
        s = db.exec(select(Session).where(Session.slug == slug)).one()
        s.created_at = datetime.now(UTC) - timedelta(seconds=seconds)
        db.add(s)
        return s.created_at


def participant_id(session_id: str, identity: str) -> str:
    with session_scope() as db:
        found = participants.find(db, session_id, identity)
        assert found is not None
        return found.id
