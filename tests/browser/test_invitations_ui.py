"""Issue 16 in a real browser: an owner creates an invitation link in the members dialog, a
new person opens it, signs up from the invite page, comes back to it, accepts and lands in
the space as a member; the owner then sees them and removes them (with a confirmation),
and as the last owner cannot leave (LAST_OWNER, as a toast)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.helpers import unique_email
from tests.support.pages import PASSWORD, TIMEOUT_MS, new_page, shoot, sign_up

pytestmark = pytest.mark.browser
SPACE = "Design crew"


def _open_members(page: Page) -> None:
    page.get_by_test_id("space-switcher").click()
    page.get_by_role("menuitem", name="Members…").click()
    expect(page.get_by_test_id("space-members")).to_be_visible(timeout=TIMEOUT_MS)


def test_a_new_person_signs_up_from_an_invitation_and_lands_in_the_space(
    browser: Browser, app_url: str
) -> None:
    owner = new_page(browser, app_url)
    sign_up(owner, "Olga Owner", unique_email("owner"))
    space = owner.request.post("/api/spaces", data={"name": SPACE}).json()["space"]["id"]
    assert owner.request.post(f"/api/spaces/{space}/set-active").status == 200
    owner.goto("/sessions")
    expect(owner.get_by_test_id("space-switcher")).to_contain_text(SPACE, timeout=TIMEOUT_MS)

    _open_members(owner)
    owner.get_by_role("button", name="Create invitation").click()
    link = owner.get_by_test_id("invite-link")
    expect(link).to_have_value(re.compile(r"/invite/[A-Za-z0-9_-]+$"), timeout=TIMEOUT_MS)
    url = link.input_value()
    expect(owner.get_by_test_id("space-invitation")).to_have_count(1)
    shoot(owner, "space-members")

    newcomer = new_page(browser, app_url)
    newcomer.goto(url)
    expect(newcomer.get_by_test_id("invite-space")).to_have_text(SPACE, timeout=TIMEOUT_MS)
    expect(newcomer.get_by_test_id("invite")).to_contain_text("Olga Owner invites you")
    shoot(newcomer, "invite-signed-out")
    newcomer.get_by_test_id("invite-sign-in").click()
    newcomer.wait_for_url(re.compile(r"/login/?\?next="), timeout=TIMEOUT_MS)
    newcomer.get_by_role("tab", name="Create account").click()
    email = unique_email("newcomer")
    newcomer.locator("#signup-form-name").fill("Nina Newcomer")
    newcomer.locator("#signup-form-email").fill(email)
    newcomer.locator("#signup-form-password").fill(PASSWORD)
    newcomer.get_by_role("button", name="Create account", exact=True).click()

    newcomer.wait_for_url(re.compile(r"/invite/[A-Za-z0-9_-]+/?$"), timeout=TIMEOUT_MS)
    newcomer.get_by_test_id("invite-accept").click()
    newcomer.wait_for_url(re.compile(r"/sessions/?$"), timeout=TIMEOUT_MS)
    expect(newcomer.get_by_test_id("space-switcher")).to_contain_text(SPACE, timeout=TIMEOUT_MS)
    listed = newcomer.request.get("/api/spaces").json()
    mine = next(s for s in listed["spaces"] if s["id"] == space)
    assert mine["role"] == "MEMBER" and listed["activeSpaceId"] == space

    # The owner sees them, and removing them asks first.
    owner.keyboard.press("Escape")
    _open_members(owner)
    row = owner.get_by_test_id("space-member").filter(has_text="Nina Newcomer")
    expect(row).to_contain_text("Member", timeout=TIMEOUT_MS)
    row.get_by_role("button", name="Remove from space").click()
    confirm = owner.get_by_test_id("members-confirm")
    expect(confirm).to_contain_text("Remove Nina Newcomer", timeout=TIMEOUT_MS)
    confirm.get_by_role("button", name="Remove").click()
    expect(owner.get_by_test_id("space-member").filter(has_text="Nina Newcomer")).to_have_count(
        0, timeout=TIMEOUT_MS
    )
    after = newcomer.request.get("/api/spaces").json()
    assert space not in [s["id"] for s in after["spaces"]]

    # The last owner cannot leave: the refusal is a toast, and the space stays.
    owner.get_by_test_id("space-members").get_by_role("button", name="Leave space").click()
    confirm.get_by_role("button", name="Leave space").click()
    refusal = owner.locator('[data-sonner-toast][data-type="error"]')
    expect(refusal).to_contain_text("always keeps an owner", timeout=TIMEOUT_MS)
    expect(owner.get_by_test_id("space-switcher")).to_contain_text(SPACE)
    owner.context.close()
    newcomer.context.close()
