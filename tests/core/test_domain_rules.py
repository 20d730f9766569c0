"""Domain rules through the core services, against the real test database."""

from __future__ import annotations

import pytest
from sqlmodel import select

from rooms.core import identity, sessions, spaces
from rooms.core.db import session_scope
from rooms.core.errors import Conflict, Gone, NotFound
from rooms.core.models import Space, SpaceMember, SpaceRole
from tests.support.helpers import unique_email


def _user(db, name: str = "Test"):
    return identity.create_user(db, email=unique_email(), name=name, password="password-123")


def test_every_new_user_has_one_active_owned_space() -> None:
    with session_scope() as db:
        user = _user(db)
        views = spaces.list_spaces(db, user)
        assert len(views) == 1 and views[0].role == SpaceRole.OWNER
        assert user.active_space_id == views[0].space.id


def test_repairs_a_user_left_without_any_space() -> None:
    with session_scope() as db:
        user = _user(db)
        for member in db.exec(select(SpaceMember).where(SpaceMember.user_id == user.id)):
            db.delete(db.get(Space, member.space_id))
        db.flush()
        db.refresh(user)
        assert user.active_space_id is None  # ON DELETE SET NULL worked
        space = spaces.ensure_user_has_active_space(db, user)
        assert user.active_space_id == space.id
        assert spaces.list_spaces(db, user)[0].space.id == space.id


def test_last_space_guard_and_cascade() -> None:
    with session_scope() as db:
        user = _user(db)
        only = user.active_space_id
        with pytest.raises(Conflict) as err:
            spaces.delete_space(db, user, only)
        assert err.value.code == "LAST_SPACE"
        second = spaces.create_space(db, user, "Second")
        session = sessions.create_session(db, user, title="x", space_id=second.id)
        spaces.delete_space(db, user, second.id)
        with pytest.raises(NotFound):
            sessions.get_by_slug(db, session.slug)  # sessions go with their space


def test_ended_session_is_not_joinable() -> None:
    with session_scope() as db:
        user = _user(db)
        session = sessions.create_session(db, user)
        assert sessions.require_joinable(session) is session
        sessions.end_session(db, user, session.slug)
        with pytest.raises(Gone) as err:
            sessions.require_joinable(sessions.get_by_slug(db, session.slug))
        assert err.value.status == 410


def test_slugs_are_readable() -> None:
    slugs = {sessions.new_slug() for _ in range(1000)}
    assert len(slugs) == 1000
    assert all(len(s) == 12 and s.count("-") == 2 for s in slugs)


def test_expired_sign_in_sessions_stop_working_and_are_swept() -> None:
    from datetime import timedelta

    from rooms.core.models import AuthSession, utcnow

    with session_scope() as db:
        user = _user(db)
        token = identity.start_auth_session(db, user)
        assert identity.user_for_token(db, token).id == user.id
        row = db.exec(select(AuthSession).where(AuthSession.user_id == user.id)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.add(row)
        db.flush()
        assert identity.user_for_token(db, token) is None
        identity.start_auth_session(db, user)  # signing in again sweeps the expired row
        rows = db.exec(select(AuthSession).where(AuthSession.user_id == user.id)).all()
        assert len(rows) == 1 and rows[0].id != row.id


def test_production_app_refuses_default_secrets(monkeypatch) -> None:
    from rooms.api.app import make_api
    from rooms.core.config import reset_settings

    monkeypatch.setenv("APP_ENV", "production")
    reset_settings()
    try:
        with pytest.raises(RuntimeError, match="AUTH_SECRET"):
            make_api()
    finally:
        monkeypatch.undo()
        reset_settings()
