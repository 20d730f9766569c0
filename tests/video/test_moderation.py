"""The owner removes someone through the room page, and ending a session ends every page:
browsers and scripted participants in one room of the real LiveKit server."""

from __future__ import annotations

from collections.abc import Callable

from livekit.protocol.models import DisconnectReason
from playwright.sync_api import Browser, Page, expect

from tests.support.pages import TIMEOUT_MS, new_page
from tests.support.room import ScriptedParticipant, create_session, enter_room, signed_up_page

# Records whether the "video unavailable" callout ever showed (a lost connection), so a
# page that ends up right by a detour through it still fails.
WATCH_OFFLINE = """() => {
  window.__sawOffline = false;
  const seen = () => document.querySelector('[data-testid="video-unreachable"]');
  new MutationObserver(() => { if (seen()) window.__sawOffline = true; })
    .observe(document.body, {childList: true, subtree: true});
}"""


def _open_people(page: Page) -> None:
    page.get_by_role("button", name="People").click()
    expect(page.get_by_test_id("participants-panel")).to_be_visible(timeout=TIMEOUT_MS)


def test_owner_removes_a_guest_who_cannot_come_back_until_let_in(
    chromium: Callable[..., Browser], video_app_url: str
) -> None:
    owner, _ = signed_up_page(chromium(), video_app_url, "Olga Owner")
    slug = create_session(owner, "Moderated")
    enter_room(owner, slug)
    guest = new_page(chromium(), video_app_url)
    enter_room(guest, slug, guest_name="Gus Guest")
    guest.evaluate(WATCH_OFFLINE)
    try:
        _open_people(owner)
        panel = owner.get_by_test_id("participants-panel")
        expect(panel.get_by_text("Gus Guest")).to_be_visible(timeout=TIMEOUT_MS)
        # Nobody removes themselves from the panel.
        expect(panel.get_by_role("button", name="Remove Olga Owner")).to_have_count(0)
        panel.get_by_role("button", name="Remove Gus Guest").click()
        dialog = owner.get_by_test_id("confirm-remove")
        expect(dialog).to_contain_text("Remove Gus Guest?")
        dialog.get_by_role("button", name="Remove").click()

        card = guest.get_by_test_id("session-removed")
        expect(card).to_be_visible(timeout=TIMEOUT_MS)
        expect(card).to_contain_text("You were removed from this session")
        assert guest.evaluate("window.__sawOffline") is False
        expect(panel.get_by_test_id("present-person").filter(has_text="Gus")).to_have_count(0)

        # The same link in the same browser: still removed, no name gate, no room.
        guest.goto(f"/session/{slug}")
        expect(guest.get_by_test_id("session-removed")).to_be_visible(timeout=TIMEOUT_MS)
        expect(guest.get_by_test_id("guest-gate")).to_have_count(0)

        # The owner lets them back in; the same browser joins again.
        removed = panel.get_by_test_id("removed-person").filter(has_text="Gus Guest")
        removed.get_by_role("button", name="Let Gus Guest back in").click()
        expect(removed).to_have_count(0, timeout=TIMEOUT_MS)
        enter_room(guest, slug, guest_name="Gus Guest")
    finally:
        guest.context.close()
        owner.context.close()


def test_ending_a_session_ends_every_page_at_once(
    chromium: Callable[..., Browser], video_app_url: str
) -> None:
    owner, _ = signed_up_page(chromium(), video_app_url, "Erin Ender")
    slug = create_session(owner, "To be ended")
    enter_room(owner, slug)
    guest = new_page(chromium(), video_app_url)
    enter_room(guest, slug, guest_name="Gail Guest")
    bot = ScriptedParticipant(video_app_url, slug, "Robo Listener").connect()
    guest.evaluate(WATCH_OFFLINE)
    try:
        res = owner.request.post(f"/api/sessions/{slug}/end")
        assert res.status == 200, res.text()
        assert bot.disconnected.wait(20), "the scripted participant is still connected"
        assert bot.disconnect_reason == DisconnectReason.ROOM_DELETED
        for page in (guest, owner):
            expect(page.get_by_test_id("session-ended")).to_be_visible(timeout=TIMEOUT_MS)
        # Straight to "ended": never through "the connection was lost".
        assert guest.evaluate("window.__sawOffline") is False
    finally:
        bot.close()
        guest.context.close()
        owner.context.close()
