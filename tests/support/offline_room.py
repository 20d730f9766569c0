"""Steps of the browser tests in a room without a video server (the suite's app has none):
entering the room, whose pre-join works offline, and reading its final caption lines."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.support.pages import TIMEOUT_MS


def enter_offline_room(page: Page, slug: str, guest_name: str | None = None) -> None:
    """Open the session, pass the guest gate when `guest_name` is given, and join; waits for
    the transcript sidebar, which every viewer of the room gets."""
    page.goto(f"/session/{slug}")
    if guest_name is not None:
        page.get_by_label("Your name").fill(guest_name)
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("prejoin")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Join session").click()
    expect(page.get_by_test_id("room")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#transcript-sidebar")).to_be_visible(timeout=TIMEOUT_MS)


def finals(page: Page, part: str = "caption-text") -> list[str]:
    """One `part` ("caption-text", "caption-speaker") of each final line, in order."""
    bubbles = page.locator(f'#transcript-sidebar [data-final="true"] [data-testid="{part}"]')
    return [t.strip() for t in bubbles.all_inner_texts()]
