"""Finding 3 of issue 13 in a real browser: `?next=` variants that a browser turns into
another host (it strips tab/CR/LF and reads `\\` as `/`) end on this site."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Route, expect

from tests.support.helpers import unique_email
from tests.support.pages import PASSWORD, TIMEOUT_MS, new_page

pytestmark = pytest.mark.browser

VARIANTS = ["/%09/evil.example", "/%0A/evil.example", "/%0D/evil.example", "/%5Cevil.example"]
VARIANTS += ["/%5C/evil.example", "//evil.example", "/%E2%80%A8/evil.example"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_sign_in_form_never_leaves_the_site(browser: Browser, app_url: str, variant: str) -> None:
    page = new_page(browser, app_url)
    left: list[str] = []

    def elsewhere(route: Route) -> None:
        left.append(route.request.url)
        route.fulfill(status=200, body="evil")

    page.context.route(re.compile(r"^https?://evil\.example"), elsewhere)
    email = unique_email("redir")
    page.request.post("/api/auth/signup", data={"email": email, "password": PASSWORD, "name": "R"})
    page.context.clear_cookies()
    page.goto(f"/login?next={variant}")
    expect(page.locator("#login-next")).to_have_value("/sessions", timeout=TIMEOUT_MS)
    page.locator("#login-form-email").fill(email)
    page.locator("#login-form-password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"/sessions/?$"), timeout=TIMEOUT_MS)
    assert page.url.startswith(app_url) and not left, (page.url, left)

    # Already signed in: the page itself redirects, with the same rule.
    page.goto(f"/login?next={variant}")
    page.wait_for_url(re.compile(r"/sessions/?$"), timeout=TIMEOUT_MS)
    assert page.url.startswith(app_url) and not left, (page.url, left)
    page.context.close()


def test_a_path_on_this_site_is_followed(browser: Browser, app_url: str) -> None:
    page = new_page(browser, app_url)
    email = unique_email("redir")
    page.request.post("/api/auth/signup", data={"email": email, "password": PASSWORD, "name": "R"})
    page.context.clear_cookies()
    page.goto("/login?next=/tasks")
    expect(page.locator("#login-next")).to_have_value("/tasks", timeout=TIMEOUT_MS)
    page.locator("#login-form-email").fill(email)
    page.locator("#login-form-password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"/tasks/?$"), timeout=TIMEOUT_MS)
    page.context.close()
