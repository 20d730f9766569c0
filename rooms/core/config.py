"""One settings object for the whole app, read from the environment (and `.env`)."""

from __future__ import annotations

import ipaddress
import logging
import threading
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Defaults that only make sense on a developer's machine; production refuses them.
DEV_AUTH_SECRET = "dev-only-auth-secret-change-me"
DEV_TRANSCRIPTION_JWT_SECRET = "dev-only-transcription-secret-change-me"
DEV_LIVEKIT_API_KEY = "devkey"
DEV_LIVEKIT_API_SECRET = "secret"  # what `livekit-server --dev` uses
# Under data/, which `reflex run` does not watch for reloads (rooms/core/runtime_files.py).
DEFAULT_DATABASE_URL = "sqlite:///data/rooms.db"

log = logging.getLogger("rooms.config")


def is_loopback_url(url: str) -> bool:
    """Does this address only reach the machine it is typed on?"""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    app_env: Literal["development", "test", "production"] = "development"
    app_url: str = "http://localhost:3000"
    # Reflex's own variable (comma separated): more origins whose pages may use the sockets.
    reflex_cors_allowed_origins: str = ""

    database_url: str = DEFAULT_DATABASE_URL
    db_log_queries: bool = False  # the seed's PRISMA_LOG_QUERIES
    redis_url: str | None = None

    auth_secret: str = DEV_AUTH_SECRET
    auth_session_ttl_days: int = Field(default=30, ge=1, le=365)
    auth_cookie_name: str = "rooms_session"
    google_client_id: str | None = None
    google_client_secret: str | None = None
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_display_name: str = "Single sign-on"

    livekit_url: str = "ws://localhost:7880"
    livekit_api_key: str = DEV_LIVEKIT_API_KEY
    livekit_api_secret: str = DEV_LIVEKIT_API_SECRET

    transcription_enabled: bool = True
    transcription_engine: Literal["local", "gladia"] | None = None
    # host: the transcription host streams everyone (speakers told apart by its client);
    # per-speaker: every participant streams their own microphone (one engine stream each).
    transcription_mode: Literal["host", "per-speaker"] = "host"
    transcription_jwt_secret: str = DEV_TRANSCRIPTION_JWT_SECRET
    transcription_jwt_ttl_seconds: int = Field(default=300, ge=30, le=3600)
    transcription_max_minutes_per_user: int = Field(default=600, ge=0)
    transcription_max_minutes_per_session: int = Field(default=240, ge=0)
    transcription_max_duration_seconds: int = Field(default=4 * 3600, ge=60)
    transcription_model_path: str | None = None
    transcription_language: str | None = None
    # The local engine's timing (engines/local/vad.py Timing; docs/benchmarks.md measures
    # it): silence that ends an utterance, when partials come, how soon a final is decoded.
    transcription_local_end_silence_ms: int = Field(default=500, ge=100, le=3000)
    transcription_local_first_partial_ms: int = Field(default=400, ge=100, le=5000)
    transcription_local_partial_every_ms: int = Field(default=1000, ge=200, le=5000)
    transcription_local_early_final_ms: int = Field(default=200, ge=0, le=3000)
    gladia_api_key: str | None = None
    gladia_api_url: str = "https://api.gladia.io"
    # Audio Gladia has not acknowledged yet, which its SDK keeps to resend after a
    # reconnect; beyond this the stream is dropped (ENGINE_BACKLOG) instead of growing.
    gladia_max_backlog_seconds: float = Field(default=60.0, ge=1.0, le=3600.0)
    # Gladia ends a live session after 3 hours: a longer stream moves to a fresh session
    # `margin` seconds before the cap (both hear the audio meanwhile; the old one's finals
    # are kept up to the hand-over, the new one's after it). Margin 0: no rotation.
    gladia_session_max_seconds: float = Field(default=10800.0, ge=1.0)
    gladia_rotation_margin_seconds: float = Field(default=60.0, ge=0.0)
    # The summary Gladia makes of each live session once it ends (rooms/core/summaries.py):
    # asked for in the session's init, fetched from its result endpoint after the meeting,
    # first after `poll` seconds, then less and less often, giving up after `wait`.
    gladia_summarization: bool = True
    gladia_summary_type: Literal["general", "bullet_points", "concise"] = "general"
    gladia_summary_poll_seconds: float = Field(default=5.0, ge=0.05, le=300.0)
    gladia_summary_wait_seconds: float = Field(default=900.0, ge=0.1, le=86400.0)
    # How often a live stream counts its usage in the database and re-checks its grant
    # (session still on, still the host, minutes left) for changes made by other workers.
    transcription_check_seconds: float = Field(default=5.0, ge=0.2, le=60.0)
    # When Gladia refuses a stream (429, 5xx, network) or drops it without resuming: run it
    # on the local engine. Default (unset): on when the local engine's model is installed.
    transcription_fallback: Literal["local", "none"] | None = None
    # After Gladia failed, new streams go straight to the local engine until a probe (a real
    # session start, this often) sees Gladia accept again.
    transcription_probe_seconds: float = Field(default=30.0, ge=0.05, le=3600.0)
    # Audio since the last final kept for a mid-stream switch, replayed into the local
    # engine; older audio beyond this is dropped (and counted) rather than held unbounded.
    transcription_replay_seconds: float = Field(default=30.0, ge=1.0, le=600.0)
    # Overload: new streams are refused (TRANSCRIPTION_BUSY, the client retries) rather than
    # degrading the held ones, when this process holds this many (0: no fixed number) or
    # its event loop has fallen this far behind recently.
    transcription_max_streams: int = Field(default=0, ge=0)
    transcription_busy_lag_ms: int = Field(default=1000, ge=50)
    # The gateway as its own process (`python -m rooms.gateway`): the app then hands this
    # base URL (ws:// or wss://, no path) to the hosts and serves no streams itself.
    # Empty: the app's own process serves the streams.
    transcription_ws_url: str = Field(default="", pattern=r"^(wss?://[^/?#\s]+/?)?$")
    gateway_host: str = "0.0.0.0"
    gateway_port: int = Field(default=8100, ge=1, le=65535)

    audio_max_frame_bytes: int = Field(default=64 * 1024, ge=3200)
    transcript_batch_interval_ms: int = Field(default=300, ge=10)
    transcript_batch_size: int = Field(default=100, ge=1)

    # Requests per minute per client on the seed's protected routes.
    rate_limit_sessions_per_minute: int = Field(default=60, ge=1)
    rate_limit_token_per_minute: int = Field(default=30, ge=1)
    rate_limit_profile_per_minute: int = Field(default=20, ge=1)
    rate_limit_auth_per_minute: int = Field(default=10, ge=1)
    rate_limit_spaces_per_minute: int = Field(default=20, ge=1)
    # Behind one reverse proxy every client has its address: count by the address it appends
    # to X-Forwarded-For instead (never set this without such a proxy: the header is forgeable).
    rate_limit_trust_forwarded: bool = False

    cloudinary_cloud_name: str | None = None
    cloudinary_api_key: str | None = None
    cloudinary_api_secret: str | None = None
    cloudinary_upload_prefix: str | None = None  # the SDK's API base; tests point it locally
    cloudinary_folder: str = "rooms/avatars"
    upload_dir: str = "data/uploads"
    avatar_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)

    sentry_dsn: str | None = None
    sentry_org: str | None = None
    sentry_project: str | None = None
    sentry_auth_token: str | None = None
    sentry_environment: str | None = None  # defaults to APP_ENV
    sentry_release: str | None = None  # defaults to rooms@<version>
    sentry_traces_sample_rate: float = Field(default=0.0, ge=0.0, le=1.0)

    sessions_page_size_max: int = Field(default=100, ge=1)

    # Invitations to a space: how long a link stays valid, and the mail server that sends
    # them (smtp://user:pass@host:587 uses STARTTLS when offered, smtps:// is TLS from the
    # start); without SMTP_URL the owner copies the link instead.
    invitation_ttl_days: int = Field(default=7, ge=1, le=90)
    smtp_url: str | None = None
    smtp_from: str | None = None  # defaults to no-reply@<APP_URL's host>

    # /metrics answers loopback peers that came through no proxy; anyone else needs
    # `Authorization: Bearer <METRICS_TOKEN>` (and nobody, when it is unset).
    metrics_token: str | None = None
    # /api/docs and /api/openapi.json: on by default except in production.
    api_docs: bool | None = None

    @property
    def api_docs_enabled(self) -> bool:
        return self.api_docs if self.api_docs is not None else not self.is_production

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def streams_elsewhere(self) -> bool:
        """A separate gateway process serves the transcription streams."""
        return bool(self.transcription_ws_url)

    @property
    def per_speaker(self) -> bool:
        return self.transcription_mode == "per-speaker"

    @property
    def cookie_secure(self) -> bool:
        return self.app_url.startswith("https://")

    @property
    def effective_transcription_engine(self) -> str:
        if self.transcription_engine:
            return self.transcription_engine
        return "gladia" if self.gladia_api_key else "local"

    def insecure_defaults(self) -> list[str]:
        """Names of settings still at a development default."""
        defaults = {
            "AUTH_SECRET": (self.auth_secret, DEV_AUTH_SECRET),
            "TRANSCRIPTION_JWT_SECRET": (
                self.transcription_jwt_secret,
                DEV_TRANSCRIPTION_JWT_SECRET,
            ),
            "LIVEKIT_API_KEY": (self.livekit_api_key, DEV_LIVEKIT_API_KEY),
            "LIVEKIT_API_SECRET": (self.livekit_api_secret, DEV_LIVEKIT_API_SECRET),
        }
        return [name for name, (value, default) in defaults.items() if value == default]

    def check_production(self) -> None:
        """Refuse to run on a secret anyone can read in our repository, unless APP_URL says
        only this machine can reach the app; APP_ENV alone must not decide (it is easy to
        forget, and then the site signs cookies and LiveKit tokens with public keys)."""
        weak = self.insecure_defaults()
        if weak and (self.is_production or not is_loopback_url(self.app_url)):
            where = "in production" if self.is_production else f"at {self.app_url}"
            raise RuntimeError(
                f"Refusing to start {where} with development defaults for: "
                + ", ".join(weak)
                + ". Set each to a long random value (development defaults are accepted only"
                " when APP_URL is a loopback address such as http://localhost:3000)."
            )
        if weak:
            log.warning(
                "INSECURE: %s still at public development defaults. Fine on this machine "
                "(APP_URL %s is loopback); set them before anyone else can reach the app.",
                ", ".join(weak),
                self.app_url,
            )
        if not self.is_production:
            return
        if len(self.auth_secret) < 32:
            raise RuntimeError("AUTH_SECRET must be at least 32 characters in production.")


_cached: Settings | None = None
# A reader that started building before a reset must not store what it read after the
# reset: with lru_cache, a background thread's stale Settings could land in the cache a
# moment after a test changed the environment and cleared it.
_lock = threading.Lock()


def get_settings() -> Settings:
    cached = _cached
    if cached is not None:
        return cached
    return _build()


def _build() -> Settings:
    global _cached
    with _lock:
        if _cached is None:
            _cached = Settings()
        return _cached


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment)."""
    global _cached
    with _lock:
        _cached = None
