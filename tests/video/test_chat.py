"""Chat over the room's data channel: a browser on a desktop, a browser at phone width and a
scripted participant on the official SDK (which speaks the chat component's wire format:
text streams on topic `lk.chat`) all read each other; a closed panel counts what arrives;
links are clickable and markup stays text."""

from __future__ import annotations

import time
from collections.abc import Callable

from playwright.sync_api import Browser, Locator, Page, expect

from tests.support.pages import PHONE, TIMEOUT_MS, new_page
from tests.support.room import (
    ScriptedParticipant,
    create_session,
    enter_room,
    signed_up_page,
    wait_known,
)

LINK = "https://example.com/agenda?week=49"
MARKUP = "<b>x</b> <img src=x onerror=window.__roomsXss=1>"
HOSTILE = f"agenda at {LINK}. {MARKUP} javascript:window.__roomsXss=2 ftp://example.com/f"


def toggle(page: Page) -> Locator:
    return page.locator(".lk-control-bar .lk-chat-toggle")


def panel(page: Page) -> Locator:
    return page.get_by_test_id("chat")


def bodies(page: Page) -> Locator:
    return panel(page).locator(".lk-chat-entry .lk-message-body")


def badge(page: Page) -> str:
    """What the toggle's unread badge shows (LiveKit draws it as the ::after content)."""
    return toggle(page).evaluate(
        """el => {
            const c = getComputedStyle(el, '::after').content;
            return c === 'none' || c === 'normal' ? '' : c.replaceAll('"', '');
        }"""
    )


def send(page: Page, text: str) -> None:
    field = panel(page).locator(".lk-chat-form-input")
    field.fill(text)
    field.press("Enter")


def test_chat_between_browsers_and_the_sdk(
    chromium: Callable[..., Browser], video_app_url: str
) -> None:
    browser = chromium()
    ada, _ = signed_up_page(browser, video_app_url, "Ada Owner")
    slug = create_session(ada, "Chatty")
    enter_room(ada, slug)
    ben = new_page(browser, video_app_url, viewport=PHONE)
    enter_room(ben, slug, guest_name="Ben Phone")
    bot = ScriptedParticipant(video_app_url, slug, "Robo Chat").connect()
    try:
        # A message from someone a page does not know yet would arrive without a name.
        for page in (ada, ben):
            wait_known(page, "Robo Chat")
        for page in (ada, ben):
            expect(toggle(page)).to_be_visible(timeout=TIMEOUT_MS)
            expect(panel(page)).to_be_hidden()
            assert badge(page) == ""

        toggle(ada).click()
        expect(panel(ada)).to_be_visible()
        send(ada, HOSTILE)
        expect(bodies(ada)).to_have_count(1, timeout=TIMEOUT_MS)

        # Ben's panel is closed: the toggle counts the message.
        expect(toggle(ben)).to_have_attribute("data-lk-unread-msgs", "1", timeout=TIMEOUT_MS)
        assert badge(ben) == "1"
        toggle(ben).click()
        expect(panel(ben)).to_be_visible()
        expect(toggle(ben)).to_have_attribute("data-lk-unread-msgs", "0", timeout=TIMEOUT_MS)
        # At phone width the panel covers the video, inside the screen, composer reachable.
        box = panel(ben).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        expect(panel(ben).locator(".lk-chat-form-input")).to_be_in_viewport()

        for page in (ada, ben):
            body = bodies(page).first
            expect(body).to_have_text(HOSTILE, timeout=TIMEOUT_MS)
            links = body.locator("a")
            expect(links).to_have_count(1)  # neither javascript: nor ftp: became a link
            expect(links).to_have_attribute("href", LINK)
            expect(links).to_have_text(LINK)
            expect(links).to_have_attribute("target", "_blank")
            assert "noopener" in (links.get_attribute("rel") or "").split()
            expect(body.locator("b, img")).to_have_count(0)
            assert page.evaluate("window.__roomsXss") is None

        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while not bot.chat_received and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [text for _, text in bot.chat_received] == [HOSTILE]

        send(ben, "Got it")
        expect(bodies(ada)).to_have_count(2, timeout=TIMEOUT_MS)
        bot.send_chat("Noted by the robot")
        for page in (ada, ben):
            expect(bodies(page)).to_have_text(
                [HOSTILE, "Got it", "Noted by the robot"], timeout=TIMEOUT_MS
            )
        expect(panel(ada).locator(".lk-chat-entry").last).to_contain_text("Robo Chat")

        # Closed again, Ben counts only what arrived since he read.
        panel(ben).locator(".lk-close-button").click()
        expect(panel(ben)).to_be_hidden()
        send(ada, "One more")
        bot.send_chat("And another")
        expect(toggle(ben)).to_have_attribute("data-lk-unread-msgs", "2", timeout=TIMEOUT_MS)
        assert badge(ben) == "2"
    finally:
        bot.close()
        for page in (ada, ben):
            page.context.close()
