"""A host, its streams over the gateway's real WebSocket, and what landed in the database."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar

import httpx
import pytest
import websockets

from tests.support.fake_gladia import API_KEY, FakeGladia, speech_pcm
from tests.support.helpers import unique_email
from tests.support.servers import ServerProcess

FRAME = 3200


T = TypeVar("T")


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run on a thread of its own: Playwright's sync API (browser tests, earlier in
    the same pytest process) leaves an event loop running on the main thread."""
    out: dict[str, Any] = {}

    def target() -> None:
        try:
            out["value"] = asyncio.run(coro)
        except BaseException as exc:
            out["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def gladia_env(fake: FakeGladia, **extra: str) -> dict[str, str]:
    """A server's environment for the Gladia engine, pointed at the fake. No fail-over to
    the local engine unless asked (`TRANSCRIPTION_FALLBACK="local"`): these tests are about
    what Gladia does."""
    return {
        "GLADIA_API_KEY": API_KEY,
        "GLADIA_API_URL": fake.base_url,
        "TRANSCRIPTION_ENGINE": "gladia",
        "TRANSCRIPTION_FALLBACK": "none",
        **extra,
    }


class Host:
    """A signed-in user who created a session, joined it, and so is its transcription host."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)
        body = {"email": unique_email("host"), "password": "correct horse battery", "name": "Host"}
        res = self.http.post("/api/auth/signup", json=body)
        assert res.status_code == 201, res.text
        self.user = res.json()["user"]
        self.slug = self.http.post("/api/sessions", json={"title": "Live"}).json()["session"][
            "slug"
        ]
        assert (
            self.http.post(f"/api/sessions/{self.slug}/participants/join", json={}).status_code
            == 200
        )
        self.session_id = session_id(self.slug)

    def start(self) -> dict[str, Any]:
        res = self.http.post(f"/api/sessions/{self.slug}/transcription/start")
        assert res.status_code == 200, res.text
        return res.json()


def session_id(slug: str) -> str:
    from sqlmodel import select

    from rooms.core.db import session_scope
    from rooms.core.models import Session

    with session_scope() as db:
        return db.exec(select(Session).where(Session.slug == slug)).one().id


def stored_finals(sid: str) -> list[tuple[str, str]]:
    from sqlmodel import select

    from rooms.core.db import session_scope
    from rooms.core.models import TranscriptSegment

    with session_scope() as db:
        rows = db.exec(select(TranscriptSegment).where(TranscriptSegment.session_id == sid)).all()
        return sorted((r.utterance_id, r.text) for r in rows)


async def pump(
    ws: websockets.ClientConnection,
    pcm: bytes,
    pace: float = 0.055,
    stop: bool = True,
    texts: Mapping[int, list[str]] | None = None,
) -> tuple[list[dict[str, Any]], int | None]:
    """On an open socket: send `pcm` in 100 ms frames (faster than real time, within the
    2x limit), then stop; return every message the server sent and its close code.
    `texts[i]` are text frames sent just before frame i (at audio second i / 10)."""
    received: list[dict[str, Any]] = []

    async def reader() -> None:
        try:
            async for raw in ws:
                received.append(json.loads(raw))
        except websockets.ConnectionClosed:
            pass

    task = asyncio.create_task(reader())
    try:
        for i in range(0, len(pcm), FRAME):
            for text in (texts or {}).get(i // FRAME, []):
                await ws.send(text)
            await ws.send(pcm[i : i + FRAME])
            await asyncio.sleep(pace)
        if stop:
            await ws.send('{"type":"stop"}')
    except websockets.ConnectionClosed:
        pass
    await asyncio.wait_for(task, 30)
    return received, ws.close_code


async def stream(
    ws_url: str,
    pcm: bytes,
    pace: float = 0.055,
    stop: bool = True,
    texts: Mapping[int, list[str]] | None = None,
) -> tuple[list[dict[str, Any]], int | None]:
    """Connect, then `pump`."""
    async with websockets.connect(ws_url, compression=None, max_size=None) as ws:
        return await pump(ws, pcm, pace, stop, texts)


def stream_and_listen(
    session_id: str, ws_url: str, pcm: bytes, texts: Mapping[int, list[str]] | None = None
) -> tuple[list[dict[str, Any]], int | None, list[dict[str, Any]]]:
    """Stream as the host; also return what another page of the session (the hub) saw."""
    from rooms.core.transcription.hub import get_hub

    async def run() -> tuple[list[dict[str, Any]], int | None, list[dict[str, Any]]]:
        sub = get_hub().subscribe(session_id)
        try:
            messages, code = await stream(ws_url, pcm, texts=texts)
            await asyncio.sleep(0.3)
            seen = []
            while not sub.queue.empty():
                seen.append(sub.queue.get_nowait())
            return messages, code, seen
        finally:
            sub.close()

    return run_async(run())


def finals(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m for m in messages if m.get("type") == "transcript" and m["isFinal"]]


def partials(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m for m in messages if m.get("type") == "transcript" and not m["isFinal"]]


def speakers(*identities: str) -> str:
    return json.dumps({"type": "speakers", "active": list(identities)})


def join_as_guest(base_url: str, slug: str, name: str) -> tuple[httpx.Client, dict[str, Any]]:
    client = httpx.Client(base_url=base_url, timeout=30)
    res = client.post(f"/api/sessions/{slug}/participants/join", json={"name": name})
    assert res.status_code == 200, res.text
    return client, res.json()


def participant_id(session_id: str, identity: str) -> str:
    from sqlmodel import select

    from rooms.core.db import session_scope
    from rooms.core.models import Participant

    with session_scope() as db:
        return (
            db.exec(
                select(Participant).where(
                    Participant.session_id == session_id, Participant.identity == identity
                )
            )
            .one()
            .id
        )


def stored_speakers(session_id: str, n: int, timeout: float = 10) -> list[tuple[str, str | None]]:
    """(text, participant id) of the session's saved finals, in spoken order."""
    from sqlmodel import col, select

    from rooms.core.db import session_scope
    from rooms.core.models import TranscriptSegment

    deadline = time.monotonic() + timeout
    while True:
        with session_scope() as db:
            rows = db.exec(
                select(TranscriptSegment)
                .where(TranscriptSegment.session_id == session_id)
                .order_by(col(TranscriptSegment.started_at))
            ).all()
            found = [(r.text, r.participant_id) for r in rows]
        if len(found) >= n or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def wait_for_rows(sid: str, n: int, timeout: float = 10) -> list[tuple[str, str]]:
    deadline = time.monotonic() + timeout
    rows = stored_finals(sid)
    while len(rows) < n and time.monotonic() < deadline:
        time.sleep(0.1)
        rows = stored_finals(sid)
    return rows


def sign_up(base_url: str, name: str) -> tuple[httpx.Client, dict[str, Any]]:
    client = httpx.Client(base_url=base_url, timeout=30)
    body = {"email": unique_email(name.lower()), "password": "correct horse battery", "name": name}
    res = client.post("/api/auth/signup", json=body)
    assert res.status_code == 201, res.text
    return client, res.json()["user"]


async def refused(url: str, origin: str | None = None) -> tuple[dict, int | None]:
    async with websockets.connect(url, compression=None, origin=origin) as ws:
        first = json.loads(await asyncio.wait_for(ws.recv(), 10))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 10)
        return first, ws.close_code


