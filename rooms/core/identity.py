"""Users, passwords, profiles, noAvatarColor and server-side sign-in sessions."""

from __future__ import annotations

import colorsys
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session as DbSession
from sqlmodel import col, delete, select

from rooms.core import i18n, spaces, storage
from rooms.core.config import get_settings
from rooms.core.errors import Conflict, InvalidInput, Unauthorized
from rooms.core.models import AuthSession, User, utcnow
from rooms.core.users import get_user_by_email
from rooms.core.validation import clean_email, clean_optional_text, clean_text

PASSWORD_MIN = 8
PASSWORD_MAX = 256  # argon2 would hash more, but nobody types that; it bounds the work
NAME_MAX = 100
AVATAR_URL_MAX = 2048

_hasher = PasswordHasher()
# Verifying against this keeps "no such user" as slow as "wrong password".
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def no_avatar_color(email: str) -> str:
    """A pastel colour that is always the same for one email address."""
    digest = hashlib.sha256(email.strip().lower().encode()).digest()
    hue = int.from_bytes(digest[:2], "big") / 65535
    r, g, b = colorsys.hls_to_rgb(hue, 0.82, 0.62)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def initials_of(name: str) -> str:
    """What an avatar without a picture shows, the same everywhere (profile menu, captions,
    transcripts, search): `Ada Lovelace` -> `AL`, `grace` -> `G`, nothing usable -> `?`."""
    words = [w for w in name.replace(".", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


def display_name(user: User) -> str:
    return user.display_name or user.name or user.email.split("@")[0]


def _check_password(password: str) -> str:
    if len(password) < PASSWORD_MIN:
        raise InvalidInput(
            "Password must be at least {min} characters.", code="WEAK_PASSWORD", min=PASSWORD_MIN
        )
    if len(password) > PASSWORD_MAX:
        raise InvalidInput("Password must be at most {max} characters.", max=PASSWORD_MAX)
    return password


def create_user(
    db: DbSession,
    *,
    email: str,
    name: str | None,
    password: str | None = None,
    email_verified: bool = False,
    avatar_url: str | None = None,
) -> User:
    """Create a user together with a first space that is already active."""
    email = clean_email(email)
    clean_name = clean_optional_text(name, "Name", NAME_MAX)
    password_hash = _hasher.hash(_check_password(password)) if password is not None else None
    if get_user_by_email(db, email) is not None:
        raise Conflict("An account with this email already exists.", code="EMAIL_TAKEN")
    user = User(
        email=email,
        name=clean_name,
        display_name=clean_name,
        password_hash=password_hash,
        email_verified=email_verified,
        avatar_url=avatar_url,
        no_avatar_color=no_avatar_color(email),
    )
    db.add(user)
    try:
        db.flush()
    except IntegrityError as exc:  # two sign-ups racing for one email
        raise Conflict("An account with this email already exists.", code="EMAIL_TAKEN") from exc
    spaces.ensure_user_has_active_space(db, user)
    return user


def authenticate(db: DbSession, email: str, password: str) -> User:
    user = get_user_by_email(db, email) if len(password) <= PASSWORD_MAX else None
    stored = user.password_hash if user and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password[:PASSWORD_MAX])
        ok = user is not None and user.password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None:
        raise Unauthorized("Email or password is incorrect.", code="INVALID_CREDENTIALS")
    if _hasher.check_needs_rehash(stored):
        user.password_hash = _hasher.hash(password)
        db.add(user)
    return user


@dataclass(frozen=True)
class ProfileUpdate:
    name: str | None = None
    display_name: str | None = None
    avatar_url: str | None = None
    locale: str | None = None
    fields: frozenset[str] = frozenset()  # which of the above the client actually sent


def update_profile(db: DbSession, user: User, update: ProfileUpdate) -> User:
    if "name" in update.fields:
        user.name = clean_optional_text(update.name, "Name", NAME_MAX)
    if "display_name" in update.fields:
        user.display_name = clean_optional_text(update.display_name, "Display name", NAME_MAX)
    if "avatar_url" in update.fields:
        url = clean_optional_text(update.avatar_url, "Avatar URL", AVATAR_URL_MAX)
        if url is not None and not storage.is_own_avatar_url(get_settings(), user.id, url):
            raise InvalidInput("Avatar URL must be your own uploaded image.")
        user.avatar_url = url
    if "locale" in update.fields:
        user.locale = i18n.clean_locale(update.locale)
    user.updated_at = utcnow()
    db.add(user)
    db.flush()
    return user


# --- sign-in sessions -------------------------------------------------------------


def _token_hash(token: str) -> str:
    # Keyed, so a leaked database alone cannot be turned into working cookies.
    key = get_settings().auth_secret.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def start_auth_session(db: DbSession, user: User, user_agent: str | None = None) -> str:
    """Create a server-side session and return the token for the cookie."""
    token = secrets.token_urlsafe(32)
    ttl = timedelta(days=get_settings().auth_session_ttl_days)
    # Sweep this user's expired sessions here, so the table never needs a cron job.
    db.exec(
        delete(AuthSession).where(
            col(AuthSession.user_id) == user.id, col(AuthSession.expires_at) <= utcnow()
        )
    )
    db.add(
        AuthSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            expires_at=utcnow() + ttl,
            user_agent=(user_agent or "")[:255] or None,
        )
    )
    db.flush()
    return token


def user_for_token(db: DbSession, token: str | None) -> User | None:
    if not token or len(token) > 128:
        return None
    row = db.exec(select(AuthSession).where(AuthSession.token_hash == _token_hash(token))).first()
    if row is None or row.expires_at <= utcnow():
        return None
    return db.get(User, row.user_id)


def end_auth_session(db: DbSession, token: str | None) -> None:
    if token and len(token) <= 128:
        db.exec(delete(AuthSession).where(col(AuthSession.token_hash) == _token_hash(token)))


def require_user(db: DbSession, token: str | None) -> User:
    user = user_for_token(db, token)
    if user is None:
        raise Unauthorized("Sign in to continue.")
    return user


def clean_name_for_signup(name: str) -> str:
    return clean_text(name, "Name", NAME_MAX)
