"""The room itself in Russian: the control bar's buttons and the chat panel (our own
components over LiveKit's hooks, since LiveKit's prefabs hard-code English) read the
viewer's catalog, and chat still works through them."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Browser, expect

from rooms.core.i18n import gettext
from tests.support.i18n_pages import english_left
from tests.support.pages import TIMEOUT_MS
from tests.support.room import create_session, signed_up_page


def ru(text: str) -> str:
    return gettext("ru", text)


def test_controls_and_chat_in_russian(chromium: Callable[..., Browser], video_app_url: str) -> None:
    page, _ = signed_up_page(chromium(), video_app_url, "Ирина Хост")
    assert page.request.patch("/api/identity/profile", data={"locale": "ru"}).ok
    slug = create_session(page, "Планёрка")

    page.goto(f"/session/{slug}")
    expect(page.get_by_test_id("prejoin")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("button", name=ru("Join session")).click()
    room = page.get_by_test_id("room")
    expect(room.get_by_text(ru("Connected"), exact=True)).to_be_visible(timeout=TIMEOUT_MS)

    bar = page.locator(".lk-control-bar")
    for source, label in (("microphone", "Microphone"), ("camera", "Camera")):
        expect(bar.locator(f'button[data-lk-source="{source}"]')).to_have_attribute(
            "aria-label", ru(label), timeout=TIMEOUT_MS
        )
    expect(bar.get_by_role("button", name=ru("Disconnect"), exact=True)).to_be_visible()
    # Hidden unless the browser blocks autoplay; its text is still the viewer's.
    expect(bar.locator(".lk-start-audio-button")).to_have_text(ru("Allow audio and video"))

    bar.get_by_role("button", name=ru("Chat"), exact=True).click()
    chat = page.get_by_test_id("chat")
    expect(chat).to_be_visible()
    expect(chat.locator(".lk-chat-header")).to_have_text(ru("Messages"))
    field = chat.get_by_placeholder(ru("Enter a message..."))
    field.fill("Привет всем")
    chat.get_by_role("button", name=ru("Send"), exact=True).click()
    expect(chat.locator(".lk-chat-entry .lk-message-body")).to_have_text(["Привет всем"])
    expect(chat.locator(".lk-participant-name")).to_have_text(["Ирина Хост"])

    assert english_left(room) == []
    chat.get_by_role("button", name=ru("Close chat")).click()
    expect(chat).to_be_hidden()
