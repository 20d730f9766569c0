"""The session agenda in Chromium (docs/extending.md's worked example): the creator writes it
in the room, a guest who joins by link reads it and cannot change it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.support.helpers import unique_email
from tests.support.offline_room import enter_offline_room
from tests.support.pages import TIMEOUT_MS, new_page, sign_up

pytestmark = pytest.mark.browser


def test_creator_writes_the_agenda_and_a_guest_reads_it(browser: Browser, app_url: str) -> None:
    creator = new_page(browser, app_url)
    sign_up(creator, "Cora Creator", unique_email("cora"))
    res = creator.request.post("/api/sessions", data={"title": "Planning"})
    slug = res.json()["session"]["slug"]
    enter_offline_room(creator, slug)

    card = creator.get_by_test_id("agenda")
    expect(card).to_contain_text("No agenda yet.", timeout=TIMEOUT_MS)
    card.get_by_role("button", name="Edit the agenda").click()
    editor = creator.get_by_test_id("agenda-editor")
    editor.get_by_label("Agenda").fill("1. Roadmap\n2. Who does what")
    editor.get_by_role("button", name="Save").click()
    expect(creator.get_by_text("Agenda saved")).to_be_visible(timeout=TIMEOUT_MS)
    expect(editor).to_be_hidden()
    expect(card).to_contain_text("2. Who does what")

    guest = new_page(browser, app_url)
    enter_offline_room(guest, slug, guest_name="Gil Guest")
    guest_card = guest.get_by_test_id("agenda")
    expect(guest_card).to_contain_text("1. Roadmap", timeout=TIMEOUT_MS)
    expect(guest_card.get_by_role("button", name="Edit the agenda")).to_have_count(0)
