"""A session's agenda: a few lines its creator writes, shown to everyone in the room.

The one rule (who may change it) is `require_editor`; the REST route and the room's Reflex
state both go through `set_agenda`. Reading follows the session's title: whoever holds the
link sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session as DbSession

from rooms.core import sessions, spaces
from rooms.core.errors import Forbidden, InvalidInput, NotFound
from rooms.core.models import Session, SessionStatus, User

AGENDA_MAX = 2000
# Line breaks and tabs are the point of an agenda; other control characters and the bidi
# overrides (which make text read differently from what it is) are not.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class AgendaView:
    text: str
    can_edit: bool


def clean_agenda(value: str | None) -> str | None:
    """The text as stored: line endings as `\\n`, trimmed; empty means no agenda."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if _UNSAFE.search(text):
        raise InvalidInput("The agenda must not contain control characters.")
    if len(text) > AGENDA_MAX:
        raise InvalidInput("The agenda must be at most {max} characters.", max=AGENDA_MAX)
    return text or None


def may_edit(db: DbSession, user: User | None, session: Session) -> bool:
    """The session's creator, or the owner of its space, while the session is on."""
    if user is None or session.status != SessionStatus.ACTIVE:
        return False
    member = spaces.membership(db, user.id, session.space_id)
    return member is not None and sessions.may_run(member.role, session, user.id)


def require_editor(db: DbSession, user: User, session: Session) -> None:
    if spaces.membership(db, user.id, session.space_id) is None:
        raise NotFound("Session not found.", code="SESSION_NOT_FOUND")  # no hint it exists
    sessions.require_joinable(session)
    if not may_edit(db, user, session):
        raise Forbidden(
            "Only the session's creator or the space owner can change its agenda.",
            code="NOT_ALLOWED",
        )


def set_agenda(db: DbSession, user: User, slug: str, text: str | None) -> Session:
    session = sessions.get_by_slug(db, slug)
    require_editor(db, user, session)
    session.agenda = clean_agenda(text)
    db.add(session)
    db.flush()
    return session


def view(db: DbSession, user: User | None, slug: str) -> AgendaView:
    session = sessions.get_by_slug(db, slug)
    return AgendaView(session.agenda or "", may_edit(db, user, session))
