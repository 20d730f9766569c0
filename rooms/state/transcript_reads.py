"""What the live transcript reads and records, each in its own database session and off the
event loop (the state calls them with asyncio.to_thread). Every one that returns captions
asks rooms.core.access first: the page is open to anyone holding the link, the transcript is
not."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlmodel import Session as DbSession

from rooms.core import access, caption_languages, participants, tasks
from rooms.core.db import session_scope
from rooms.core.identity import initials_of
from rooms.core.models import ParticipantRole, Session, User
from rooms.core.transcription import policy, transcripts
from rooms.core.transcription.policy import Caller
from rooms.core.transcripts import UNKNOWN_SPEAKER

PAGE = 100


@dataclasses.dataclass
class Caption:
    """A caption as the sidebar shows it. The field names are the wire's (the socket sends
    them as the JSON keys), so a line reads the same in the state and in the messages."""

    utteranceId: str = ""
    text: str = ""
    isFinal: bool = False
    language: str = ""
    startedAt: str = ""
    speaker: str = ""
    participantId: str = ""
    initials: str = ""
    avatar: str = ""
    translation: str = ""  # in the language this viewer reads captions in, once it came


def _reader(db: DbSession, user_id: str, identity: str) -> access.Reader:
    user = db.get(User, user_id) if user_id else None
    return access.Reader(user=user, identity=identity or None)


def readable(session_id: str, user_id: str, identity: str) -> bool:
    with session_scope() as db:
        return access.still_readable(db, session_id, _reader(db, user_id, identity))


def _translate(db: DbSession, session_id: str, items: list[Caption], language: str) -> None:
    """Each caption's saved translation into `language` (nothing for the original)."""
    found = caption_languages.translations(
        db, session_id, language, [it.utteranceId for it in items if it.isFinal]
    )
    for it in items:
        it.translation = found.get(it.utteranceId, "")


def load(
    slug: str, user_id: str, identity: str, per_speaker: bool, language: str
) -> tuple[str, bool, bool, list[Caption], bool]:
    """(session id, whether this viewer may stream, whether it may become the host, the
    newest finals, whether more remain). NotFound when this viewer may not read the
    transcript (or there is no such session)."""
    with session_scope() as db:
        session = access.readable_session(db, slug, _reader(db, user_id, identity))
        caller = Caller(user_id=user_id or None, identity=identity or None)
        can = policy.may_offer(db, session, caller, "per-speaker" if per_speaker else "host")
        me = participants.find(db, session.id, identity) if identity else None
        may_host = not per_speaker and me is not None and me.role == ParticipantRole.HOST
        items, more = transcripts.page(db, session.id, limit=PAGE)
        shown = [view(it) for it in items]
        _translate(db, session.id, shown, language)
        return session.id, can, may_host, shown, more


def may_make_tasks(session_id: str, user_id: str) -> bool:
    with session_scope() as db:
        user = db.get(User, user_id) if user_id else None
        session = db.get(Session, session_id)
        if user is None or session is None:
            return False
        return tasks.tasks_view_of_session(db, user, session) is not None


def is_host(session_id: str, identity: str) -> bool:
    with session_scope() as db:
        session = db.get(Session, session_id)
        return session is not None and policy.may_offer(
            db, session, Caller(identity=identity), "host"
        )


def view(msg: dict[str, Any]) -> Caption:
    """A caption as the sidebar shows it, from a live message or a saved final."""
    name = str(msg.get("speaker") or "")
    return Caption(
        utteranceId=str(msg["utteranceId"]),
        text=str(msg["text"]),
        isFinal=bool(msg["isFinal"]),
        language=msg.get("language") or "",
        startedAt=msg.get("startedAt") or "",
        speaker=name or UNKNOWN_SPEAKER,
        participantId=msg.get("participantId") or "",
        initials=initials_of(name),
        avatar=str(msg.get("avatarUrl") or ""),
    )


def older(
    session_id: str, before: str, user_id: str, identity: str, language: str
) -> tuple[list[Caption], bool]:
    with session_scope() as db:
        if not access.still_readable(db, session_id, _reader(db, user_id, identity)):
            return [], False
        items, more = transcripts.page(db, session_id, limit=PAGE, before=before)
        shown = [view(it) for it in items]
        _translate(db, session_id, shown, language)
        return shown, more


def watch(
    session_id: str, user_id: str, identity: str, viewer: str, language: str, items: list[Caption]
) -> list[Caption] | None:
    """This page reads the captions in `language` now: recorded for the gateway, and the
    shown finals' saved translations. None if the viewer may not read the transcript."""
    with session_scope() as db:
        if not access.still_readable(db, session_id, _reader(db, user_id, identity)):
            return None
        caption_languages.watch(db, session_id, viewer, language)
        _translate(db, session_id, items, language)
        return items


def touch(session_id: str, viewer: str, language: str) -> None:
    with session_scope() as db:
        caption_languages.watch(db, session_id, viewer, language)


def unwatch(session_id: str, viewer: str) -> None:
    with session_scope() as db:
        caption_languages.leave(db, session_id, viewer)
