"""The transcription gateway as its own server (`python -m rooms.gateway`): the streaming
WebSocket, /health and /metrics, nothing else. It shares the app's settings, database and
Redis: finals go to the same tables, captions reach the app's pages through the hub's
Redis fan-out (REDIS_URL), and the app hands its hosts this server's address
(TRANSCRIPTION_WS_URL)."""

from __future__ import annotations

from fastapi import FastAPI

from rooms.api import realtime, stop_signals
from rooms.api.errors import install_error_handlers
from rooms.api.middleware import SecurityMiddleware
from rooms.api.routes import health
from rooms.core.config import get_settings
from rooms.core.monitoring import init_sentry


def make_gateway_api() -> FastAPI:
    settings = get_settings()
    settings.check_production()
    init_sentry(settings)
    # Before Granian sets up the worker's signals: a stop drains every stream first.
    stop_signals.hook_granian()
    api = FastAPI(
        title="Rooms transcription gateway",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        lifespan=realtime.serving_lifespan,
    )
    install_error_handlers(api)
    api.add_middleware(SecurityMiddleware)
    api.include_router(realtime.gateway_router)
    api.include_router(health.router)
    return api
