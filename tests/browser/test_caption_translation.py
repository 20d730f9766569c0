"""Live caption translation in Chromium, with Gladia (the fake, speaking its live v2 protocol
and its real-time translation) behind the real app: the host picks German captions and
streams from a fake microphone; their page shows the German lines (the original one click
away) while a guest's page shows the original; the transcript page shows the saved German
when it is picked, and its downloads carry the language.

The app runs in production mode with the Gladia engine pointed at the fake (its own server,
not the package's `app_url`, which runs the local engine).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect

from tests.support.api_server import ServerThread, free_port
from tests.support.app_server import project_copy, running_app
from tests.support.fake_gladia import FakeGladia, speech_pcm
from tests.support.gateway import gladia_env
from tests.support.helpers import unique_email
from tests.support.offline_room import enter_offline_room, finals
from tests.support.pages import CHROMIUM, CHROMIUM_ARGS, PASSWORD, TIMEOUT_MS, new_page
from tests.support.speech import silence, write_wav

pytestmark = pytest.mark.browser
UTTERANCES = 4
GERMAN = re.compile(r" \[de\]$")


@pytest.fixture(scope="module")
def fake_gladia() -> Iterator[FakeGladia]:
    fake = FakeGladia()
    with ServerThread(fake.app) as server:
        fake.base_url = server.url
        yield fake


@pytest.fixture(scope="module")
def gladia_app(tmp_path_factory: pytest.TempPathFactory, fake_gladia: FakeGladia) -> Iterator[str]:
    log_path = tmp_path_factory.mktemp("gladia-app") / "reflex.log"
    env = {**gladia_env(fake_gladia), "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads"))}
    tree = project_copy(tmp_path_factory.mktemp("gladia-tree"))
    with running_app(free_port(), log_path, env, cwd=tree) as base:
        yield base


@pytest.fixture(scope="module")
def mic_browser(
    playwright: Playwright, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Browser]:
    """Chromium whose microphone plays bursts of voiced sound once (the fake Gladia hears
    an utterance in each), then silence."""
    pcm = silence(1.0) + speech_pcm(UTTERANCES) + silence(2.0)
    wav = write_wav(tmp_path_factory.mktemp("mic") / "speech.wav", pcm)
    args = [*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={wav}%noloop"]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    yield browser
    browser.close()


def _wait_finals(page: Page, n: int, pattern: re.Pattern[str] | None = None) -> list[str]:
    deadline = time.monotonic() + 40
    seen = finals(page)
    while time.monotonic() < deadline:
        seen = finals(page)
        if len(seen) >= n and (pattern is None or all(pattern.search(x) for x in seen)):
            break
        page.wait_for_timeout(250)
    return seen


def _pick(page: Page, trigger: str, option: str) -> None:
    page.get_by_test_id(trigger).click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(page.get_by_test_id(trigger)).to_have_text(option, timeout=TIMEOUT_MS)


def test_a_viewer_reads_german_captions_while_another_reads_the_original(
    gladia_app: str, mic_browser: Browser, browser: Browser, fake_gladia: FakeGladia
) -> None:
    host = new_page(mic_browser, gladia_app)
    res = host.request.post(
        "/api/auth/signup",
        data={"email": unique_email("anna"), "password": PASSWORD, "name": "Anna Host"},
    )
    assert res.status == 201, res.text()
    space = res.json()["user"]["activeSpaceId"]
    # The meeting is spoken in English: nobody reading English needs a translation.
    res = host.request.patch(f"/api/spaces/{space}/transcription", data={"language": "en"})
    assert res.status == 200, res.text()
    slug = host.request.post("/api/sessions", data={"title": "Weekly"}).json()["session"]["slug"]
    enter_offline_room(host, slug)
    host.wait_for_function("typeof window.RoomsLiveKitRoom?.on === 'function'")

    guest = new_page(browser, gladia_app)
    enter_offline_room(guest, slug, guest_name="Gale Guest")
    # Both read English (their UI language, the one spoken): the picker says so.
    expect(guest.get_by_test_id("caption-language")).to_have_text("English")

    _pick(host, "caption-language", "German")
    host.get_by_role("button", name="Start transcription").click()
    expect(host.get_by_role("button", name="Stop transcription")).to_be_visible(timeout=TIMEOUT_MS)

    german = _wait_finals(host, UTTERANCES, GERMAN)
    original = _wait_finals(guest, UTTERANCES)
    assert len(german) >= UTTERANCES and all(GERMAN.search(x) for x in german), german
    assert len(original) >= UTTERANCES and not any("[" in x for x in original), original
    assert [GERMAN.sub("", x) for x in german] == original
    init = fake_gladia.init_bodies[-1]
    assert init["realtime_processing"]["translation_config"]["target_languages"] == ["de"]
    translated = host.locator('#transcript-sidebar [data-translated="true"]')
    expect(translated.first).to_have_attribute("title", original[0])

    # The original is one click away, and back.
    host.get_by_test_id("show-original").click()
    expect(host.get_by_test_id("show-original")).to_have_text("Translated")
    assert finals(host) == original
    host.get_by_test_id("show-original").click()
    assert _wait_finals(host, UTTERANCES, GERMAN) == german

    host.get_by_role("button", name="Stop transcription").click()
    expect(host.get_by_role("button", name="Start transcription")).to_be_visible(timeout=TIMEOUT_MS)
    guest.context.close()

    # The transcript page keeps the original and the German: the picker chooses.
    host.goto(f"/session/{slug}/transcript")
    lines = host.get_by_test_id("transcript-text")
    expect(lines).to_have_count(len(original), timeout=TIMEOUT_MS)
    assert [t.strip() for t in lines.all_inner_texts()] == original
    _pick(host, "transcript-language", "German")
    expect(lines.first).to_have_text(german[0], timeout=TIMEOUT_MS)
    assert [t.strip() for t in lines.all_inner_texts()] == german
    host.get_by_role("button", name="Download").click()
    link = host.get_by_role("menuitem").get_by_role("link", name="Text")
    expect(link).to_have_attribute(
        "href", f"/api/sessions/{slug}/transcript?format=txt&language=de"
    )
    body = host.request.get(f"/api/sessions/{slug}/transcript?format=txt&language=de").text()
    assert german[0] in body
    host.context.close()
