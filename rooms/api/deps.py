"""Per-request dependencies: a database session and the signed-in user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session as DbSession

from rooms.core import i18n, identity
from rooms.core.config import get_settings
from rooms.core.db import get_engine
from rooms.core.models import User


def get_db() -> Iterator[DbSession]:
    # Handlers commit explicitly, so a failure while committing is still theirs to report.
    with DbSession(get_engine(), expire_on_commit=False) as db:
        try:
            yield db
        finally:
            db.rollback()


Db = Annotated[DbSession, Depends(get_db)]


def session_token(request: Request) -> str | None:
    return request.cookies.get(get_settings().auth_cookie_name)


def current_user(request: Request, db: Db) -> User:
    return identity.require_user(db, session_token(request))


def optional_user(request: Request, db: Db) -> User | None:
    return identity.user_for_token(db, session_token(request))


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]


def reader_locale(request: Request, user: CurrentUser) -> str:
    """The language of what a file is written in for this reader, as the UI picks its own."""
    chosen = user.locale or request.cookies.get(i18n.LOCALE_COOKIE)
    return i18n.resolve(chosen, request.headers.get("accept-language"))


ReaderLocale = Annotated[str, Depends(reader_locale)]
