"""A raw client for Reflex's event socket (Socket.IO over Engine.IO 4, namespace /_event),
so a test can do what an attacker's script does: send any event handler's name with any
payload, from a page that never passed the UI's gates, and read every byte sent back.

Measured frames (Reflex 0.10.1, the browser's own): the socket is
`/_event/?token=<client token>&EIO=4&transport=websocket`; the client sends `40/_event,{}`
and gets `40/_event,{"sid":..}`; events go out as `42/_event,["event",{name, payload,
router_data}]` and deltas come back as `42/_event,["event",{"delta": ...}]`; the server's
`2` (ping) wants a `3`.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import websockets

NAMESPACE = "/_event"


def handler_name(state: type, handler: str) -> str:
    return f"{state.get_full_name()}.{handler}"


class ReflexSocket:
    def __init__(self, base_url: str, cookie: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.cookie = cookie
        self.token = str(uuid.uuid4())
        self.frames: list[str] = []
        self.arrivals: list[float] = []  # time.monotonic() each frame arrived, for latencies
        self._ws: Any = None
        self._reader: asyncio.Task | None = None

    async def __aenter__(self) -> ReflexSocket:
        ws_url = self.base_url.replace("http", "ws", 1)
        url = f"{ws_url}{NAMESPACE}/?token={self.token}&EIO=4&transport=websocket"
        headers = {"Origin": self.base_url}
        if self.cookie:
            headers["Cookie"] = self.cookie
        self._ws = await websockets.connect(url, additional_headers=headers, max_size=None)
        opening = await asyncio.wait_for(self._ws.recv(), 15)
        assert str(opening).startswith("0"), opening
        await self._ws.send(f"40{NAMESPACE},{{}}")
        while True:
            frame = str(await asyncio.wait_for(self._ws.recv(), 15))
            if frame.startswith(f"40{NAMESPACE},"):
                break
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._reader is not None:
            self._reader.cancel()
        await self._ws.close()

    async def _read(self) -> None:
        try:
            async for frame in self._ws:
                text = frame if isinstance(frame, str) else frame.decode("utf-8", "replace")
                if text == "2":
                    await self._ws.send("3")
                    continue
                self.frames.append(text)
                self.arrivals.append(time.monotonic())
        except websockets.ConnectionClosed:
            return

    async def emit(self, event: str, payload: dict | None = None, path: str = "/") -> None:
        """Send one event as the page at `path` would (`/session/abc` -> query slug=abc)."""
        query: dict[str, str] = {}
        parts = [p for p in path.split("/") if p]
        if len(parts) >= 2 and parts[0] == "session":
            query["slug"] = parts[1]
        body = {
            "name": event,
            "payload": payload or {},
            "router_data": {"pathname": path, "asPath": path, "query": query},
        }
        await self._ws.send(f"42{NAMESPACE}," + json.dumps(["event", body]))

    async def settle(self, quiet: float = 1.0, limit: float = 15.0) -> None:
        """Wait until nothing has arrived for `quiet` seconds (at most `limit`)."""
        deadline = time.monotonic() + limit
        seen = -1
        while time.monotonic() < deadline:
            if len(self.frames) == seen:
                return
            seen = len(self.frames)
            await asyncio.sleep(quiet)

    async def wait_for(self, text: str, limit: float = 15.0, since: int = 0) -> bool:
        """Whether `text` arrives within `limit` seconds, in the frames from `since` on."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if text in "\n".join(self.frames[since:]):
                return True
            await asyncio.sleep(0.1)
        return False

    @property
    def received(self) -> str:
        return "\n".join(self.frames)
