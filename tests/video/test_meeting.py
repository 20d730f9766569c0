"""Two people in one room of the real LiveKit server, each in their own browser context
with Chromium's fake camera and microphone: they see and hear each other, see each other's
mute and camera changes, a screen share, and a departure."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Browser, expect

from tests.support.pages import TIMEOUT_MS, new_page
from tests.support.room import (
    control,
    create_session,
    enter_room,
    signed_up_page,
    tile,
    wait_hearing,
    wait_video_playing,
)

REFLECTED_MS = 2_000  # how soon the others must see a mute, unmute or camera change


def test_two_people_see_hear_and_follow_each_other(
    chromium: Callable[..., Browser], video_app_url: str
) -> None:
    browser = chromium()
    ada, _ = signed_up_page(browser, video_app_url, "Ada Owner")
    slug = create_session(ada, "Two of us")
    enter_room(ada, slug)
    ben = new_page(browser, video_app_url)
    enter_room(ben, slug, guest_name="Ben Guest")
    try:
        for page, other in ((ada, "Ben Guest"), (ben, "Ada Owner")):
            expect(tile(page, other)).to_be_visible(timeout=TIMEOUT_MS)
            wait_video_playing(page, other)
            wait_hearing(page, other)

        ada_on_ben = tile(ben, "Ada Owner")
        expect(ada_on_ben).to_have_attribute("data-lk-audio-muted", "false")
        control(ada, "microphone").click()
        expect(ada_on_ben).to_have_attribute("data-lk-audio-muted", "true", timeout=REFLECTED_MS)
        muted_icon = ada_on_ben.locator(
            '.lk-track-muted-indicator-microphone[data-lk-muted="true"]'
        )
        expect(muted_icon).to_be_visible(timeout=REFLECTED_MS)
        control(ada, "microphone").click()
        expect(ada_on_ben).to_have_attribute("data-lk-audio-muted", "false", timeout=REFLECTED_MS)
        expect(muted_icon).to_have_count(0, timeout=REFLECTED_MS)

        expect(ada_on_ben).to_have_attribute("data-lk-video-muted", "false")
        control(ada, "camera").click()
        expect(ada_on_ben).to_have_attribute("data-lk-video-muted", "true", timeout=REFLECTED_MS)
        # What Ben sees: LiveKit's placeholder drawn over the frozen last frame.
        ben.wait_for_function(
            """() => [...document.querySelectorAll('.lk-participant-tile')]
                .filter(t => t.textContent.includes('Ada Owner'))
                .some(t => getComputedStyle(t.querySelector('.lk-participant-placeholder'))
                    .opacity === '1')""",
            timeout=REFLECTED_MS,
        )
        control(ada, "camera").click()
        expect(ada_on_ben).to_have_attribute("data-lk-video-muted", "false", timeout=REFLECTED_MS)
        wait_video_playing(ben, "Ada Owner")

        # Chromium's fake media flags also answer getDisplayMedia with a synthetic screen.
        control(ada, "screen_share").click()
        expect(tile(ben, "Ada Owner", "screen_share")).to_be_visible(timeout=TIMEOUT_MS)
        wait_video_playing(ben, "Ada Owner", "screen_share")
        control(ada, "screen_share").click()
        expect(tile(ben, "Ada Owner", "screen_share")).to_have_count(0, timeout=TIMEOUT_MS)

        ada.get_by_role("button", name="Leave", exact=True).click()
        expect(ada.get_by_test_id("room")).to_have_count(0, timeout=TIMEOUT_MS)
        expect(tile(ben, "Ada Owner")).to_have_count(0, timeout=TIMEOUT_MS)
        expect(tile(ben, "Ben Guest")).to_be_visible()
    finally:
        for page in (ada, ben):
            page.context.close()
