"""The meeting itself: a browser and a scripted participant in one room of the real server."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Browser, expect

from tests.support.pages import TIMEOUT_MS
from tests.support.room import ScriptedParticipant, create_session, enter_room, signed_up_page


def test_browser_sees_a_scripted_participants_video(
    chromium: Callable[..., Browser], video_app_url: str
) -> None:
    page, _ = signed_up_page(chromium(), video_app_url, "Vera Video")
    slug = create_session(page)
    enter_room(page, slug)
    bot = ScriptedParticipant(video_app_url, slug, "Robo Caller").connect()
    try:
        bot.publish_video()
        tile = page.locator(".lk-participant-tile").filter(has_text="Robo Caller")
        expect(tile).to_be_visible(timeout=TIMEOUT_MS)
        page.wait_for_function(
            """() => [...document.querySelectorAll('.lk-participant-tile')]
                .filter(t => t.textContent.includes('Robo Caller'))
                .some(t => (t.querySelector('video')?.videoWidth ?? 0) > 0)""",
            timeout=TIMEOUT_MS,
        )
    finally:
        bot.close()
        page.context.close()