def metric(base_url: str, name: str, **labels: str) -> float:
    """The sum of a /metrics series over the samples carrying these labels."""
    total = 0.0
    for line in httpx.get(f"{base_url}/metrics", timeout=10).text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def wait_primary_up(base_url: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while metric(base_url, "rooms_transcription_engine_primary_up", engine="gladia") != 1:
        assert time.monotonic() < deadline, "the probe never saw Gladia accept again"
        time.sleep(0.2)


async def stream_until_sigterm(
    ws_url: str, server: ServerProcess, session_id: str
) -> tuple[list[dict[str, Any]], int | None, list[tuple[str, str]] | None]:
    """Stream speech; SIGTERM the server two finals in, mid-utterance. Returns every message,
    the close code, and the database's finals at the moment the shutdown notice arrived."""
    received: list[dict[str, Any]] = []
    at_notice: list[list[tuple[str, str]]] = []
    pcm = speech_pcm(8)
    async with websockets.connect(ws_url, compression=None) as ws:

        async def reader() -> None:
            try:
                async for raw in ws:
                    msg = json.loads(raw)
                    received.append(msg)
                    if msg.get("code") == "SERVER_SHUTTING_DOWN":
                        at_notice.append(await asyncio.to_thread(stored_finals, session_id))
            except websockets.ConnectionClosed:
                pass

        task = asyncio.create_task(reader())
        sent_term = False
        try:
            for i in range(0, len(pcm), FRAME):
                await ws.send(pcm[i : i + FRAME])
                await asyncio.sleep(0.055)
                fin = [m for m in received if m.get("isFinal")]
                last = received[-1] if received else {}
                if not sent_term and len(fin) >= 2 and last.get("isFinal") is False:
                    server.terminate()
                    sent_term = True
        except websockets.ConnectionClosed:
            pass
        await asyncio.wait_for(task, 30)
        assert sent_term, "no two finals before the audio ran out"
        return received, ws.close_code, at_notice[0] if at_notice else None
