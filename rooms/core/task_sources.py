"""Where a task comes from: a line of a session's transcript, in the task's own space.

`resolve_source` is the rule (the line must belong to a session of the task's space, or it
does not exist for it); the rest reads what a task keeps of its line.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms.core.errors import NotFound
from rooms.core.identity import display_name
from rooms.core.models import Participant, Session, Task, TranscriptSegment, User
from rooms.core.transcripts import UNKNOWN_SPEAKER, link_to
from rooms.core.validation import is_lookup_key

TITLE_MAX = 200


@dataclass(frozen=True)
class TaskSource:
    """Where a task came from: a line of a session's transcript."""

    session_slug: str
    segment_id: str | None
    quote: str
    speaker: str
    at: float  # seconds since the session started

    @property
    def link(self) -> str:
        return link_to(self.session_slug, self.at, self.segment_id)


def segment_not_found() -> NotFound:
    return NotFound("Transcript line not found.", code="SEGMENT_NOT_FOUND")


def session_in_space(db: DbSession, space_id: str, slug: str) -> Session:
    session = None
    if is_lookup_key(slug):
        session = db.exec(select(Session).where(Session.slug == slug.lower())).first()
    if session is None or session.space_id != space_id:
        raise NotFound("Session not found.", code="SESSION_NOT_FOUND")
    return session


def speaker_of(db: DbSession, segment: TranscriptSegment) -> tuple[str, str | None]:
    """(the name shown for the line's speaker, their account when they had one)."""
    if segment.participant_id is None:
        return UNKNOWN_SPEAKER, None
    participant = db.get(Participant, segment.participant_id)
    if participant is None:
        return UNKNOWN_SPEAKER, None
    user = db.get(User, participant.user_id) if participant.user_id else None
    name = (participant.name or (display_name(user) if user else "") or "").strip()
    return name or UNKNOWN_SPEAKER, participant.user_id


def resolve_source(
    db: DbSession, space_id: str, session_slug: str | None, segment_id: str | None
) -> tuple[Session, TranscriptSegment | None] | None:
    """The session (and line) a task comes from; both must be in the task's space, or
    they do not exist for it (404)."""
    if not session_slug and not segment_id:
        return None
    segment = None
    if segment_id:
        segment = db.get(TranscriptSegment, segment_id) if is_lookup_key(segment_id) else None
        if segment is None:
            raise segment_not_found()
        session = db.get(Session, segment.session_id)
        if session is None or session.space_id != space_id:
            raise segment_not_found()
        if session_slug and session.slug != session_slug.lower():
            raise segment_not_found()
        return session, segment
    return session_in_space(db, space_id, session_slug or ""), None


def source_of(task: Task) -> TaskSource | None:
    if task.source_slug is None:
        return None
    return TaskSource(
        session_slug=task.source_slug,
        segment_id=task.segment_id,
        quote=task.source_quote or "",
        speaker=task.source_speaker or "",
        at=task.source_at or 0.0,
    )


def session_titles(db: DbSession, slugs: set[str]) -> dict[str, str]:
    """Titles of the sessions tasks come from, to name them on a card."""
    if not slugs:
        return {}
    rows = db.exec(select(Session.slug, Session.title).where(col(Session.slug).in_(slugs)))
    return {slug: title or "" for slug, title in rows}


def title_from(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= TITLE_MAX:
        return flat
    cut = flat[: TITLE_MAX - 1].rsplit(" ", 1)[0]
    return cut + "…"
