"""The lobby in browsers (issue 16): a session created with a lobby holds a guest on a
"waiting" card until the owner, in the room, admits them; the guest's page then enters the
room of the real LiveKit server by itself, without a reload. A denied guest sees so."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Browser, Page, expect

from tests.support.pages import TIMEOUT_MS, new_page
from tests.support.room import enter_room, signed_up_page

# Set once the page has loaded: still true later means the page was never reloaded.
MARK_PAGE = "() => { window.__samePage = true; }"


def _create_with_lobby(page: Page, title: str) -> str:
    """Through the sessions page's dialog, with its lobby box ticked."""
    page.goto("/sessions")
    page.get_by_role("button", name="New session").first.click()
    dialog = page.get_by_test_id("session-create")
    dialog.get_by_label("Title (optional)").fill(title)
    dialog.get_by_role("checkbox").click()
    dialog.get_by_role("button", name="Create session").click()
    expect(dialog).to_have_count(0, timeout=TIMEOUT_MS)
    listed = page.request.get("/api/sessions").json()["sessions"]
    made = next(s for s in listed if s["title"] == title)
    assert made["lobby"] is True, made
    return made["slug"]


def _ask_to_join(page: Page, slug: str, name: str) -> None:
    page.goto(f"/session/{slug}")
    page.evaluate(MARK_PAGE)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("prejoin")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Join session").click()


def test_a_guest_waits_in_the_lobby_and_is_admitted_from_the_room(
    chromium: Callable[..., Browser], video_app_url: str
) -> None:
    owner, _ = signed_up_page(chromium(), video_app_url, "Hana Host")
    slug = _create_with_lobby(owner, "Lobby check")
    enter_room(owner, slug)
    expect(owner.get_by_text("Connected", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    guest = new_page(chromium(), video_app_url)
    late = new_page(chromium(), video_app_url)
    try:
        _ask_to_join(guest, slug, "Gus Guest")
        waiting = guest.get_by_test_id("lobby-waiting")
        expect(waiting).to_contain_text("Waiting for the host to let you in", timeout=TIMEOUT_MS)
        expect(guest.get_by_test_id("room")).to_have_count(0)

        notice = owner.get_by_test_id("lobby-notice")
        expect(notice).to_contain_text("Gus Guest", timeout=TIMEOUT_MS)
        notice.get_by_role("button", name="Admit Gus Guest").click()

        # The guest's page follows by itself: the room, connected to the video server.
        expect(guest.get_by_test_id("room")).to_be_visible(timeout=TIMEOUT_MS)
        expect(guest.get_by_text("Connected", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
        assert guest.evaluate("window.__samePage") is True
        expect(owner.get_by_test_id("lobby-notice")).to_have_count(0, timeout=TIMEOUT_MS)
        # Both see each other's video tile in the real LiveKit room.
        expect(owner.locator(".lk-participant-tile")).to_have_count(2, timeout=20_000)

        # Someone else is refused: their page says so, again without a reload.
        _ask_to_join(late, slug, "Lou Late")
        expect(notice).to_contain_text("Lou Late", timeout=TIMEOUT_MS)
        notice.get_by_role("button", name="Deny Lou Late").click()
        denied = late.get_by_test_id("lobby-denied")
        expect(denied).to_contain_text("The host did not let you in", timeout=TIMEOUT_MS)
        assert late.evaluate("window.__samePage") is True
        late.goto(f"/session/{slug}")  # the same browser again: still refused, no name gate
        expect(late.get_by_test_id("lobby-denied")).to_be_visible(timeout=TIMEOUT_MS)

        # The creator turns the lobby off in the room.
        switch = owner.get_by_test_id("lobby-switch")
        expect(switch).to_have_attribute("data-state", "checked")
        switch.click()
        expect(switch).to_have_attribute("data-state", "unchecked", timeout=TIMEOUT_MS)
        assert owner.request.get(f"/api/sessions/{slug}").json()["session"]["lobby"] is False
    finally:
        late.context.close()
        guest.context.close()
        owner.context.close()
