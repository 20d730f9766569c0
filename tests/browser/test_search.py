"""In a real browser: search for a phrase said earlier and land on it in the transcript."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, expect

from rooms.core import i18n
from tests.support.helpers import unique_email
from tests.support.pages import new_page, sign_up
from tests.support.seed import add_participant, add_segments
from tests.support.ui_text import english_left

pytestmark = pytest.mark.browser

TIMEOUT_MS = 15_000
PASSWORD = "correct horse battery"


def test_search_a_phrase_and_land_on_it(browser: Browser, app_url: str) -> None:
    context = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    page = context.new_page()
    account = {"email": unique_email("search"), "password": PASSWORD, "name": "Ada Lovelace"}
    res = page.request.post("/api/auth/signup", data=account)
    assert res.status == 201, res.text()
    res = page.request.post("/api/sessions", data={"title": "Launch review"})
    slug = res.json()["session"]["slug"]
    bob = add_participant(slug, "Bob Builder")
    # A long meeting, so the moment we look for is far below the fold.
    lines = [(i * 20.0, None, f"Routine update number {i} about nothing much.") for i in range(150)]
    lines[120] = (2400.0, bob, "We agreed to ship the purple elephant release on Friday.")
    ids = add_segments(slug, lines)

    page.goto("/search")
    box = page.get_by_label("Search")
    expect(box).to_be_visible(timeout=TIMEOUT_MS)
    box.fill('"purple elephant"')
    page.get_by_role("button", name="Search", exact=True).click()
    result = page.get_by_test_id("search-result")
    expect(result).to_have_count(1, timeout=TIMEOUT_MS)
    # SQLite marks the phrase as one match, PostgreSQL each word: the same words either way.
    assert " ".join(result.locator("mark").all_inner_texts()).split() == ["purple", "elephant"]
    expect(result).to_contain_text("Launch review")
    expect(result).to_contain_text("Bob Builder · 40:00")
    assert page.url.endswith("/search?q=%22purple%20elephant%22")

    result.click()
    expect(page).to_have_url(re.compile(rf"/session/{slug}/transcript\?t=2400#seg-{ids[120]}"))
    line = page.locator(f"#seg-{ids[120]}")
    expect(line).to_have_attribute("data-focused", "true", timeout=TIMEOUT_MS)
    expect(line).to_contain_text("purple elephant release")
    expect(line).to_contain_text("Bob Builder")
    expect(line).to_be_in_viewport()
    expect(page.get_by_test_id("transcript-line")).to_have_count(150)

    # Jumping to another moment moves the focus there.
    page.get_by_label("Jump to time").fill("3:05")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(f"#seg-{ids[9]}")).to_have_attribute("data-focused", "true")
    expect(page.locator(f"#seg-{ids[9]}")).to_be_in_viewport()

    # Opening a link with ?t= directly lands on the same moment.
    page.goto(f"/session/{slug}/transcript?t=2410")
    expect(line).to_have_attribute("data-focused", "true", timeout=TIMEOUT_MS)
    expect(line).to_be_in_viewport()

    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "[40:00] Bob Builder: We agreed to ship the purple elephant release" in copied

    page.get_by_role("button", name="Download").click()
    href = page.get_by_role("menuitem", name="WebVTT").locator("a").get_attribute("href")
    assert href == f"/api/sessions/{slug}/transcript?format=vtt"
    vtt = page.request.get(href)
    assert vtt.ok and vtt.text().startswith("WEBVTT")
    context.close()


def _switch_space(page, name: str) -> None:
    switcher = page.get_by_test_id("space-switcher")
    switcher.click()
    page.get_by_role("menuitem", name=name).click()
    expect(switcher).to_contain_text(name, timeout=TIMEOUT_MS)


def test_search_and_transcript_query_again_after_a_space_switch(
    browser: Browser, app_url: str
) -> None:
    """What they show may change with the spaces (a deleted space takes its sessions):
    both pages ask again when the space changes. Here a line arrives meanwhile."""
    page = new_page(browser, app_url)
    sign_up(page, "Walt Rus", unique_email("walrus"))
    first = page.request.get("/api/spaces").json()["spaces"][0]["name"]
    assert page.request.post("/api/spaces", data={"name": "Second"}).status == 201
    slug = page.request.post("/api/sessions", data={"title": "Zoo"}).json()["session"]["slug"]
    add_segments(slug, [(1.0, None, "The walrus sings at dawn.")])

    page.goto("/search?q=walrus")
    results = page.get_by_test_id("search-result")
    expect(results).to_have_count(1, timeout=TIMEOUT_MS)
    nav = page.get_by_role("link", name="Search", exact=True)
    expect(nav).to_have_attribute("aria-current", "page")
    add_segments(slug, [(5.0, None, "A second walrus joins in.")])
    _switch_space(page, "Second")
    expect(results).to_have_count(2, timeout=TIMEOUT_MS)

    page.goto(f"/session/{slug}/transcript")
    lines = page.get_by_test_id("transcript-line")
    expect(lines).to_have_count(2, timeout=TIMEOUT_MS)
    add_segments(slug, [(9.0, None, "The walrus rests.")])
    _switch_space(page, first)
    expect(lines).to_have_count(3, timeout=TIMEOUT_MS)
    expect(lines.nth(2)).to_contain_text("Unknown speaker")
    page.context.close()


def test_search_in_russian(browser: Browser, app_url: str) -> None:
    """A Russian browser: the page, a result's date (Babel) and an untitled session's name
    in Russian, and the empty result said in Russian."""
    page = new_page(browser, app_url, locale="ru-RU")
    account = {"email": unique_email("poisk"), "password": PASSWORD, "name": "Анна Каренина"}
    assert page.request.post("/api/auth/signup", data=account).status == 201
    res = page.request.post("/api/sessions", data={})
    assert res.ok, res.text()
    slug = res.json()["session"]["slug"]
    add_segments(slug, [(75.0, None, "Розовый слон придёт в пятницу.")])

    page.goto("/search?q=слон")
    content = page.get_by_test_id("search-page")
    expect(content.get_by_role("heading", name="Поиск по расшифровкам")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    result = page.get_by_test_id("search-result")
    expect(result).to_have_count(1, timeout=TIMEOUT_MS)
    expect(result).to_contain_text(i18n.gettext("ru", "Session {slug}", slug=slug))
    day = i18n.format_date(datetime.now(UTC), "ru")  # the lines were seeded just now
    expect(result).to_contain_text(f"Неизвестный участник · 01:15 · {day}")
    box = page.get_by_role("textbox", name=i18n.gettext("ru", "Search"))
    placeholder = i18n.gettext("ru", 'Words, "a phrase", -exclude, this OR that')
    expect(box).to_have_attribute("placeholder", placeholder)
    assert english_left(content, "ui-work") == []

    box.fill("жираф")
    page.get_by_role("button", name=i18n.gettext("ru", "Search"), exact=True).click()
    expect(content).to_contain_text("Пока ни в одной расшифровке этого нет.", timeout=TIMEOUT_MS)
    assert english_left(content, "ui-work") == []
    page.context.close()
