"""Steps shared by the video tests: people in a session's room, in a browser or scripted.

A scripted participant is the official LiveKit real-time SDK (`livekit.rtc`) on an asyncio
loop of its own thread, since Playwright's sync API owns the test's thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any

import httpx
import numpy as np
from livekit import rtc
from playwright.sync_api import Browser, Locator, Page, expect

from tests.support.helpers import unique_email
from tests.support.pages import PASSWORD, TIMEOUT_MS, new_page

LK_RATE = 48_000
FRAME_MS = 10


def signed_up_page(browser: Browser, app_url: str, name: str) -> tuple[Page, str]:
    """A browser context with a fresh account; returns (page, email)."""
    page = new_page(browser, app_url)
    email = unique_email(name.split()[0].lower())
    res = page.request.post(
        "/api/auth/signup", data={"email": email, "password": PASSWORD, "name": name}
    )
    assert res.status == 201, res.text()
    return page, email


def create_session(page: Page, title: str = "Video check") -> str:
    res = page.request.post("/api/sessions", data={"title": title})
    assert res.status == 201, res.text()
    return res.json()["session"]["slug"]


def enter_room(page: Page, slug: str, guest_name: str | None = None, media: bool = True) -> None:
    """Open the link, pass the name gate (guests), pre-join, and wait for the connection.
    `media=False` switches camera and microphone off in the pre-join first."""
    page.goto(f"/session/{slug}")
    if guest_name is not None:
        page.get_by_label("Your name").fill(guest_name)
        page.get_by_role("button", name="Continue").click()
    prejoin = page.get_by_test_id("prejoin")
    expect(prejoin).to_be_visible(timeout=TIMEOUT_MS)
    if not media:
        for label in ("Microphone", "Camera"):
            toggle = prejoin.get_by_role("button", name=label, exact=True)
            expect(toggle).to_have_attribute("aria-pressed", "true", timeout=TIMEOUT_MS)
            toggle.click()
            expect(toggle).to_have_attribute("aria-pressed", "false", timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Join session").click()
    expect(page.get_by_test_id("room")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Connected", exact=True)).to_be_visible(timeout=TIMEOUT_MS)


CHAT_TOPIC = "lk.chat"  # components-core's DataTopic.CHAT: chat messages are text streams


def tile(page: Page, name: str, source: str = "camera") -> Locator:
    """The grid's tile of `name`'s camera (or "screen_share")."""
    return page.locator(f'.lk-participant-tile[data-lk-source="{source}"]').filter(has_text=name)


def wait_video_playing(page: Page, name: str, source: str = "camera") -> None:
    """Frames are decoded in `name`'s tile (the element has a size only once they are)."""
    page.wait_for_function(
        """([name, source]) => [...document.querySelectorAll(
                `.lk-participant-tile[data-lk-source="${source}"]`)]
            .filter(t => t.textContent.includes(name))
            .some(t => (t.querySelector('video')?.videoWidth ?? 0) > 0)""",
        arg=[name, source],
        timeout=TIMEOUT_MS,
    )


def wait_known(page: Page, name: str) -> None:
    """This page's LiveKit room knows `name` (their tile may be on another grid page)."""
    page.wait_for_function(
        """(name) => [...(window.RoomsLiveKitRoom?.remoteParticipants.values() ?? [])]
            .some(p => p.name === name)""",
        arg=name,
        timeout=TIMEOUT_MS,
    )


def wait_hearing(page: Page, name: str) -> None:
    """`name`'s microphone is subscribed on this page and played by an <audio> element of
    LiveKit's RoomAudioRenderer."""
    page.wait_for_function(
        """(name) => {
            const room = window.RoomsLiveKitRoom;
            if (!room) return false;
            const them = [...room.remoteParticipants.values()].find(p => p.name === name);
            const mic = them && [...them.audioTrackPublications.values()]
                .find(p => p.source === 'microphone');
            if (!mic?.isSubscribed || !mic.track) return false;
            const id = mic.track.mediaStreamTrack.id;
            return [...document.querySelectorAll('audio')].some(a =>
                a.srcObject?.getAudioTracks().some(t => t.id === id && t.readyState === 'live'));
        }""",
        arg=name,
        timeout=TIMEOUT_MS,
    )


def control(page: Page, source: str) -> Locator:
    """LiveKit's control bar toggle for "microphone", "camera" or "screen_share"."""
    return page.locator(f'.lk-control-bar button[data-lk-source="{source}"]')


