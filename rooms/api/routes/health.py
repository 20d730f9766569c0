"""Liveness for load balancers and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from rooms.api.schemas import HealthOut
from rooms.core import db, livekit
from rooms.core.transcription.host import get_gateway

router = APIRouter(tags=["operations"])


@router.get("/health", response_model=HealthOut, responses={503: {"model": HealthOut}})
async def health() -> JSONResponse:
    ok = await run_in_threadpool(db.ping)
    body = {"status": "ok" if ok else "error", "db": "ok" if ok else "unreachable"}
    # The engine is reported, not required: the rest of the app works without transcription.
    gateway = await get_gateway()
    body["engine"] = gateway.engine.name
    body["engineStatus"] = gateway.engine.status()
    # So is the video server: without it the rooms say so and everything else works.
    body["video"] = "reachable" if await livekit.server_reachable() else "unreachable"
    return JSONResponse(body, status_code=200 if ok else 503)


@router.get("/metrics", response_class=Response)
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
