"""LAST_OWNER under concurrency (issue 16): two owners stepping down at the same moment must
not leave a space without one. PostgreSQL only: SQLite lets one writer in at a time, so
the race cannot happen there."""

from __future__ import annotations

import threading

import pytest

from rooms.core import identity, members, spaces
from rooms.core.config import get_settings
from rooms.core.db import session_scope
from rooms.core.errors import Conflict
from rooms.core.models import SpaceMember, SpaceRole, User
from tests.support.helpers import unique_email

pytestmark = pytest.mark.skipif(
    not get_settings().database_url.startswith("postgresql"), reason="needs PostgreSQL"
)


def test_two_owners_demoting_each_other_at_once_leave_one() -> None:
    with session_scope() as db:
        a = identity.create_user(db, email=unique_email("a"), name="A", password="password-123")
        b = identity.create_user(db, email=unique_email("b"), name="B", password="password-123")
        space_id = spaces.create_space(db, a, "Two owners").id
        db.add(SpaceMember(space_id=space_id, user_id=b.id, role=SpaceRole.OWNER))
    a_id, b_id = a.id, b.id
    outcome: dict[str, object] = {}

    def b_demotes_a() -> None:
        try:
            with session_scope() as db:
                members.change_role(db, db.get(User, b_id), space_id, a_id, SpaceRole.MEMBER)
            outcome["b"] = "done"
        except Conflict as exc:
            outcome["b"] = exc.code

    with session_scope() as db:  # A demotes B and has not committed yet
        members.change_role(db, db.get(User, a_id), space_id, b_id, SpaceRole.MEMBER)
        other = threading.Thread(target=b_demotes_a)
        other.start()
        other.join(timeout=1.5)  # B waits for A's lock (without it, B finishes here)
    other.join(timeout=15)
    assert outcome.get("b") == "LAST_OWNER", outcome
    with session_scope() as db:
        owners = [m for m, _ in spaces.list_members(db, db.get(User, a_id), space_id)]
        assert [m.role for m in owners].count(SpaceRole.OWNER) == 1
