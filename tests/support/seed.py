"""Transcript rows written straight through SQLModel, the way the gateway's writer will."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from rooms.core.db import session_scope
from rooms.core.models import Participant, ParticipantRole, Session, TranscriptSegment


def session_start(slug: str) -> datetime:
    with session_scope() as db:
        from sqlmodel import select

        s = db.exec(select(Session).where(Session.slug == slug)).one()
        return s.created_at


def set_session_start(slug: str, moment: datetime) -> None:
    """Move the session's start (before its segments are added: they are timed from it)."""
    with session_scope() as db:
        from sqlmodel import select

        s = db.exec(select(Session).where(Session.slug == slug)).one()
        s.created_at = moment
        db.add(s)


def add_participant(
    slug: str, name: str | None, user_id: str | None = None, identity: str | None = None
) -> str:
    with session_scope() as db:
        from sqlmodel import select

        s = db.exec(select(Session).where(Session.slug == slug)).one()
        p = Participant(
            session_id=s.id,
            user_id=user_id,
            identity=identity or f"guest-{uuid.uuid4().hex[:8]}",
            name=name,
            role=ParticipantRole.HOST if user_id else ParticipantRole.GUEST,
        )
        db.add(p)
        db.flush()
        return p.id


def add_segments(
    slug: str,
    lines: list[tuple[float, str | None, str]],
    length: float = 2.5,
    languages: list[str | None] | None = None,
) -> list[str]:
    """(seconds after the session started, participant id or None, text) -> segment ids;
    `languages`: each line's detected language (default English)."""
    start = session_start(slug)
    ids = []
    with session_scope() as db:
        from sqlmodel import select

        s = db.exec(select(Session).where(Session.slug == slug)).one()
        langs = languages or ["en"] * len(lines)
        for (at, participant_id, text), language in zip(lines, langs, strict=True):
            seg = TranscriptSegment(
                session_id=s.id,
                participant_id=participant_id,
                utterance_id=uuid.uuid4().hex,
                text=text,
                language=language,
                is_final=True,
                started_at=start + timedelta(seconds=at),
                ended_at=start + timedelta(seconds=at + length),
            )
            db.add(seg)
            db.flush()
            ids.append(seg.id)
    return ids


def add_translations(segment_ids: list[str], language: str, texts: list[str | None]) -> None:
    """Saved translations of these segments into `language` (None: that one has none)."""
    from rooms.core.models import TranscriptTranslation

    with session_scope() as db:
        for seg_id, text in zip(segment_ids, texts, strict=True):
            if text is None:
                continue
            seg = db.get(TranscriptSegment, seg_id)
            assert seg is not None
            db.add(
                TranscriptTranslation(
                    session_id=seg.session_id,
                    utterance_id=seg.utterance_id,
                    language=language,
                    text=text,
                )
            )
