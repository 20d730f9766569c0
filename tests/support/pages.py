"""Shared steps for the browser tests: accounts, screenshots, waits."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.helpers import unique_email

ROOT = Path(__file__).resolve().parents[2]


def _screenshot_dir() -> Path:
    """docs/screenshots only when asked (ROOMS_SCREENSHOTS=docs/screenshots).

    A plain test run must leave the checkout clean, and antialiasing alone makes some
    shots differ from run to run; relative paths are from the repository root.
    """
    asked = os.environ.get("ROOMS_SCREENSHOTS")
    return ROOT / asked if asked else Path(tempfile.gettempdir()) / "rooms-screenshots"


SCREENSHOTS = _screenshot_dir()
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct horse battery"
TIMEOUT_MS = 15_000  # the first page of a fresh server also loads its JS bundles


def new_page(
    browser: Browser,
    app_url: str,
    viewport: dict | None = None,
    scheme: str = "light",
    locale: str | None = None,
) -> Page:
    """A page in a fresh context; `locale` ("ru-RU") is what Chromium then sends as
    Accept-Language."""
    context = browser.new_context(
        base_url=app_url,
        viewport=viewport or DESKTOP,
        color_scheme=scheme,
        reduced_motion="reduce",
        locale=locale,
    )
    return context.new_page()


def mark_document(page: Page) -> None:
    """A value only the current document holds: `same_document` afterwards says whether the
    page re-rendered in place rather than loading again."""
    page.evaluate("window.__roomsSameDocument = true")


def same_document(page: Page) -> bool:
    return page.evaluate("window.__roomsSameDocument === true")


def sign_up(page: Page, name: str, email: str) -> None:
    """An account through the API, in this browser's cookie jar; then its sessions page."""
    res = page.request.post(
        "/api/auth/signup", data={"email": email, "password": PASSWORD, "name": name}
    )
    assert res.status == 201, res.text()
    page.goto("/sessions")
    expect(page.get_by_test_id("space-switcher")).to_be_visible(timeout=TIMEOUT_MS)


def sign_up_in_the_form(page: Page, name: str, email: str) -> None:
    """An account through the sign-up form, as a person makes one; onboarding (issue 16) is
    skipped, which keeps the defaults ("My space", sessions only) the callers expect."""
    page.goto("/login")
    page.get_by_role("tab", name="Create account").click()
    page.get_by_label("Name").fill(name)
    page.locator("#signup-form-email").fill(email)
    page.locator("#signup-form-password").fill(PASSWORD)
    page.get_by_role("button", name="Create account", exact=True).click()
    page.wait_for_url(re.compile(r"/welcome/?$"), timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Skip for now").click()
    page.wait_for_url(re.compile(r"/sessions/?$"), timeout=TIMEOUT_MS)


def context_of(page: Page) -> BrowserContext:
    return page.context


def shoot(page: Page, name: str) -> None:
    """A screenshot (see _screenshot_dir): animations finished, no blinking caret, no toasts."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    expect(page.locator("[data-sonner-toast]")).to_have_count(0, timeout=10_000)
    page.mouse.move(1, 1)  # no hover effect on whatever the last click left the pointer over
    page.wait_for_timeout(800)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), animations="disabled", caret="hide")


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # A synthetic camera and microphone, granted without a prompt: the pre-join preview.
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]


def enter_space(page: Page, space_id: str, name: str) -> None:
    """Make `space_id` the page's active space and open /sessions in it."""
    assert page.request.post(f"/api/spaces/{space_id}/set-active").status == 200
    page.goto("/sessions")
    expect(page.get_by_test_id("space-switcher")).to_contain_text(name, timeout=TIMEOUT_MS)


def open_space_dialog(page: Page, item: str, test_id: str) -> None:
    """Open one of the space switcher's dialogs (its menu item, e.g. "Glossary…")."""
    page.get_by_test_id("space-switcher").click()
    page.get_by_role("menuitem", name=item).click()
    expect(page.get_by_test_id(test_id)).to_be_visible(timeout=TIMEOUT_MS)


def owner_of_new_space(browser: Browser, base_url: str, name: str) -> tuple[Page, str]:
    """A new account's page, in a new space `name` it owns; and that space's id."""
    owner = new_page(browser, base_url)
    sign_up(owner, "Olga Owner", unique_email("owner"))
    space = owner.request.post("/api/spaces", data={"name": name}).json()["space"]["id"]
    enter_space(owner, space, name)
    return owner, space


def member_of(browser: Browser, base_url: str, owner: Page, space: str, name: str) -> Page:
    """A new account the owner adds to the space, its page in that space."""
    member = new_page(browser, base_url)
    email = unique_email("member")
    sign_up(member, "Mo Member", email)
    res = owner.request.post(f"/api/spaces/{space}/members", data={"email": email})
    assert res.status == 201, res.text()
    enter_space(member, space, name)
    return member
