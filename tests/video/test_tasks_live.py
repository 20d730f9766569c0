"""A task made from a line of the live transcript sidebar in a real meeting (issue 17):
a scripted participant speaks through the real LiveKit server, the host's page transcribes
it, the host makes a task from that caption, and the board has it with its quote."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, expect

from tests.support.pages import TIMEOUT_MS
from tests.support.room import ScriptedParticipant, create_session, enter_room, signed_up_page
from tests.support.speech import SENTENCES, recall, synth
from tests.support.transcript_steps import (
    speech_wav,
    start_transcription,
    wait_for_remote_audio,
    wait_for_speech,
    wait_saved,
)

BOT_SAYS = SENTENCES[1]  # "We will meet again next Tuesday to review the budget."


def test_make_a_task_from_a_live_caption(
    chromium: Callable[..., Browser], video_app_url: str, tmp_path: pytest.TempPathFactory
) -> None:
    quiet = speech_wav(tmp_path / "quiet.wav", None, lead=120.0)
    host, _ = signed_up_page(chromium(wav=quiet), video_app_url, "Hana Host")
    space = host.request.get("/api/spaces").json()["activeSpaceId"]
    res = host.request.patch(f"/api/spaces/{space}/mode", data={"mode": "SESSIONS_AND_TASKS"})
    assert res.ok, res.text()
    slug = create_session(host, "Standup")
    enter_room(host, slug)
    bot = ScriptedParticipant(video_app_url, slug, "Robo Speaker").connect()
    try:
        bot.publish_microphone()
        wait_for_remote_audio(host, bot.identity)
        start_transcription(host)
        bot.say(synth(BOT_SAYS)).result(timeout=30)
        (shown,) = wait_for_speech(host, BOT_SAYS, timeout_s=45)[:1]
        # "Make a task" looks the caption up among the saved lines.
        wait_saved(slug, BOT_SAYS)

        row = host.get_by_test_id("caption-row").filter(has_text=shown[1])
        row.get_by_test_id("make-task").click()
        dialog = host.get_by_test_id("task-dialog")
        expect(dialog).to_be_visible(timeout=TIMEOUT_MS)
        title = dialog.locator("#task-title").input_value()
        assert recall(BOT_SAYS, title) >= 0.6, title
        expect(dialog.get_by_test_id("task-dialog-quote")).to_contain_text(shown[1])
        # The speaker has no account in the space: nobody is suggested.
        expect(dialog.locator("#task-assignee")).to_contain_text("Nobody")
        dialog.get_by_role("button", name="Create task").click()
        expect(dialog).to_be_hidden(timeout=TIMEOUT_MS)

        board = host.context.new_page()
        board.goto("/tasks")
        card = board.get_by_test_id("column-TODO").get_by_test_id("task-card")
        expect(card).to_have_count(1, timeout=TIMEOUT_MS)
        expect(card.get_by_test_id("task-source")).to_have_attribute(
            "href", re.compile(rf"/session/{slug}/transcript\?t=\d+#seg-\w+")
        )
        expect(card.get_by_test_id("task-source")).to_contain_text("Standup")
        card.get_by_role("button", name="Task actions").click()
        board.get_by_test_id("move-DONE").click()
        expect(board.get_by_test_id("column-DONE").get_by_test_id("task-card")).to_have_count(
            1, timeout=TIMEOUT_MS
        )
        tasks = host.request.get("/api/tasks", params={"spaceId": space}).json()["tasks"]
        assert [t["status"] for t in tasks] == ["DONE"]
        assert tasks[0]["source"]["speaker"] == "Robo Speaker"
        assert tasks[0]["source"]["sessionSlug"] == slug
    finally:
        bot.close()
        host.context.close()
