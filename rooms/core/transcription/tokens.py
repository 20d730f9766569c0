"""The host's short-lived transcription token: HS256, bound to one session and participant."""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

from rooms.core.config import get_settings
from rooms.core.transcription.streams import close_code as close_code_of

AUDIENCE = "rooms:transcription"


@dataclass(frozen=True)
class TokenClaims:
    session_id: str
    participant_id: str
    user_id: str | None


class TokenRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.close_code = close_code_of(code)


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
            options={"require": ["exp", "iat", "aud", "sid", "pid"]},
        )
    except jwt.ExpiredSignatureError:
        raise TokenRefused("TOKEN_EXPIRED", "The transcription token has expired.") from None
    except jwt.PyJWTError:
        raise TokenRefused("TOKEN_INVALID", "The transcription token is not valid.") from None
    sid, pid, uid = claims.get("sid"), claims.get("pid"), claims.get("uid")
    if not isinstance(sid, str) or not isinstance(pid, str) or not isinstance(uid, str | None):
        raise TokenRefused("TOKEN_INVALID", "The transcription token is not valid.")
    return TokenClaims(session_id=sid, participant_id=pid, user_id=uid)
