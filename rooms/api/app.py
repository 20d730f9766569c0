"""The FastAPI app that Reflex mounts in front of itself (`rx.App(api_transformer=...)`)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.routing import Match

from rooms.api import realtime, stop_signals
from rooms.api.errors import error_response, install_error_handlers
from rooms.api.middleware import BodyLimitMiddleware, RateLimitMiddleware, SecurityMiddleware
from rooms.api.openapi import install_openapi
from rooms.api.routes import (
    agenda,
    analytics,
    auth,
    avatar,
    glossary,
    health,
    identity,
    invitations,
    livekit_webhook,
    lobby,
    members,
    moderation,
    oauth,
    participants,
    search,
    sessions,
    space_language,
    spaces,
    tasks,
    transcription,
    transcripts,
)
from rooms.core.config import get_settings
from rooms.core.monitoring import init_sentry

_ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def make_api() -> FastAPI:
    """A new app per call: Reflex's test harness builds several apps in one process."""
    settings = get_settings()
    settings.check_production()
    init_sentry(settings)
    # Before Granian sets up a worker's signals: a stop drains live transcription first.
    stop_signals.hook_granian()
    api = FastAPI(
        title="Rooms API",
        version="0.1.0",
        # A map of every route is for developers; production shows it only when asked.
        openapi_url="/api/openapi.json" if settings.api_docs_enabled else None,
        docs_url="/api/docs" if settings.api_docs_enabled else None,
        redoc_url=None,
        # Under Reflex the same hook is registered with app.register_lifespan_task.
        lifespan=realtime.gateway_lifespan,
    )
    install_error_handlers(api)
    api.add_middleware(BodyLimitMiddleware)
    api.add_middleware(RateLimitMiddleware)
    api.add_middleware(SecurityMiddleware)  # outermost: its headers reach the 429s too
    routers = (auth, oauth, identity, avatar, spaces, sessions, participants, moderation, lobby)
    routers += (transcription, realtime, transcripts, search, tasks, livekit_webhook, health)
    routers += (members,)
    routers += (analytics,)
    routers += (agenda,)
    routers += (glossary,)
    routers += (space_language,)
    for module in routers:
        api.include_router(module.router)
    api.include_router(invitations.space_router)
    api.include_router(invitations.token_router)

    # Without this, an unknown /api path would fall through to the Reflex frontend's HTML.
    async def api_not_found(request: Request, rest: str) -> JSONResponse:
        for route in api.router.routes:
            if route is not catch_all and route.matches(request.scope)[0] == Match.PARTIAL:
                return error_response(405, "METHOD_NOT_ALLOWED", "Method not allowed.")
        return error_response(404, "NOT_FOUND", f"No API route at /api/{rest[:200]}.")

    api.add_api_route(
        "/api/{rest:path}", api_not_found, methods=_ALL_METHODS, include_in_schema=False
    )
    catch_all = api.router.routes[-1]
    install_openapi(api)

    return api
