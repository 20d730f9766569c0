"""Liveness for load balancers and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from rooms.api.errors import error_response
from rooms.api.schemas import ErrorOut, HealthOut
from rooms.core import db, livekit, security
from rooms.core.config import get_settings
from rooms.core.transcription.gateway import engine_report

router = APIRouter(tags=["operations"])


@router.get("/health", response_model=HealthOut, responses={503: {"model": HealthOut}})
async def health() -> JSONResponse:
    ok = await run_in_threadpool(db.ping)
    body = {"status": "ok" if ok else "error", "db": "ok" if ok else "unreachable"}
    # The engine is reported, not required: the rest of the app works without transcription.
    body["engine"], body["engineStatus"] = await engine_report()
    # So is the video server: without it the rooms say so and everything else works.
    body["video"] = "reachable" if await livekit.server_reachable() else "unreachable"
    return JSONResponse(body, status_code=200 if ok else 503)


@router.get("/metrics", response_class=Response, responses={403: {"model": ErrorOut}})
def metrics(request: Request) -> Response:
    headers = request.headers
    forwarded = any(h in headers for h in ("x-forwarded-for", "forwarded", "x-real-ip"))
    peer = request.client.host if request.client else ""
    if not security.metrics_allowed(get_settings(), peer, forwarded, headers.get("authorization")):
        return error_response(
            403, "METRICS_FORBIDDEN", "Metrics are served to this machine or with METRICS_TOKEN."
        )
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
