"""Per-speaker transcription in a real meeting (issue 12): with TRANSCRIPTION_MODE=per-speaker
every participant's page streams its own microphone, and each sentence is attributed to
whoever's microphone said it, on the other's page and in the database."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser

from tests.support.api_server import free_port
from tests.support.app_server import running_app
from tests.support.livekit_server import LiveKitServer
from tests.support.pages import new_page
from tests.support.room import create_session, enter_room, signed_up_page
from tests.support.speech import SENTENCES
from tests.support.transcript_steps import (
    carrying,
    participant_named,
    said_once,
    speech_wav,
    start_transcription,
    wait_for_speech,
    wait_saved,
)

OWNER_SAYS = SENTENCES[2]  # "Please send the quarterly report to the finance team ..."
GUEST_SAYS = SENTENCES[6]  # "Remember to lock the door when you leave the building tonight."


@pytest.fixture(scope="module")
def per_speaker_url(
    tmp_path_factory: pytest.TempPathFactory, livekit: LiveKitServer
) -> Iterator[str]:
    """Its own app: the mode is a server setting. LiveKit's webhooks do not reach it, which
    this test does not need."""
    env = {
        "LIVEKIT_URL": livekit.url,
        "TRANSCRIPTION_MODE": "per-speaker",
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
    }
    log_path = tmp_path_factory.mktemp("per-speaker-app") / "reflex.log"
    with running_app(free_port(), log_path, env) as base:
        yield base


def test_each_microphone_is_attributed_to_its_owner(
    chromium: Callable[..., Browser], per_speaker_url: str, tmp_path: pytest.TempPathFactory
) -> None:
    owner_wav = speech_wav(tmp_path / "owner.wav", OWNER_SAYS, lead=12.0)
    guest_wav = speech_wav(tmp_path / "guest.wav", GUEST_SAYS, lead=24.0)
    owner, _ = signed_up_page(chromium(wav=owner_wav), per_speaker_url, "Olga Owner")
    slug = create_session(owner, "Round table")
    guest = new_page(chromium(wav=guest_wav), per_speaker_url)
    try:
        enter_room(owner, slug)
        enter_room(guest, slug, guest_name="Gus Guest")
        start_transcription(owner)
        start_transcription(guest)  # a guest proves who it is with its LiveKit token

        shown = wait_for_speech(guest, OWNER_SAYS, timeout_s=60)
        assert {speaker for speaker, _ in shown} == {"Olga Owner"}, shown
        shown = wait_for_speech(owner, GUEST_SAYS, timeout_s=60)
        assert {speaker for speaker, _ in shown} == {"Gus Guest"}, shown

        wait_saved(slug, OWNER_SAYS)
        rows = wait_saved(slug, GUEST_SAYS)
        owner_id = participant_named(slug, "Olga Owner").id
        guest_id = participant_named(slug, "Gus Guest").id
        assert {p for p, _ in carrying(rows, OWNER_SAYS)} == {owner_id}, rows
        assert {p for p, _ in carrying(rows, GUEST_SAYS)} == {guest_id}, rows
        said_once(rows, OWNER_SAYS)
        said_once(rows, GUEST_SAYS)
    finally:
        for page in (owner, guest):
            page.context.close()
