"""Host-mode transcription in a real meeting (issue 12): the host's page mixes everyone's
LiveKit audio into its stream, LiveKit's active speakers say who spoke, and a third
participant's page shows each line under the right name; the database has each once."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, expect

from tests.support.room import ScriptedParticipant, create_session, enter_room, signed_up_page
from tests.support.speech import SENTENCES, synth
from tests.support.transcript_steps import (
    carrying,
    drop_leave_events,
    live_finals,
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
BEFORE = SENTENCES[3]  # "The weather today is sunny with a light breeze from the west."
AFTER = SENTENCES[5]  # "She bought three apples and a loaf of bread at the market."
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


def test_host_leaves_and_another_member_takes_transcription_over(
    chromium: Callable[..., Browser], video_app_url: str, tmp_path: pytest.TempPathFactory
) -> None:
    """The host closes its tab: LiveKit's own `participant_left` webhook marks it gone, the
    server re-elects a present member, whose page starts streaming by itself."""
    quiet = chromium(wav=speech_wav(tmp_path / "quiet.wav", None, lead=180.0))
    first, _ = signed_up_page(quiet, video_app_url, "Ada Creator")
    slug = create_session(first, "Handover")
    second, second_email = signed_up_page(quiet, video_app_url, "Ben Member")
    space_id = first.request.get("/api/spaces").json()["activeSpaceId"]
    res = first.request.post(f"/api/spaces/{space_id}/members", data={"email": second_email})
    assert res.status == 201, res.text()
    events = drop_leave_events(first)
    enter_room(first, slug)
    enter_room(second, slug)
    bot = ScriptedParticipant(video_app_url, slug, "Robo Speaker").connect()
    try:
        bot.publish_microphone()
        wait_for_remote_audio(first, bot.identity)
        wait_for_remote_audio(second, bot.identity)
        start_transcription(first)
        expect(second.get_by_role("button", name="Start transcription")).to_have_count(0)

        bot.say(synth(BEFORE)).result(timeout=30)
        wait_for_speech(second, BEFORE, timeout_s=45)

        left_at = time.monotonic()
        first.close(run_before_unload=True)
        expect(second.get_by_role("button", name="Stop transcription")).to_be_visible(
            timeout=10_000
        )
        handover = time.monotonic() - left_at
        print(f"hand-over: {handover:.1f} s; the page's events: {events}")
        assert events["forwarded"] > 0  # its Reflex socket did go through the filter
        assert handover < 10, handover
        creator = participant_named(slug, "Ada Creator")
        assert creator.left_at is not None and not creator.is_transcription_host
        assert participant_named(slug, "Ben Member").is_transcription_host

        bot.say(synth(AFTER)).result(timeout=30)
        shown = wait_for_speech(second, AFTER, timeout_s=45)
        assert {speaker for speaker, _ in shown} == {"Robo Speaker"}, shown

        rows = wait_saved(slug, AFTER)
        bot_id = participant_named(slug, "Robo Speaker").id
        for sentence in (BEFORE, AFTER):
            assert {p for p, _ in carrying(rows, sentence)} == {bot_id}, rows
            said_once(rows, sentence)
        # Every final a page showed, across the hand-over, is saved.
        assert {t for _, t in live_finals(second)} <= {t for _, t in rows}, rows
    finally:
        bot.close()
        for page in (first, second):
            page.context.close()
