"""Every page rendered in Russian shows no string of the English catalog (issue 18).

A page's visible text, the names and hints of its visible controls and its title are split
into segments; a segment equal to an English catalog id whose Russian differs (or has none)
was left untranslated. Signed-in pages are read by a user whose profile says Russian in an
English browser (the profile wins); signed-out pages by a Russian browser (Accept-Language).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.support.helpers import unique_email
from tests.support.i18n_pages import english_ids, invitation_token
from tests.support.pages import DESKTOP, PASSWORD, TIMEOUT_MS, new_page
from tests.support.seed import add_participant, add_segments
from tests.support.ui_text import segments

SETTLE_S = 6.0  # the catalog arrives with the socket's first state, after the first paint


@dataclass(frozen=True)
class World:
    state: dict  # the Russian user's cookies
    live: str  # a session not started yet: the pre-join screen
    ended: str  # an ended session with a transcript
    token: str  # an invitation into the user's space


def _ru_account(browser: Browser, app_url: str, name: str) -> tuple[Page, str]:
    page = browser.new_context(base_url=app_url, viewport=DESKTOP).new_page()
    res = page.request.post(
        "/api/auth/signup",
        data={"email": unique_email("ru"), "password": PASSWORD, "name": name},
    )
    assert res.status == 201, res.text()
    assert page.request.patch("/api/identity/profile", data={"locale": "ru"}).ok
    return page, res.json()["user"]["id"]


@pytest.fixture(scope="module")
def world(browser: Browser, app_url: str) -> Iterator[World]:
    page, user_id = _ru_account(browser, app_url, "Olga Owner")
    req = page.request
    space = req.post("/api/spaces", data={"name": "Бюро", "mode": "SESSIONS_AND_TASKS"}).json()
    space_id = space["space"]["id"]
    assert req.post(f"/api/spaces/{space_id}/set-active").ok
    assert req.post("/api/tasks", data={"spaceId": space_id, "title": "Сдать отчёт"}).ok

    def session(title: str) -> str:
        made = req.post("/api/sessions", data={"spaceId": space_id, "title": title})
        return made.json()["session"]["slug"]

    live, ended = session("Планёрка"), session("Бюджет")
    speaker = add_participant(ended, "Olga Owner", user_id=user_id)
    add_segments(ended, [(3.0, speaker, "Доброе утро"), (65.0, speaker, "Бюджет к пятнице")])
    assert req.post(f"/api/sessions/{ended}/end").ok
    yield World(page.context.storage_state(), live, ended, invitation_token(user_id, space_id))
    page.context.close()


def _open_profile_menu(page: Page) -> Locator:
    page.get_by_test_id("profile-menu").click()
    menu = page.get_by_role("menu")
    expect(menu).to_be_visible(timeout=TIMEOUT_MS)
    return menu


# (id, path, the test id shown once the page is there, signed in, what to open first)
PAGES = [
    ("login", "/login", "login", False, None),
    ("welcome", "/welcome", "onboarding", "fresh", None),
    ("sessions", "/sessions", "space-switcher", True, None),
    ("profile-menu", "/sessions", "space-switcher", True, _open_profile_menu),
    ("session-prejoin", "/session/{live}", "prejoin", True, None),
    ("transcript", "/session/{ended}/transcript", "transcript-line", True, None),
    ("tasks", "/tasks", "tasks-page", True, None),
    ("search", "/search?q=%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82", "search-page", True, None),
    ("invite", "/invite/{token}", "invite", False, None),
    ("guest-gate", "/session/{live}", "guest-gate", False, None),
    ("not-found", "/no-such-page", "not-found", False, None),
]


def _english_on(page: Page, root: Locator) -> list[str]:
    """English left once the page settled: polled, as the Russian catalog replaces the
    English fallback a moment after the first paint."""
    ids = english_ids()
    deadline = time.monotonic() + SETTLE_S
    while True:
        shown = [*segments(root), page.title()]
        left = sorted({s for s in shown if s.strip() in ids})
        if not left or time.monotonic() > deadline:
            return left
        page.wait_for_timeout(250)


@pytest.mark.parametrize(
    ("path", "ready", "signed_in", "opener"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES]
)
def test_no_english_left_on_the_page_in_russian(
    browser: Browser, app_url: str, world: World, path: str, ready: str, signed_in, opener
) -> None:
    if signed_in == "fresh":
        page, _ = _ru_account(browser, app_url, "Nina Newcomer")
    elif signed_in:
        context = browser.new_context(base_url=app_url, viewport=DESKTOP, storage_state=world.state)
        page = context.new_page()
    else:
        page = new_page(browser, app_url, locale="ru-RU")
    try:
        page.goto(path.format(live=world.live, ended=world.ended, token=world.token))
        expect(page.get_by_test_id(ready).first).to_be_visible(timeout=TIMEOUT_MS)
        root = opener(page) if opener else page.locator("body")
        left = _english_on(page, root)
        assert not left, f"{path}: English left in Russian: {left}"
    finally:
        page.context.close()
