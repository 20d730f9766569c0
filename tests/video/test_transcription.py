"""Host-mode transcription in a real meeting (issue 12): the host's page mixes everyone's
LiveKit audio into its stream, LiveKit's active speakers say who spoke, and a third
participant's page shows each line under the right name; the database has each once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser

from tests.stt.speech import SENTENCES, synth
from tests.video.room import ScriptedParticipant, create_session, enter_room, signed_up_page
from tests.video.transcript_steps import (
    carrying,
    participant_named,
    said_once,
    speech_wav,
    start_transcription,
    wait_for_remote_audio,
    wait_for_speech,
    wait_saved,
)

BOT_SAYS = SENTENCES[1]  # "We will meet again next Tuesday to review the budget."
HOST_SAYS = SENTENCES[10]  # "The project deadline has been moved to the end of March."
# The host's fake microphone stays silent this long from when it is opened, so the scripted
# voice comes first; long enough for the bot's sentence to be transcribed on a busy machine.
HOST_LEAD_S = 40.0


def test_remote_voice_and_host_voice_are_attributed(
    chromium: Callable[..., Browser], video_app_url: str, tmp_path: pytest.TempPathFactory
) -> None:
    host_wav = speech_wav(tmp_path / "host.wav", HOST_SAYS, lead=HOST_LEAD_S)
    quiet_wav = speech_wav(tmp_path / "quiet.wav", None, lead=120.0)
    host, _ = signed_up_page(chromium(wav=host_wav), video_app_url, "Hana Host")
    slug = create_session(host, "Standup")
    enter_room(host, slug)
    viewer = signed_up_page(chromium(wav=quiet_wav), video_app_url, "Vic Viewer")[0]
    enter_room(viewer, slug, guest_name=None)
    bot = ScriptedParticipant(video_app_url, slug, "Robo Speaker").connect()
    try:
        bot.publish_microphone()
        wait_for_remote_audio(host, bot.identity)
        start_transcription(host)
        # Echo cancellation is on for the host's capture (remote voices come from the mix).
        assert host.evaluate("window.RoomsTranscriber.micSettings().echoCancellation") is True

        bot.say(synth(BOT_SAYS)).result(timeout=30)
        shown = wait_for_speech(viewer, BOT_SAYS, timeout_s=45)
        assert {speaker for speaker, _ in shown} == {"Robo Speaker"}, shown

        shown = wait_for_speech(viewer, HOST_SAYS, timeout_s=HOST_LEAD_S + 40)
        assert {speaker for speaker, _ in shown} == {"Hana Host"}, shown

        rows = wait_saved(slug, HOST_SAYS)
        bot_id = participant_named(slug, "Robo Speaker").id
        host_id = participant_named(slug, "Hana Host").id
        assert {p for p, _ in carrying(rows, BOT_SAYS)} == {bot_id}, rows
        assert {p for p, _ in carrying(rows, HOST_SAYS)} == {host_id}, rows
        said_once(rows, BOT_SAYS)
        said_once(rows, HOST_SAYS)
    finally:
        bot.close()
        for page in (host, viewer):
            page.context.close()
