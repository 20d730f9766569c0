"""The app plus one test-only WebSocket that stands in for a participant's page: it does what
`TranscriptState.listen` does (start the process's hub, subscribe to a session) and forwards
every live message, so a test can watch a second server process's fan-out without a browser.

Run as `granian --interface asgi --factory tests.support.hub_probe:make_app`.
"""

from __future__ import annotations

import asyncio

from fastapi import FastAPI, WebSocket
from starlette.websockets import WebSocketDisconnect

from rooms.api.app import make_api
from rooms.core.transcription.hub import get_hub


def make_app() -> FastAPI:
    api = make_api()

    async def probe(ws: WebSocket, session_id: str) -> None:
        await ws.accept()
        hub = get_hub()
        await hub.start()
        sub = hub.subscribe(session_id)

        async def forward() -> None:
            while True:
                await ws.send_json(await sub.get())

        await ws.send_json({"type": "subscribed"})
        forwarding = asyncio.create_task(forward())
        try:
            # Reading is what answers the client's close frame (and notices it went away).
            while (await ws.receive())["type"] != "websocket.disconnect":
                pass
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            forwarding.cancel()
            sub.close()

    api.add_api_websocket_route("/test/hub/{session_id}", probe)
    return api
