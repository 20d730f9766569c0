"""The video server dies mid-meeting and comes back on the same ports: both pages say they
are reconnecting, captions keep arriving meanwhile (the transcription WebSocket goes to the
app, not to LiveKit), and the meeting recovers (or offers "Try again" if LiveKit's client
gave up) with the video flowing again."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.livekit_server import LiveKitServer
from tests.support.pages import TIMEOUT_MS, new_page
from tests.support.room import (
    control,
    create_session,
    enter_room,
    signed_up_page,
    wait_video_playing,
)
from tests.support.speech import SENTENCES, silence, speech_track, write_wav

CAPTION_WAIT_S = 40  # the local engine on a loaded two-core machine


@pytest.fixture(scope="module")
def looping_speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pcm, _ = speech_track(SENTENCES[:4], gap=1.0, lead=0.5)
    return write_wav(tmp_path_factory.mktemp("mic") / "speech.wav", pcm + silence(1.0))


def finals(page: Page) -> int:
    return page.locator(
        '#transcript-sidebar [data-final="true"] [data-testid="caption-text"]'
    ).count()


def wait_more_finals(page: Page, than: int) -> int:
    deadline = time.monotonic() + CAPTION_WAIT_S
    while (now := finals(page)) <= than:
        assert time.monotonic() < deadline, f"no new caption in {CAPTION_WAIT_S} s"
        page.wait_for_timeout(250)
    return now


def wait_connected_again(page: Page) -> str:
    """ "recovered" when LiveKit's client reconnected by itself, "retried" when it had given
    up and the page's "Try again" brought it back."""
    connected = page.get_by_text("Connected", exact=True)
    try_again = page.get_by_role("button", name="Try again")
    expect(connected.or_(try_again)).to_be_visible(timeout=60_000)
    if try_again.is_visible():
        try_again.click()
        expect(connected).to_be_visible(timeout=TIMEOUT_MS)
        return "retried"
    return "recovered"


def test_meeting_survives_a_video_server_restart(
    chromium: Callable[..., Browser],
    video_app_url: str,
    livekit: LiveKitServer,
    looping_speech: Path,
) -> None:
    browser = chromium(wav=looping_speech, once=False)
    ada, _ = signed_up_page(browser, video_app_url, "Ada Host")
    slug = create_session(ada, "Restart")
    enter_room(ada, slug)
    ben = new_page(browser, video_app_url)
    enter_room(ben, slug, guest_name="Ben Reader")
    # The same WAV plays in both contexts: only Ada's voice should reach the transcript.
    control(ben, "microphone").click()
    try:
        wait_video_playing(ben, "Ada Host")
        ada.get_by_role("button", name="Start transcription").click()
        expect(ada.get_by_role("button", name="Stop transcription")).to_be_visible(
            timeout=TIMEOUT_MS
        )
        seen = wait_more_finals(ben, 0)

        livekit.kill()
        killed = time.monotonic()
        for page in (ada, ben):
            expect(page.get_by_role("status").filter(has_text="Reconnecting…")).to_be_visible(
                timeout=TIMEOUT_MS
            )
        wait_more_finals(ben, seen)
        assert not livekit.answers(), "the caption must have arrived while LiveKit was down"
        down_s = time.monotonic() - killed

        livekit.start()
        restarted = time.monotonic()
        outcomes = [wait_connected_again(page) for page in (ada, ben)]
        back_s = time.monotonic() - restarted
        for page, other in ((ada, "Ben Reader"), (ben, "Ada Host")):
            expect(page.get_by_role("status").filter(has_text="Reconnecting…")).to_have_count(0)
            wait_video_playing(page, other)
        print(f"down {down_s:.1f} s with captions; back after {back_s:.1f} s: {outcomes}")
        wait_more_finals(ben, finals(ben))
    finally:
        if not livekit.answers():
            livekit.start()  # the server is shared by the whole run
        for page in (ada, ben):
            page.context.close()


def test_try_again_after_the_client_gave_up(
    chromium: Callable[..., Browser], video_app_url: str, livekit: LiveKitServer
) -> None:
    browser = chromium()
    ada, _ = signed_up_page(browser, video_app_url, "Ada Patient")
    slug = create_session(ada, "Long outage")
    enter_room(ada, slug)
    ben = new_page(browser, video_app_url)
    enter_room(ben, slug, guest_name="Ben Patient")
    try:
        wait_video_playing(ben, "Ada Patient")
        livekit.kill()
        killed = time.monotonic()
        for page in (ada, ben):
            expect(page.get_by_test_id("video-unreachable")).to_be_visible(timeout=90_000)
        gave_up_s = time.monotonic() - killed
        expect(ada.get_by_role("status").filter(has_text="Reconnecting…")).to_have_count(0)
        expect(ada.get_by_text("Not connected", exact=True)).to_be_visible()
        livekit.start()
        for page in (ada, ben):
            page.get_by_role("button", name="Try again").click()
        for page, other in ((ada, "Ben Patient"), (ben, "Ada Patient")):
            expect(page.get_by_text("Connected", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
            expect(page.get_by_test_id("video-unreachable")).to_have_count(0)
            wait_video_playing(page, other)
        print(f"LiveKit's client gave up after {gave_up_s:.1f} s")
    finally:
        if not livekit.answers():
            livekit.start()
        for page in (ada, ben):
            page.context.close()
