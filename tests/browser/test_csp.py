"""The Content-Security-Policy and the cross-site check do not break the real Reflex pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.support.helpers import unique_email

pytestmark = pytest.mark.browser
TIMEOUT_MS = 15_000


def test_pages_work_under_the_csp(browser: Browser, app_url: str) -> None:
    context = browser.new_context(base_url=app_url)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('Content Security Policy violation: ' + e.violatedDirective))"
    )
    res = page.goto("/")
    assert res is not None and "frame-ancestors 'none'" in res.headers["content-security-policy"]
    assert res.headers["x-frame-options"] == "DENY"
    # Signed out, `/` forwards to the sign-in page.
    expect(page.get_by_test_id("login")).to_be_visible(timeout=TIMEOUT_MS)

    # A same-origin fetch from the page (Origin: the app) passes the cross-site check, and
    # the page then renders what Reflex state read from the new cookie.
    account = {"email": unique_email("csp"), "password": "correct horse battery", "name": "Csp"}
    status = page.evaluate(
        """async (body) => (await fetch('/api/auth/signup', {method: 'POST',
            headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body),
            credentials: 'include'})).status""",
        account,
    )
    assert status == 201
    page.goto("/")
    expect(page.get_by_test_id("profile-menu")).to_contain_text("C", timeout=TIMEOUT_MS)

    # The session page: LiveKit's lazy chunks, the camera preview, and the attempt to
    # reach the video server all run under the policy.
    slug = page.evaluate(
        """async () => (await (await fetch('/api/sessions', {method: 'POST',
            headers: {'Content-Type': 'application/json'}, body: '{}',
            credentials: 'include'})).json()).session.slug"""
    )
    page.goto(f"/session/{slug}")
    page.get_by_role("button", name="Join session").click(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("video-unreachable")).to_be_visible(timeout=TIMEOUT_MS)
    assert violations == []
    context.close()
