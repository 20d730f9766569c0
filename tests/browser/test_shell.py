"""The app shell in a real browser: Reflex state sees the httpOnly session cookie."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from rooms.core.config import get_settings
from tests.helpers import unique_email

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "correct horse battery"
TIMEOUT_MS = 15_000  # the first page of a fresh server also loads its JS bundles


def test_signed_in_home_reads_httponly_cookie(browser: Browser, app_url: str) -> None:
    name = "Ada Lovelace"
    context = browser.new_context(base_url=app_url, viewport=DESKTOP)
    page = context.new_page()

    # Through the browser context, so the Set-Cookie lands in the browser's jar.
    # A fixed address keeps the committed screenshot stable; each run has a fresh database,
    # and on one that is not, logging in sets the session cookie all the same.
    account = {"email": "ada@example.com", "password": PASSWORD, "name": name}
    res = page.request.post("/api/auth/signup", data=account)
    if res.status == 409:
        login = {"email": account["email"], "password": PASSWORD}
        res = page.request.post("/api/auth/login", data=login)
    assert res.ok, res.text()
    cookie_name = get_settings().auth_cookie_name
    (cookie,) = [c for c in context.cookies() if c["name"] == cookie_name]
    assert cookie["httpOnly"]

    page.goto("/")  # a full page load: the new socket's handshake carries the cookie
    expect(page.get_by_text(f"Signed in as {name}")).to_be_visible(timeout=TIMEOUT_MS)
    # Page scripts cannot see it: only the server side of Reflex can have read it.
    assert cookie_name not in page.evaluate("document.cookie")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "home.png"))

    # Signing out (also a full page load) brings back the signed-out view.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_test_id("signed-out")).to_be_visible(timeout=TIMEOUT_MS)
    assert not [c for c in context.cookies() if c["name"] == cookie_name]
    context.close()


def test_without_cookie_home_is_signed_out(browser: Browser, app_url: str) -> None:
    context = browser.new_context(base_url=app_url, viewport=DESKTOP)
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_test_id("signed-out")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    context.close()


def test_login_form_signs_in(browser: Browser, app_url: str) -> None:
    email = unique_email("grace")
    context = browser.new_context(base_url=app_url, viewport=DESKTOP)
    page = context.new_page()
    res = page.request.post(
        "/api/auth/signup", data={"email": email, "password": PASSWORD, "name": "Grace Hopper"}
    )
    assert res.status == 201, res.text()
    context.clear_cookies()

    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("incorrect", timeout=TIMEOUT_MS)

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("Signed in as Grace Hopper")).to_be_visible(timeout=TIMEOUT_MS)
    assert page.url.rstrip("/") == app_url
    context.close()
