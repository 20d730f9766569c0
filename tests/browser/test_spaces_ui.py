"""Space owner actions in the switcher: rename, mode (and the Tasks page), delete."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.support.helpers import unique_email
from tests.support.pages import PHONE, TIMEOUT_MS, new_page, sign_up

pytestmark = pytest.mark.browser


def test_rename_mode_tasks_and_delete(browser: Browser, app_url: str) -> None:
    page = new_page(browser, app_url)
    sign_up(page, "Sam Owner", unique_email("sam"))
    switcher = page.get_by_test_id("space-switcher")

    def settings():
        switcher.click()
        page.get_by_role("menuitem", name="Space settings…").click()
        return page.get_by_test_id("space-settings")

    dialog = settings()
    dialog.get_by_label("Name").fill("Research")
    dialog.get_by_role("button", name="Rename").click()
    expect(switcher).to_contain_text("Research", timeout=TIMEOUT_MS)

    # Tasks appear only in SESSIONS_AND_TASKS mode.
    expect(page.get_by_role("link", name="Tasks")).to_have_count(0)
    page.goto("/tasks")
    page.wait_for_url(re.compile(r"/sessions/?$"), timeout=TIMEOUT_MS)
    dialog = settings()
    dialog.get_by_text("Sessions and tasks").click()
    expect(page.get_by_text("Space mode updated")).to_be_visible(timeout=TIMEOUT_MS)
    dialog.get_by_role("button", name="Done").click()
    page.get_by_role("link", name="Tasks").click()
    page.wait_for_url(re.compile(r"/tasks/?$"), timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("column-TODO")).to_be_visible(timeout=TIMEOUT_MS)

    # The last space cannot go: the domain rule comes back as a toast.
    dialog = settings()
    dialog.get_by_role("button", name="Delete space").click()
    page.get_by_test_id("confirm-dialog").get_by_role("button", name="Delete space").click()
    expect(page.get_by_text("You cannot delete your last space.")).to_be_visible(timeout=TIMEOUT_MS)
    expect(switcher).to_contain_text("Research")

    # With a second space it can; deleting the active space selects the other one.
    page.keyboard.press("Escape")
    switcher.click()
    page.get_by_role("menuitem", name="New space…").click()
    page.locator("#space-create-name").fill("Scratch")
    page.get_by_role("button", name="Create space").click()
    expect(switcher).to_contain_text("Scratch", timeout=TIMEOUT_MS)
    dialog = settings()
    dialog.get_by_role("button", name="Delete space").click()
    confirm = page.get_by_test_id("confirm-dialog")
    expect(confirm).to_contain_text("Delete “Scratch”?")
    confirm.get_by_role("button", name="Cancel").click()
    expect(switcher).to_contain_text("Scratch")
    dialog.get_by_role("button", name="Delete space").click()
    confirm.get_by_role("button", name="Delete space").click()
    expect(switcher).to_contain_text("Research", timeout=TIMEOUT_MS)
    page.context.close()


def test_app_bar_fits_a_phone(browser: Browser, app_url: str) -> None:
    """Every link of the bar (Sessions, Tasks, Search) and the profile menu within 390 px."""
    page = new_page(browser, app_url, viewport=PHONE)
    sign_up(page, "Pat Phone", unique_email("phone"))
    space = page.request.get("/api/spaces").json()["activeSpaceId"]
    res = page.request.patch(f"/api/spaces/{space}/mode", data={"mode": "SESSIONS_AND_TASKS"})
    assert res.ok, res.text()
    page.goto("/search")
    targets = [
        page.get_by_role("link", name=name, exact=True) for name in ("Sessions", "Tasks", "Search")
    ]
    targets += [page.get_by_test_id("space-switcher"), page.get_by_test_id("profile-menu")]
    for target in targets:
        expect(target).to_be_visible(timeout=TIMEOUT_MS)
        box = target.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.context.close()


def test_the_page_follows_a_space_change(browser: Browser, app_url: str) -> None:
    """Each page refreshes itself after a space change (rooms/rooms.py registers it): the
    sessions list is the new space's, and the board leaves when its space drops tasks."""
    page = new_page(browser, app_url)
    sign_up(page, "Fay Follow", unique_email("follow"))
    first = page.request.get("/api/spaces").json()["spaces"][0]
    res = page.request.patch(f"/api/spaces/{first['id']}/mode", data={"mode": "SESSIONS_AND_TASKS"})
    assert res.ok, res.text()
    assert page.request.post("/api/sessions", data={"title": "Only in the first"}).ok
    assert page.request.post("/api/spaces", data={"name": "Empty"}).status == 201
    switcher = page.get_by_test_id("space-switcher")
    cards = page.get_by_test_id("session-card")

    def switch_to(name: str) -> None:
        switcher.click()
        page.get_by_role("menuitem", name=name).click()
        expect(switcher).to_contain_text(name, timeout=TIMEOUT_MS)

    page.goto("/sessions")
    expect(cards).to_have_count(1, timeout=TIMEOUT_MS)
    switch_to("Empty")
    expect(page.get_by_test_id("sessions-empty")).to_be_visible(timeout=TIMEOUT_MS)
    expect(cards).to_have_count(0)
    switch_to(first["name"])
    expect(cards).to_have_count(1, timeout=TIMEOUT_MS)
    expect(cards).to_contain_text("Only in the first")

    page.get_by_role("link", name="Tasks").click()
    page.wait_for_url(re.compile(r"/tasks/?$"), timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("column-TODO")).to_be_visible(timeout=TIMEOUT_MS)
    switcher.click()
    page.get_by_role("menuitem", name="Space settings…").click()
    page.get_by_test_id("space-settings").get_by_text("Sessions only").click()
    page.wait_for_url(re.compile(r"/sessions/?$"), timeout=TIMEOUT_MS)
    expect(cards).to_have_count(1, timeout=TIMEOUT_MS)
    page.context.close()