class ScriptedParticipant:
    """Someone in the room without a browser: joins through the app's REST API (so they are
    a recorded participant), connects with the SDK and publishes what the test gives it.
    `client` joins with that client's cookies (a browser coming back, a signed-in user).
    `token_body` skips the join: a token body got some other way (`GET /token`), as someone
    holding an old token would."""

    def __init__(
        self,
        app_url: str,
        slug: str,
        name: str,
        client: httpx.Client | None = None,
        token_body: dict | None = None,
    ) -> None:
        path = f"/api/sessions/{slug}/participants/join"
        if token_body is not None:
            body = token_body
        else:
            if client is None:
                res = httpx.post(f"{app_url}{path}", json={"name": name})
            else:
                res = client.post(path, json={"name": name})
            assert res.status_code == 200, res.text
            body = res.json()
        self.identity: str = body["identity"]
        self.token: str = body["token"]
        self.server_url: str = body["serverUrl"]
        self.name = name
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.room: rtc.Room | None = None
        self.audio: rtc.AudioSource | None = None
        self.disconnected = threading.Event()
        self.disconnect_reason: int | None = None
        self.chat_received: list[tuple[str, str]] = []  # (sender identity, text)
        self._readers: set[asyncio.Task] = set()

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 30) -> Any:
        future: Future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return future.result(timeout)

    def connect(self) -> ScriptedParticipant:
        # A new connection has not been dropped yet, whatever happened to the last one.
        self.disconnected.clear()
        self.disconnect_reason = None

        async def go() -> None:
            self.room = rtc.Room()
            self.room.on("disconnected", self._on_disconnected)
            self.room.register_text_stream_handler(CHAT_TOPIC, self._on_chat)
            await self.room.connect(self.server_url, self.token)

        self.run(go())
        return self

    def leave(self) -> None:
        """Hang up from our side (LiveKit then sends participant_left); returns once the SDK
        is disconnected. livekit.rtc does not always emit "disconnected" for a disconnect it
        was asked for: its FFI may flip the state and end the room's event stream first, and
        `Room.disconnect()` then skips its own emit. Waiting for that event after this call
        would fail now and then, so the end of the call is what marks us disconnected."""

        async def go() -> None:
            assert self.room is not None
            await self.room.disconnect()
            if not self.disconnected.is_set():
                self._on_disconnected(rtc.DisconnectReason.CLIENT_INITIATED)

        self.run(go())

    def _on_disconnected(self, reason: int = 0, *_: object) -> None:
        self.disconnect_reason = reason
        self.disconnected.set()

    def _on_chat(self, reader: rtc.TextStreamReader, sender: str) -> None:
        async def read() -> None:
            self.chat_received.append((sender, await reader.read_all()))

        task = asyncio.ensure_future(read())
        self._readers.add(task)  # the loop keeps only weak references to tasks
        task.add_done_callback(self._readers.discard)

    def send_chat(self, text: str) -> None:
        """A chat message the way LiveKit's chat component sends one."""

        async def go() -> None:
            assert self.room is not None
            await self.room.local_participant.send_text(text, topic=CHAT_TOPIC)

        self.run(go())

    def publish_microphone(self) -> None:
        async def go() -> None:
            assert self.room is not None
            self.audio = rtc.AudioSource(LK_RATE, 1)
            track = rtc.LocalAudioTrack.create_audio_track("microphone", self.audio)
            options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
            await self.room.local_participant.publish_track(track, options)

        self.run(go())

    def say(self, pcm16_16k: bytes) -> Future:
        """Play 16 kHz mono PCM16 into the published microphone in real time (resampled to
        48 kHz); returns the future of the playback."""
        samples = np.frombuffer(pcm16_16k, dtype=np.int16)
        upsampled = np.repeat(samples, LK_RATE // 16_000)  # good enough for speech tests
        per_frame = LK_RATE * FRAME_MS // 1000

        async def play() -> None:
            assert self.audio is not None
            for i in range(0, len(upsampled), per_frame):
                chunk = upsampled[i : i + per_frame]
                if len(chunk) < per_frame:
                    chunk = np.pad(chunk, (0, per_frame - len(chunk)))
                frame = rtc.AudioFrame(chunk.tobytes(), LK_RATE, 1, per_frame)
                await self.audio.capture_frame(frame)  # paces itself at real time

        return asyncio.run_coroutine_threadsafe(play(), self.loop)

    def publish_video(self, width: int = 320, height: int = 240, fps: int = 15) -> Future:
        """A moving test pattern as camera, until disconnected."""

        async def go() -> None:
            assert self.room is not None
            source = rtc.VideoSource(width, height)
            track = rtc.LocalVideoTrack.create_video_track("camera", source)
            options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_CAMERA)
            await self.room.local_participant.publish_track(track, options)
            n = 0
            while self.room.isconnected():
                shade = (n * 8) % 256
                rgba = np.full((height, width, 4), shade, dtype=np.uint8)
                rgba[:, (n * 4) % width, :] = 255
                frame = rtc.VideoFrame(width, height, rtc.VideoBufferType.RGBA, rgba.tobytes())
                source.capture_frame(frame)
                n += 1
                await asyncio.sleep(1 / fps)

        return asyncio.run_coroutine_threadsafe(go(), self.loop)

    def close(self) -> None:
        async def go() -> None:
            if self.room is not None:
                await self.room.disconnect()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        try:
            self.run(go(), timeout=10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=5)
