"""The agenda rule (rooms/core/agenda.py) through the core service, on the real database:
the test a new core function gets (docs/extending.md)."""

from __future__ import annotations

import pytest

from rooms.core import agenda, identity, sessions, spaces
from rooms.core.db import session_scope
from rooms.core.errors import Forbidden, Gone, InvalidInput, NotFound
from tests.support.helpers import unique_email


def _user(db, name: str):
    return identity.create_user(db, email=unique_email(), name=name, password="password-123")


def test_only_the_creator_or_the_owner_may_write_it_while_the_session_is_on() -> None:
    with session_scope() as db:
        owner, member, outsider = (_user(db, n) for n in ("Owner", "Member", "Outsider"))
        space = spaces.list_spaces(db, owner)[0].space
        spaces.add_member(db, owner, space.id, member.email)
        session = sessions.create_session(db, member, space_id=space.id)
        slug = session.slug

        assert agenda.set_agenda(db, member, slug, " 1. Intro \r\n").agenda == "1. Intro"
        assert agenda.view(db, outsider, slug) == agenda.AgendaView("1. Intro", False)
        assert agenda.view(db, None, slug).can_edit is False
        assert agenda.view(db, owner, slug).can_edit is True
        with pytest.raises(NotFound):
            agenda.set_agenda(db, outsider, slug, "mine")
        with pytest.raises(InvalidInput):
            agenda.set_agenda(db, owner, slug, "x" * (agenda.AGENDA_MAX + 1))

        other = sessions.create_session(db, owner, space_id=space.id)
        with pytest.raises(Forbidden):
            agenda.set_agenda(db, member, other.slug, "mine")

        sessions.end_session(db, owner, slug)
        assert agenda.view(db, member, slug).can_edit is False
        with pytest.raises(Gone):
            agenda.set_agenda(db, member, slug, "late")
