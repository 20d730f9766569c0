"""SQLModel tables: the seed's Prisma schema, plus auth sessions and transcription usage.

Deleting a space removes its members and sessions; deleting a session removes its
participants and transcript; optional links (a creator, a speaker) become NULL so
that a transcript outlives the account of whoever spoke.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from rooms.core.db_types import UTCDateTime


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class SpaceMode(enum.StrEnum):
    SESSIONS_ONLY = "SESSIONS_ONLY"
    SESSIONS_AND_TASKS = "SESSIONS_AND_TASKS"


class SpaceRole(enum.StrEnum):
    OWNER = "OWNER"
    MEMBER = "MEMBER"


class SessionStatus(enum.StrEnum):
    ACTIVE = "ACTIVE"
    ENDED = "ENDED"


class ParticipantRole(enum.StrEnum):
    HOST = "HOST"
    GUEST = "GUEST"


class LobbyStatus(enum.StrEnum):
    WAITING = "WAITING"
    ADMITTED = "ADMITTED"
    DENIED = "DENIED"


def _enum(enum_cls: type[enum.Enum]) -> sa.Enum:
    # Stored as VARCHAR so SQLite and PostgreSQL share one migration and values can grow.
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=32,
        validate_strings=True,
        values_callable=lambda e: [m.value for m in e],
    )


def _ts(nullable: bool = False, index: bool = False) -> sa.Column:
    return sa.Column(UTCDateTime(), nullable=nullable, index=index)


def _fk(
    target: str, ondelete: str, nullable: bool = False, index: bool = True, name: str | None = None
) -> sa.Column:
    # A named FK is created after both tables exist (users <-> spaces point at each other).
    return sa.Column(
        sa.String(32),
        sa.ForeignKey(target, ondelete=ondelete, use_alter=name is not None, name=name),
        nullable=nullable,
        index=index,
    )


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    email: str = Field(sa_column=sa.Column(sa.String(320), nullable=False, unique=True))
    name: str | None = Field(default=None, max_length=100)
    display_name: str | None = Field(default=None, max_length=100)
    avatar_url: str | None = Field(default=None, max_length=2048)
    no_avatar_color: str | None = Field(default=None, max_length=16)
    # The UI language the person picked (rooms.core.i18n.LOCALES); NULL: not picked yet.
    locale: str | None = Field(default=None, max_length=8)
    # NULL for accounts that only ever signed in through Google / OIDC.
    password_hash: str | None = Field(default=None, max_length=255)
    email_verified: bool = Field(default=False)
    active_space_id: str | None = Field(
        default=None,
        sa_column=_fk(
            "spaces.id", "SET NULL", nullable=True, index=False, name="fk_users_active_space"
        ),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class Space(SQLModel, table=True):
    __tablename__ = "spaces"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    name: str = Field(max_length=100)
    owner_id: str = Field(sa_column=_fk("users.id", "CASCADE"))
    mode: SpaceMode = Field(
        default=SpaceMode.SESSIONS_ONLY,
        sa_column=sa.Column(_enum(SpaceMode), nullable=False),
    )
    # Names and terms the speech engines are told to expect (rooms/core/glossary.py);
    # NULL is an empty glossary.
    glossary: list[str] | None = Field(
        default=None, sa_column=sa.Column(sa.JSON(none_as_null=True), nullable=True)
    )
    # The language its streams are transcribed in (rooms/core/space_language.py): an ISO
    # 639-1 code, NULL to let the engine detect it; code switching re-detects per utterance.
    transcription_language: str | None = Field(
        default=None, sa_column=sa.Column(sa.String(8), nullable=True)
    )
    code_switching: bool = Field(
        default=False,
        sa_column=sa.Column(sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class SpaceMember(SQLModel, table=True):
    __tablename__ = "space_members"
    __table_args__ = (sa.UniqueConstraint("space_id", "user_id", name="uq_space_member"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    space_id: str = Field(sa_column=_fk("spaces.id", "CASCADE"))
    user_id: str = Field(sa_column=_fk("users.id", "CASCADE"))
    role: SpaceRole = Field(
        default=SpaceRole.OWNER, sa_column=sa.Column(_enum(SpaceRole), nullable=False)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class Session(SQLModel, table=True):
    __tablename__ = "sessions"
    # The sessions list is "this space, newest first": one index serves it and its cursor.
    __table_args__ = (sa.Index("ix_sessions_space_created", "space_id", "created_at", "id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    slug: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    title: str | None = Field(default=None, max_length=200)
    created_by_user_id: str | None = Field(
        default=None, sa_column=_fk("users.id", "SET NULL", nullable=True)
    )
    status: SessionStatus = Field(
        default=SessionStatus.ACTIVE,
        sa_column=sa.Column(_enum(SessionStatus), nullable=False),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    ended_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    space_id: str = Field(sa_column=_fk("spaces.id", "CASCADE", index=False))
    # Non-members wait until someone in the space lets them in (rooms/core/lobby.py).
    lobby: bool = Field(
        default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.false())
    )
    # What the meeting is for, written by its creator (rooms/core/agenda.py).
    agenda: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))


class Participant(SQLModel, table=True):
    __tablename__ = "participants"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "identity", name="uq_participant_identity"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    session_id: str = Field(sa_column=_fk("sessions.id", "CASCADE"))
    user_id: str | None = Field(default=None, sa_column=_fk("users.id", "SET NULL", nullable=True))
    identity: str = Field(max_length=128)  # LiveKit identity
    name: str | None = Field(default=None, max_length=100)
    role: ParticipantRole = Field(
        default=ParticipantRole.GUEST,
        sa_column=sa.Column(_enum(ParticipantRole), nullable=False),
    )
    is_transcription_host: bool = Field(default=False)
    joined_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    left_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    # Set when the space owner removed them: a ban on this identity in this session until
    # the owner lifts it (rooms/core/room_events.py).
    removed_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    # NULL for someone who came in without a lobby; otherwise where they stand in it.
    lobby_status: LobbyStatus | None = Field(
        default=None, sa_column=sa.Column(_enum(LobbyStatus), nullable=True)
    )


class TranscriptSegment(SQLModel, table=True):
    __tablename__ = "transcript_segments"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "utterance_id", name="uq_segment_utterance"),
        sa.Index("ix_segments_session_started", "session_id", "started_at"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    session_id: str = Field(sa_column=_fk("sessions.id", "CASCADE", index=False))
    participant_id: str | None = Field(
        default=None, sa_column=_fk("participants.id", "SET NULL", nullable=True)
    )
    utterance_id: str = Field(max_length=128)
    text: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    language: str | None = Field(default=None, max_length=16)
    is_final: bool = Field(default=False)
    started_at: datetime = Field(sa_column=_ts())
    ended_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class AuthSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its keyed hash is stored."""

    __tablename__ = "auth_sessions"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    token_hash: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    user_id: str = Field(sa_column=_fk("users.id", "CASCADE"))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    expires_at: datetime = Field(sa_column=_ts(index=True))
    user_agent: str | None = Field(default=None, max_length=255)


