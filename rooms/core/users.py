"""Looking accounts up, below both identity (sign-in) and spaces (adding a member)."""

from __future__ import annotations

from sqlmodel import Session as DbSession
from sqlmodel import select

from rooms.core.models import User


def get_user_by_email(db: DbSession, email: str) -> User | None:
    return db.exec(select(User).where(User.email == email.strip().lower())).first()
