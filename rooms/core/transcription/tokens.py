"""The host's short-lived transcription token: HS256, bound to one session and participant."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

import jwt

from rooms.core.config import get_settings
from rooms.core.transcription.protocol import ProtocolError

AUDIENCE = "rooms:transcription"


@dataclass(frozen=True)
class TokenClaims:
    session_id: str
    participant_id: str
    user_id: str | None
    token_id: str = ""
    expires_at: float = 0.0


class TokenRefused(ProtocolError):
    """The handshake is refused: the socket says why and closes with the code's close code."""


def issue(session_id: str, participant_id: str, user_id: str | None) -> str:
    settings = get_settings()
    now = int(time.time())
    claims = {
        "aud": AUDIENCE,
        "sid": session_id,
        "pid": participant_id,
        "uid": user_id,
        "iat": now,
        "exp": now + settings.transcription_jwt_ttl_seconds,
        # Single use: the client asks for a new token for every connection, so a copied
        # token (logs, a leaked URL) cannot open a second stream.
        "jti": secrets.token_urlsafe(12),
    }
    return jwt.encode(claims, settings.transcription_jwt_secret, algorithm="HS256")


def verify(token: str | None) -> TokenClaims:
    if not token:
        raise TokenRefused("TOKEN_MISSING", "A transcription token is required (?token=...).")
    try:
        claims = jwt.decode(
            token,
            get_settings().transcription_jwt_secret,
            algorithms=["HS256"],
            audience=AUDIENCE,
            options={"require": ["exp", "iat", "aud", "sid", "pid", "jti"]},
        )
    except jwt.ExpiredSignatureError:
        raise TokenRefused("TOKEN_EXPIRED", "The transcription token has expired.") from None
    except jwt.PyJWTError:
        raise TokenRefused("TOKEN_INVALID", "The transcription token is not valid.") from None
    sid, pid, uid, jti = claims.get("sid"), claims.get("pid"), claims.get("uid"), claims["jti"]
    if not all(isinstance(v, str) for v in (sid, pid, jti)) or not isinstance(uid, str | None):
        raise TokenRefused("TOKEN_INVALID", "The transcription token is not valid.")
    return TokenClaims(
        session_id=sid, participant_id=pid, user_id=uid, token_id=jti, expires_at=claims["exp"]
    )


class _Spent:
    """Token ids already used by this process, kept until they would have expired anyway.
    Per process: with several workers a token could open one stream on each, which the
    one-stream-per-participant rule and the shared usage rows still bound."""

    def __init__(self) -> None:
        self._ids: dict[str, float] = {}
        self._lock = threading.Lock()

    def spend(self, claims: TokenClaims) -> None:
        now = time.time()
        with self._lock:
            if len(self._ids) > 1024:
                self._ids = {k: exp for k, exp in self._ids.items() if exp > now}
            if claims.token_id in self._ids:
                raise TokenRefused(
                    "TOKEN_USED", "This transcription token was used already: ask for a new one."
                )
            self._ids[claims.token_id] = claims.expires_at


_spent = _Spent()


def spend(claims: TokenClaims) -> None:
    """Mark the token used; TokenRefused("TOKEN_USED") if it was."""
    _spent.spend(claims)
