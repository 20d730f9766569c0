"""The app with the real LiveKit server behind it, and Chromium launched per participant.

Each Chromium can have its own fake-microphone WAV (one file per browser process), so a
test that needs two distinct voices launches two browsers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from tests.support.app_server import running_app
from tests.support.livekit_server import LiveKitServer
from tests.support.pages import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="package")
def video_app_url(
    tmp_path_factory: pytest.TempPathFactory, livekit: LiveKitServer, video_app_port: int
) -> Iterator[str]:
    """Its port was chosen before LiveKit started, so LiveKit's webhooks reach it."""
    env = {
        "LIVEKIT_URL": livekit.url,
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
    }
    log_path = tmp_path_factory.mktemp("video-app") / "reflex.log"
    with running_app(video_app_port, log_path, env) as base:
        yield base


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: run scripts/setup"
    with sync_playwright() as pw:
        yield pw


@pytest.fixture
def chromium(playwright: Playwright) -> Iterator[Callable[..., Browser]]:
    """`chromium()` launches a browser with the fake camera and a tone as microphone;
    `chromium(wav=path)` plays that WAV as the microphone (`once=True`: then silence)."""
    launched: list[Browser] = []

    def launch(wav: Path | None = None, once: bool = True) -> Browser:
        args = list(CHROMIUM_ARGS)
        if wav is not None:
            args.append(f"--use-file-for-fake-audio-capture={wav}{'%noloop' if once else ''}")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()
