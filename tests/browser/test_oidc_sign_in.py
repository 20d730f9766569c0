"""Sign in through an OpenID Connect provider's own form in Chromium, back to a signed-in
Reflex page (the app was started with OIDC_* pointing at oidc-provider-mock)."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.support.helpers import unique_email

pytestmark = pytest.mark.browser
TIMEOUT_MS = 15_000


def test_sign_in_with_the_provider_form(browser: Browser, app_url: str, oidc_issuer: str) -> None:
    sub = f"browser-{unique_email('x').split('@')[0]}"
    claims = {"email": unique_email("oidc"), "email_verified": True, "name": "Olga Oidc"}
    assert httpx.put(f"{oidc_issuer}/users/{sub}", json=claims).status_code == 204

    context = browser.new_context(base_url=app_url)
    page = context.new_page()
    page.goto("/login")
    page.get_by_role("button", name="Continue with Google").click(timeout=TIMEOUT_MS)
    page.wait_for_url(f"{oidc_issuer}/oauth2/authorize*", timeout=TIMEOUT_MS)
    page.fill("input[name=sub]", sub)
    page.get_by_role("button", name="Authorize").click()

    # Back on the app, signed in: `/` forwards a signed-in person to their sessions.
    page.wait_for_url(re.compile(r"/sessions/?$"), timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("profile-menu")).to_contain_text("O", timeout=TIMEOUT_MS)
    cookie = next(c for c in context.cookies() if c["name"] == "rooms_session")
    assert cookie["httpOnly"]
    me = page.request.get("/api/auth/me").json()["user"]
    assert me["email"] == claims["email"] and me["name"] == "Olga Oidc"
    context.close()
