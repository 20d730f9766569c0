"""Screenshots of the main pages, desktop and 390 px (docs/screenshots/ when asked: pages.py).

The content is fixed (names, titles, slugs, dates) so that reruns give the same images.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from rooms.core.db import session_scope
from rooms.core.models import Session, SessionStatus
from tests.support.pages import DESKTOP, PASSWORD, PHONE, TIMEOUT_MS, new_page, shoot

pytestmark = pytest.mark.browser

ACCOUNT = {"email": "ada@example.com", "password": PASSWORD, "name": "Ada Lovelace"}
SESSIONS = [  # title, fixed slug, created, ended
    (
        "Quarterly planning",
        "qpl-anni-ngq",
        datetime(2026, 11, 2, 9, 0),
        datetime(2026, 11, 2, 10, 5),
    ),
    ("Design review", "dsg-revw-wed", datetime(2026, 11, 4, 14, 30), None),
    ("Weekly sync", "wky-sync-mon", datetime(2026, 11, 9, 9, 30), None),
]
ROOM = "wky-sync-mon"


def _seed(app_url: str, browser: Browser) -> None:
    page = new_page(browser, app_url)
    res = page.request.post("/api/auth/signup", data=ACCOUNT)
    if res.status == 409:
        res = page.request.post(
            "/api/auth/login", data={k: ACCOUNT[k] for k in ("email", "password")}
        )
    assert res.ok, res.text()
    spaces = page.request.get("/api/spaces").json()["spaces"]
    if not any(s["name"] == "Product team" for s in spaces):
        space = page.request.post("/api/spaces", data={"name": "Product team"}).json()["space"]
        page.request.post(f"/api/spaces/{space['id']}/set-active")
    with session_scope() as db:
        known = set(db.exec(select(Session.slug)).all())
    for title, slug, created, ended in SESSIONS:
        if slug in known:
            continue
        made = page.request.post("/api/sessions", data={"title": title}).json()["session"]
        with session_scope() as db:
            row = db.exec(select(Session).where(Session.slug == made["slug"])).one()
            row.slug, row.created_at = slug, created
            if ended:
                row.status, row.ended_at = SessionStatus.ENDED, ended
            db.add(row)
    page.context.close()


def _signed_in(browser: Browser, app_url: str, viewport: dict, scheme: str = "light") -> Page:
    page = new_page(browser, app_url, viewport, scheme)
    res = page.request.post("/api/auth/login", data={k: ACCOUNT[k] for k in ("email", "password")})
    assert res.ok
    return page


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_screenshots(browser: Browser, app_url: str, size: str) -> None:
    viewport = DESKTOP if size == "desktop" else PHONE
    _seed(app_url, browser)

    visitor = new_page(browser, app_url, viewport)
    visitor.goto("/login")
    expect(visitor.get_by_role("button", name="Sign in", exact=True)).to_be_visible(
        timeout=TIMEOUT_MS
    )
    shoot(visitor, f"login-{size}")

    page = _signed_in(browser, app_url, viewport)
    page.goto("/sessions")
    expect(page.get_by_test_id("session-card")).to_have_count(3, timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("space-switcher")).to_contain_text("Product team")
    shoot(page, f"sessions-{size}")

    page.get_by_test_id("profile-menu").click()
    page.get_by_role("menuitem", name="Edit profile").click()
    expect(page.get_by_test_id("edit-profile")).to_be_visible()
    # Radix returns focus to the menu's trigger while the dialog focuses its field: settle it.
    page.get_by_label("Display name").focus()
    shoot(page, f"profile-{size}")

    visitor.goto(f"/session/{ROOM}")
    expect(visitor.get_by_test_id("guest-gate")).to_be_visible(timeout=TIMEOUT_MS)
    shoot(visitor, f"guest-gate-{size}")

    visitor.get_by_label("Your name").fill("Grace Hopper")
    visitor.get_by_role("button", name="Continue").click()
    prejoin = visitor.get_by_test_id("prejoin")
    expect(prejoin.locator("video")).to_be_visible(timeout=TIMEOUT_MS)
    # The synthetic camera shows a moving clock: switch it off for a stable picture.
    prejoin.get_by_role("button", name="Camera").click()
    expect(prejoin.locator("video")).to_have_count(0)
    shoot(visitor, f"prejoin-{size}")
    visitor.get_by_role("button", name="Join session").click()
    expect(visitor.get_by_test_id("video-unreachable")).to_be_visible(timeout=TIMEOUT_MS)
    expect(visitor.locator(".lk-control-bar")).to_be_hidden()
    shoot(visitor, f"room-{size}")

    visitor.goto("/session/qpl-anni-ngq")
    expect(visitor.get_by_test_id("session-ended")).to_be_visible(timeout=TIMEOUT_MS)
    shoot(visitor, f"ended-{size}")
    visitor.context.close()
    page.context.close()


def test_dark_theme_screenshot(browser: Browser, app_url: str) -> None:
    _seed(app_url, browser)
    page = _signed_in(browser, app_url, DESKTOP, scheme="dark")
    page.goto("/sessions")
    expect(page.get_by_test_id("session-card")).to_have_count(3, timeout=TIMEOUT_MS)
    assert page.evaluate("document.documentElement.classList.contains('dark')")
    shoot(page, "sessions-dark-desktop")
    page.context.close()
