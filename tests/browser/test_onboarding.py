"""Onboarding after sign-up (issue 16): the first screen names the first space and picks
its mode; the app bar shows Tasks only in a SESSIONS_AND_TASKS space, and follows a switch
of space. Skipping keeps what sign-up made ("My space", sessions only)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.helpers import unique_email
from tests.support.pages import PASSWORD, TIMEOUT_MS, new_page

pytestmark = pytest.mark.browser


def _sign_up(page: Page, name: str) -> None:
    page.goto("/login")
    page.get_by_role("tab", name="Create account").click()
    page.get_by_label("Name").fill(name)
    page.locator("#signup-form-email").fill(unique_email(name.split()[0].lower()))
    page.locator("#signup-form-password").fill(PASSWORD)
    page.get_by_role("button", name="Create account", exact=True).click()
    page.wait_for_url(re.compile(r"/welcome/?$"), timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("onboarding")).to_be_visible(timeout=TIMEOUT_MS)


def _tasks_link(page: Page):
    return page.get_by_role("link", name="Tasks", exact=True)


def test_onboarding_names_the_space_picks_tasks_and_the_nav_follows(
    browser: Browser, app_url: str
) -> None:
    page = new_page(browser, app_url)
    _sign_up(page, "Nora Newcomer")
    onboarding = page.get_by_test_id("onboarding")
    name = onboarding.get_by_label("Space name")
    expect(name).to_have_value("My space", timeout=TIMEOUT_MS)
    name.fill("Field research")
    onboarding.get_by_role("radio", name="Sessions and tasks").click()
    onboarding.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/sessions/?$"), timeout=TIMEOUT_MS)
    switcher = page.get_by_test_id("space-switcher")
    expect(switcher).to_contain_text("Field research", timeout=TIMEOUT_MS)
    spaces = page.request.get("/api/spaces").json()["spaces"]
    assert [(s["name"], s["mode"]) for s in spaces] == [("Field research", "SESSIONS_AND_TASKS")]
    expect(_tasks_link(page)).to_be_visible(timeout=TIMEOUT_MS)
    _tasks_link(page).click()
    expect(page.get_by_test_id("column-TODO")).to_be_visible(timeout=TIMEOUT_MS)

    # A new space is sessions only: the app bar drops Tasks, and brings it back on return.
    switcher.click()
    page.get_by_role("menuitem", name="New space…").click()
    page.locator("#space-create-name").fill("Calls only")
    page.get_by_role("button", name="Create space").click()
    expect(switcher).to_contain_text("Calls only", timeout=TIMEOUT_MS)
    expect(_tasks_link(page)).to_have_count(0, timeout=TIMEOUT_MS)
    switcher.click()
    page.get_by_role("menuitem", name=re.compile("Field research")).click()
    expect(switcher).to_contain_text("Field research", timeout=TIMEOUT_MS)
    expect(_tasks_link(page)).to_be_visible(timeout=TIMEOUT_MS)
    page.context.close()


def test_skipping_onboarding_keeps_the_defaults(browser: Browser, app_url: str) -> None:
    page = new_page(browser, app_url)
    _sign_up(page, "Sid Skipper")
    page.get_by_test_id("onboarding").get_by_role("button", name="Skip for now").click()
    page.wait_for_url(re.compile(r"/sessions/?$"), timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("space-switcher")).to_contain_text("My space", timeout=TIMEOUT_MS)
    spaces = page.request.get("/api/spaces").json()["spaces"]
    assert [(s["name"], s["mode"]) for s in spaces] == [("My space", "SESSIONS_ONLY")]
    expect(_tasks_link(page)).to_have_count(0)
    page.context.close()


def test_onboarding_needs_an_account(browser: Browser, app_url: str) -> None:
    page = new_page(browser, app_url)
    page.goto("/welcome")
    page.wait_for_url(re.compile(r"/login\?next=.*welcome"), timeout=TIMEOUT_MS)
    page.context.close()
