"""A session's transcript as its space's members read it: ordered lines with who spoke when.

Times are offsets from the session's start (`Session.created_at`), the same clock the
transcript page's `?t=` and the search results' links use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session as DbSession
from sqlmodel import col, select

from rooms import routes
from rooms.core import access
from rooms.core.identity import initials_of, no_avatar_color
from rooms.core.models import Participant, Session, TranscriptSegment, User

UNKNOWN_SPEAKER = "Unknown speaker"
# Engines that give no end time: about what a person says per second, at least a second.
_SECONDS_PER_WORD = 0.4
_MIN_CUE_SECONDS = 1.0


@dataclass(frozen=True)
class Speaker:
    participant_id: str | None
    name: str
    avatar_url: str | None
    color: str

    @property
    def initials(self) -> str:
        return initials_of(self.name)


@dataclass(frozen=True)
class Line:
    segment_id: str
    utterance_id: str
    text: str
    language: str | None
    is_final: bool
    started_at: datetime
    ended_at: datetime | None
    start: float  # seconds since the session started
    end: float
    speaker: Speaker
    translation: str | None = None  # in Transcript.language, when one was chosen and made


@dataclass(frozen=True)
class Transcript:
    session: Session
    lines: list[Line]
    # The language the lines' translations are in (None: the original only), and every
    # language the transcript has translations in.
    language: str | None = None
    translations: tuple[str, ...] = ()


def offset_seconds(origin: datetime, moment: datetime) -> float:
    return max(0.0, (moment - origin).total_seconds())


def speaker_from(
    participant_id: str | None,
    participant_name: str | None,
    identity: str | None,
    user_name: str | None,
    avatar_url: str | None,
    color: str | None,
) -> Speaker:
    """Who spoke, from a participant row and (when they had an account) its user."""
    name = (participant_name or user_name or "").strip() or UNKNOWN_SPEAKER
    if not color:
        color = no_avatar_color(identity or participant_id or name)
    return Speaker(participant_id=participant_id, name=name, avatar_url=avatar_url, color=color)


# One SELECT for lines and speakers; both search and the transcript reuse these columns.
SPEAKER_COLUMNS = (
    col(Participant.id),
    col(Participant.name),
    col(Participant.identity),
    sa.func.coalesce(col(User.display_name), col(User.name)),
    col(User.avatar_url),
    col(User.no_avatar_color),
)


def end_seconds(start: float, origin: datetime, ended_at: datetime | None, text: str) -> float:
    if ended_at is not None:
        end = offset_seconds(origin, ended_at)
        if end > start:
            return end
    return start + max(_MIN_CUE_SECONDS, len(text.split()) * _SECONDS_PER_WORD)


def load(db: DbSession, reader: access.Reader, slug: str) -> Transcript:
    """The original transcript (rooms.core.caption_languages.translated adds a language)."""
    session = access.readable_session(db, slug, reader)
    return Transcript(session=session, lines=lines_of(db, session))


def lines_of(db: DbSession, session: Session) -> list[Line]:
    seg = TranscriptSegment
    query = (
        select(
            col(seg.id),
            col(seg.utterance_id),
            col(seg.text),
            col(seg.language),
            col(seg.is_final),
            col(seg.started_at),
            col(seg.ended_at),
            *SPEAKER_COLUMNS,
        )
        .select_from(seg)
        .outerjoin(Participant, col(Participant.id) == col(seg.participant_id))
        .outerjoin(User, col(User.id) == col(Participant.user_id))
        .where(seg.session_id == session.id)
        .order_by(col(seg.started_at), col(seg.created_at), col(seg.id))
    )
    origin = session.created_at
    speakers: dict[tuple, Speaker] = {}
    lines = []
    # Core rows, not ORM entities: a 3-hour session is ~3 000 of them.
    for sid, utt, text, lang, final, started, ended, *who in db.connection().execute(query):
        key = tuple(who)
        speaker = speakers.get(key)
        if speaker is None:
            speaker = speakers[key] = speaker_from(*who)
        start = offset_seconds(origin, started)
        lines.append(
            Line(
                segment_id=sid,
                utterance_id=utt,
                text=text,
                language=lang,
                is_final=bool(final),
                started_at=started,
                ended_at=ended,
                start=start,
                end=end_seconds(start, origin, ended, text),
                speaker=speaker,
            )
        )
    return lines


def clock(seconds: float) -> str:
    """`1:02:03` or `02:03`: how the page and plain-text exports show a moment."""
    total = int(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def link_to(slug: str, seconds: float, segment_id: str | None = None) -> str:
    """Where the transcript page opens at a moment (and on the exact line, when known)."""
    return routes.transcript(slug, t=seconds, seg=segment_id)
