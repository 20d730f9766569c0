"""The UI's own rules: where sign-in may send people back to, and who sees which actions."""

from __future__ import annotations

import pytest

from rooms.core import identity, sessions, spaces
from rooms.core.db import session_scope
from rooms.core.identity import initials_of
from rooms.core.models import SpaceRole
from rooms.state.auth import login_url, safe_next
from rooms.state.sessions import PAGE_SIZE, _page, invite_url
from tests.helpers import unique_email


@pytest.mark.parametrize(
    ("asked", "sent"),
    [
        ("/session/abc-defg-hij", "/session/abc-defg-hij"),
        ("/tasks", "/tasks"),
        (None, "/sessions"),
        ("", "/sessions"),
        ("//evil.example/x", "/sessions"),
        ("https://evil.example/x", "/sessions"),
        ("/\\evil.example", "/sessions"),
        ("sessions", "/sessions"),
    ],
)
def test_safe_next_stays_on_this_site(asked: str | None, sent: str) -> None:
    assert safe_next(asked) == sent


def test_login_url_drops_the_trailing_slash_pages_are_served_with() -> None:
    assert login_url("/sessions/") == "/login?next=/sessions"
    assert login_url("/session/abc-defg-hij/") == "/login?next=/session/abc-defg-hij"
    assert login_url("//evil") == "/login?next=/sessions"


def test_initials() -> None:
    assert initials_of("Ada Lovelace") == "AL"
    assert initials_of("grace") == "G"
    assert initials_of("Jean-Luc de la Picard") == "JP"
    assert initials_of("  ") == "?"
    assert initials_of("Dr. Ada (guest)") == "DA"  # words that start with a letter only
    assert initials_of("— 🙂") == "?"


def test_session_actions_follow_roles() -> None:
    """The owner may end and delete; a member may end only what they created."""
    with session_scope() as db:
        owner = identity.create_user(db, email=unique_email(), name="Owner", password="x" * 8)
        member = identity.create_user(db, email=unique_email(), name="Member", password="x" * 8)
        space = spaces.ensure_user_has_active_space(db, owner)
        spaces.add_member(db, owner, space.id, member.email, SpaceRole.MEMBER)
        theirs = sessions.create_session(db, owner, title="Owner's", space_id=space.id)
        mine = sessions.create_session(db, member, title=None, space_id=space.id)
        sessions.end_session(db, owner, theirs.slug)

        as_owner = {item.slug: item for item in _page(db, owner, space.id, None)[0]}
        as_member = {item.slug: item for item in _page(db, member, space.id, None)[0]}

    assert as_owner[theirs.slug].active is False and as_owner[theirs.slug].can_end is False
    assert as_owner[mine.slug].can_end and as_owner[mine.slug].can_delete
    assert as_member[mine.slug].can_end and not as_member[mine.slug].can_delete
    assert not as_member[theirs.slug].can_delete
    assert as_member[mine.slug].title == "Untitled session"
    assert as_member[mine.slug].invite_url == invite_url(mine.slug)
    assert invite_url(mine.slug).endswith(f"/session/{mine.slug}")


def test_sessions_list_pages_with_a_cursor() -> None:
    with session_scope() as db:
        user = identity.create_user(db, email=unique_email(), name="Pager", password="x" * 8)
        space = spaces.ensure_user_has_active_space(db, user)
        made = [
            sessions.create_session(db, user, title=f"S{i}", space_id=space.id).slug
            for i in range(PAGE_SIZE + 3)
        ]
        first, cursor = _page(db, user, space.id, None)
        rest, end = _page(db, user, space.id, cursor)
    assert len(first) == PAGE_SIZE and cursor
    assert [i.slug for i in first + rest] == made[::-1]
    assert end == ""
