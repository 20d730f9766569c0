"""In a real browser: the transcript page shows the session in figures (a table and a
speaking-time bar chart drawn by recharts) and says plainly why there is no summary."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.support.helpers import unique_email
from tests.support.meeting_script import participant_id, session_row
from tests.support.pages import new_page
from tests.support.seed import add_participant, add_segments
from tests.support.ui_text import english_left

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000
PASSWORD = "correct horse battery"


def test_transcript_page_shows_the_table_and_the_chart(browser: Browser, app_url: str) -> None:
    context = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    account = {"email": unique_email("stats"), "password": PASSWORD, "name": "Ada Lovelace"}
    assert page.request.post("/api/auth/signup", data=account).status == 201
    slug = page.request.post("/api/sessions", data={"title": "Figures"}).json()["session"]["slug"]
    joined = page.request.post(f"/api/sessions/{slug}/participants/join", data={})
    assert joined.ok, joined.text()
    ada = participant_id(session_row(slug)[0], joined.json()["identity"])
    bob = add_participant(slug, "Bob Builder")
    add_segments(slug, [(5.0, ada, "one two three"), (30.0, ada, "four five six seven")], 6.0)
    add_segments(slug, [(15.0, bob, "eight nine")], 3.0)

    page.goto(f"/session/{slug}/transcript")
    stats = page.get_by_test_id("session-stats")
    expect(stats).to_be_visible(timeout=TIMEOUT_MS)
    rows = page.get_by_test_id("stats-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Ada Lovelace")
    expect(rows.nth(0)).to_contain_text("Host")
    expect(rows.nth(0)).to_contain_text("00:12")  # two lines of 6 s
    expect(rows.nth(1)).to_contain_text("Bob Builder")
    expect(rows.nth(1)).to_contain_text("00:03")
    expect(page.get_by_test_id("stats-words")).to_have_text("9")
    expect(page.get_by_test_id("stats-engine")).to_have_text("local")

    chart = page.get_by_test_id("speaking-chart")
    expect(chart.locator("svg.recharts-surface")).to_be_visible()
    bars = chart.locator(".recharts-bar-rectangle path")
    expect(bars).to_have_count(2)
    heights = [float(b.get_attribute("height") or 0) for b in bars.all()]
    assert heights[0] == pytest.approx(4 * heights[1], rel=0.05), heights  # 12 s against 3 s
    expect(chart).to_contain_text("Bob Builder")

    summary = page.get_by_test_id("summary")
    expect(summary).to_have_attribute("data-status", "UNAVAILABLE")
    expect(summary).to_contain_text("local engine")
    expect(summary).to_contain_text("no summarization model")
    context.close()


def test_figures_and_the_summary_reason_in_russian(browser: Browser, app_url: str) -> None:
    """A Russian browser: the figures' labels, the roles, the engine, the chart's series and
    the reason there is no summary (stored in English by core) in Russian."""
    page = new_page(browser, app_url, viewport={"width": 1280, "height": 900}, locale="ru-RU")
    account = {"email": unique_email("cifry"), "password": PASSWORD, "name": "Анна Каренина"}
    assert page.request.post("/api/auth/signup", data=account).status == 201
    slug = page.request.post("/api/sessions", data={"title": "Цифры"}).json()["session"]["slug"]
    joined = page.request.post(f"/api/sessions/{slug}/participants/join", data={})
    assert joined.ok, joined.text()
    anna = participant_id(session_row(slug)[0], joined.json()["identity"])
    guest = add_participant(slug, "Борис")
    add_segments(slug, [(5.0, anna, "раз два три")], 6.0)
    add_segments(slug, [(15.0, guest, "четыре пять")], 3.0)

    page.goto(f"/session/{slug}/transcript")
    stats = page.get_by_test_id("session-stats")
    expect(stats).to_be_visible(timeout=TIMEOUT_MS)
    for label in ("Длительность", "Слов", "Расшифровано", "Движок", "Участник", "Время речи"):
        expect(stats).to_contain_text(label)
    rows = page.get_by_test_id("stats-row")
    expect(rows.nth(0)).to_contain_text("Ведущий")
    expect(rows.nth(1)).to_contain_text("Гость")
    expect(page.get_by_test_id("stats-engine")).to_have_text("локальный")
    chart = page.get_by_test_id("speaking-chart")
    expect(chart).to_have_attribute("aria-label", "Время речи каждого участника, в секундах")
    expect(chart).to_contain_text("2 с")  # the y axis's unit
    summary = page.get_by_test_id("summary")
    expect(summary).to_contain_text("Сводка")
    expect(summary).to_contain_text("движок «локальный»")
    expect(summary).to_contain_text("нет модели для сводок")
    assert english_left(stats, "ui-work") == []
    page.context.close()