class TranscriptionUsage(SQLModel, table=True):
    """Seconds of audio transcribed, per session and per user, for the seed's limits."""

    __tablename__ = "transcription_usage"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    session_id: str = Field(sa_column=_fk("sessions.id", "CASCADE"))
    user_id: str | None = Field(default=None, sa_column=_fk("users.id", "SET NULL", nullable=True))
    participant_id: str | None = Field(
        default=None, sa_column=_fk("participants.id", "SET NULL", nullable=True, index=False)
    )
    engine: str = Field(default="local", max_length=32)
    duration_seconds: float = Field(default=0.0)
    started_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    ended_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class Invitation(SQLModel, table=True):
    """A link that makes whoever holds it a member of a space (or, bound to an email, only
    that account). The token is kept as it is: the owner copies the link again later, as
    they do a session's link."""

    __tablename__ = "invitations"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    space_id: str = Field(sa_column=_fk("spaces.id", "CASCADE"))
    token: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    email: str | None = Field(default=None, max_length=320)
    role: SpaceRole = Field(
        default=SpaceRole.MEMBER, sa_column=sa.Column(_enum(SpaceRole), nullable=False)
    )
    invited_by_user_id: str | None = Field(
        default=None, sa_column=_fk("users.id", "SET NULL", nullable=True, index=False)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    expires_at: datetime = Field(sa_column=_ts())
    revoked_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    # Only an email-bound invitation is used up by its account accepting it.
    accepted_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    accepted_by_user_id: str | None = Field(
        default=None, sa_column=_fk("users.id", "SET NULL", nullable=True, index=False)
    )


# --- tasks (issue 17) -------------------------------------------------------------------


class TaskStatus(enum.StrEnum):
    TODO = "TODO"
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"


class Task(SQLModel, table=True):
    """A piece of work in a SESSIONS_AND_TASKS space, perhaps made from a transcript line.

    The source (session, line, quote, speaker, moment) is copied when the task is made: the
    quote stays readable if the line is later deleted with its session."""

    __tablename__ = "tasks"
    # The board lists one space newest first, filtered by status or assignee: one index
    # serves the list and its cursor.
    __table_args__ = (
        sa.Index("ix_tasks_space_created", "space_id", "created_at", "id"),
        sa.Index("ix_tasks_space_status_created", "space_id", "status", "created_at", "id"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    space_id: str = Field(sa_column=_fk("spaces.id", "CASCADE", index=False))
    title: str = Field(max_length=200)
    description: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    status: TaskStatus = Field(
        default=TaskStatus.TODO, sa_column=sa.Column(_enum(TaskStatus), nullable=False)
    )
    assignee_id: str | None = Field(
        default=None, sa_column=_fk("users.id", "SET NULL", nullable=True)
    )
    created_by_user_id: str | None = Field(
        default=None, sa_column=_fk("users.id", "SET NULL", nullable=True, index=False)
    )
    due_date: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    session_id: str | None = Field(
        default=None, sa_column=_fk("sessions.id", "SET NULL", nullable=True)
    )
    segment_id: str | None = Field(
        default=None,
        sa_column=_fk("transcript_segments.id", "SET NULL", nullable=True, index=False),
    )
    source_slug: str | None = Field(default=None, max_length=64)
    source_quote: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    source_speaker: str | None = Field(default=None, max_length=100)
    source_at: float | None = Field(default=None)  # seconds since the session started
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


# --- session analytics and the summary after the meeting (issue 17) -------------------


class SummaryStatus(enum.StrEnum):
    PENDING = "PENDING"
    READY = "READY"
    UNAVAILABLE = "UNAVAILABLE"


class ParticipantVisit(SQLModel, table=True):
    """One stretch of presence: a participant row keeps only its latest join, so someone
    who left and came back needs these to count every stretch (rooms/core/presence.py)."""

    __tablename__ = "participant_visits"
    __table_args__ = (sa.Index("ix_visits_session_participant", "session_id", "participant_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    session_id: str = Field(sa_column=_fk("sessions.id", "CASCADE", index=False))
    participant_id: str = Field(sa_column=_fk("participants.id", "CASCADE"))
    joined_at: datetime = Field(sa_column=_ts())
    left_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class EngineSession(SQLModel, table=True):
    """A speech engine's own session behind one of our streams (a Gladia live session id),
    and the summary that engine made of it after the meeting (rooms/core/summaries.py)."""

    __tablename__ = "engine_sessions"
    __table_args__ = (
        sa.UniqueConstraint("engine", "external_id", name="uq_engine_session_external"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    session_id: str = Field(sa_column=_fk("sessions.id", "CASCADE"))
    engine: str = Field(max_length=32)
    external_id: str = Field(max_length=128)
    summary_status: SummaryStatus = Field(
        default=SummaryStatus.PENDING,
        sa_column=sa.Column(_enum(SummaryStatus), nullable=False),
    )
    summary_text: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    summary_reason: str | None = Field(default=None, max_length=500)
    attempts: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


# --- caption translation (issue 18) -----------------------------------------------------


class TranscriptTranslation(SQLModel, table=True):
    """A final's text in another language, made live by the engine (Gladia's real-time
    translation). Keyed like the segment it translates, by (session, utterance): the batch
    writer gives segments their ids as it inserts them, and a translation arriving a moment
    after its final must not wait for that id. Deleting the session removes these."""

    __tablename__ = "transcript_translations"
    __table_args__ = (
        sa.UniqueConstraint(
            "session_id", "utterance_id", "language", name="uq_translation_utterance_language"
        ),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    session_id: str = Field(sa_column=_fk("sessions.id", "CASCADE", index=False))
    utterance_id: str = Field(max_length=128)
    language: str = Field(max_length=16)
    text: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class CaptionViewer(SQLModel, table=True):
    """A page showing a session's live captions, and the language its viewer reads them in
    (NULL: the original). Pages refresh `seen_at` while they listen and remove the row when
    they stop, so every worker's gateway reads the languages its session needs from here
    (rooms/core/caption_languages.py)."""

    __tablename__ = "caption_viewers"
    __table_args__ = (sa.UniqueConstraint("session_id", "viewer", name="uq_caption_viewer"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    session_id: str = Field(sa_column=_fk("sessions.id", "CASCADE", index=False))
    viewer: str = Field(max_length=64)  # one listening page (random, never a user's id)
    language: str | None = Field(default=None, max_length=16)
    seen_at: datetime = Field(default_factory=utcnow, sa_column=_ts(index=True))
