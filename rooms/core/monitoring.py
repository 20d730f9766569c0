"""Error reporting to Sentry when SENTRY_DSN is set; nothing at all otherwise.

The API and the Reflex backend run in one process, so one initialisation covers both;
Reflex event-handler errors reach Sentry through the app's backend exception handler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import sentry_sdk

from rooms.core.config import Settings

log = logging.getLogger("rooms.monitoring")
_REDACTED = "[redacted]"


def _release() -> str:
    try:
        return f"rooms@{version('rooms')}"
    except PackageNotFoundError:  # running from a checkout, not an installed package
        return "rooms@0.1.0"


def secret_values(settings: Settings) -> list[str]:
    values = [
        settings.auth_secret,
        settings.transcription_jwt_secret,
        settings.livekit_api_secret,
        settings.cloudinary_api_secret,
        settings.google_client_secret,
        settings.oidc_client_secret,
        settings.gladia_api_key,
        settings.sentry_auth_token,
    ]
    # Short values ("secret", the dev LiveKit default) would redact ordinary words.
    return sorted({v for v in values if v and len(v) >= 8}, key=len, reverse=True)


def _scrub(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, _REDACTED)
        return value
    if isinstance(value, dict):
        return {k: _scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v, secrets) for v in value]
    return value


def make_before_send(settings: Settings) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    secrets = secret_values(settings)

    def before_send(event: dict[str, Any], _hint: dict[str, Any]) -> dict[str, Any]:
        # The SDK already drops cookies and auth headers (send_default_pii=False); this also
        # catches a configured secret that found its way into a message or a variable.
        return _scrub(event, secrets)

    return before_send


def init_sentry(settings: Settings) -> bool:
    """Start the SDK if a DSN is configured. Returns whether it is reporting."""
    if not settings.sentry_dsn:
        return False
    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        environment=settings.sentry_environment or settings.app_env,
        release=settings.sentry_release or _release(),
        send_default_pii=False,
        include_local_variables=False,  # frames of a sign-in would hold the password
        traces_sample_rate=settings.sentry_traces_sample_rate,
        before_send=make_before_send(settings),
    )
    log.info("error reporting to Sentry is on")
    return True


def capture(exc: BaseException) -> None:
    """Report an exception that was handled (and so would not reach Sentry by itself)."""
    sentry_sdk.capture_exception(exc)
