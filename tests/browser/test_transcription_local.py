"""End to end in Chromium with a fake microphone: espeak-ng speaks into the host's page, the
local engine transcribes, and a guest in another browser context reads the finals live; the
same finals are in the database.

The real app runs in production mode (tests/browser's `app_url`); Chromium plays a WAV file
as the microphone (`--use-file-for-fake-audio-capture`, RECIPES).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, expect
from sqlmodel import select

from rooms.core.db import session_scope
from rooms.core.models import Session, TranscriptSegment
from tests.support.helpers import unique_email
from tests.support.offline_room import enter_offline_room, finals
from tests.support.pages import CHROMIUM, CHROMIUM_ARGS, PASSWORD, TIMEOUT_MS, new_page
from tests.support.speech import SENTENCES, recall, seconds, silence, speech_track, write_wav

pytestmark = pytest.mark.browser
SPOKEN = SENTENCES[9:12]


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    pcm, _ = speech_track(SPOKEN, gap=1.0, lead=1.0)
    pcm += silence(2.0)
    return write_wav(tmp_path_factory.mktemp("mic") / "speech.wav", pcm), seconds(pcm)


@pytest.fixture(scope="module")
def mic_browser(playwright: Playwright, speech_wav: tuple[Path, float]) -> Iterator[Browser]:
    """Chromium whose microphone plays the WAV once (then silence) from when it is opened."""
    wav, _ = speech_wav
    args = [*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={wav}%noloop"]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    yield browser
    browser.close()


def test_spoken_words_reach_another_browser_and_the_database(
    mic_browser: Browser,
    app_url: str,
    speech_wav: tuple[Path, float],
) -> None:
    host = new_page(mic_browser, app_url)
    res = host.request.post(
        "/api/auth/signup",
        data={"email": unique_email("speaker"), "password": PASSWORD, "name": "Sam Speaker"},
    )
    assert res.status == 201, res.text()
    slug = host.request.post("/api/sessions", data={"title": "Dictation"}).json()["session"]["slug"]
    enter_offline_room(host, slug)
    # The room is handed to the transcriber even when the video server cannot be reached.
    host.wait_for_function("typeof window.RoomsLiveKitRoom?.on === 'function'")

    guest = new_page(mic_browser, app_url)
    enter_offline_room(guest, slug, guest_name="Gale Guest")

    start = host.get_by_role("button", name="Start transcription")
    expect(start).to_be_visible(timeout=TIMEOUT_MS)
    start.click()
    expect(host.get_by_role("button", name="Stop transcription")).to_be_visible(timeout=TIMEOUT_MS)

    spoken = " ".join(SPOKEN)
    _, duration = speech_wav
    deadline = time.monotonic() + duration + 20
    heard: list[str] = []
    while time.monotonic() < deadline:
        heard = finals(guest)
        if recall(spoken, " ".join(heard)) >= 0.8:
            break
        guest.wait_for_timeout(250)
    assert recall(spoken, " ".join(heard)) >= 0.8, heard
    assert all(heard)
    # No video server here, so the host's page says who speaks from its microphone's level:
    # everything heard is the host's, named on the guest's page too.
    assert set(finals(guest, "caption-speaker")) == {"Sam Speaker"}
    # The host (and only the host) sees which engine makes the captions and how late they are.
    health = host.get_by_test_id("caption-health")
    expect(health).to_have_text(re.compile(r"offline engine · \d+\.\d s"), timeout=TIMEOUT_MS)
    expect(health).to_have_attribute("data-degraded", "false")
    expect(guest.get_by_test_id("caption-health")).to_have_count(0)

    host.get_by_role("button", name="Stop transcription").click()
    expect(host.get_by_role("button", name="Start transcription")).to_be_visible(timeout=TIMEOUT_MS)
    deadline = time.monotonic() + 10
    while True:
        with session_scope() as db:
            session = db.exec(select(Session).where(Session.slug == slug)).one()
            rows = db.exec(
                select(TranscriptSegment)
                .where(TranscriptSegment.session_id == session.id)
                .order_by(TranscriptSegment.started_at)
            ).all()
            stored = [r.text for r in rows]
        if len(stored) >= len(heard) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert set(heard) <= set(stored), (heard, stored)
    assert recall(spoken, " ".join(stored)) >= 0.8
    for page in (host, guest):
        page.context.close()
