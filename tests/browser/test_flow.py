"""The whole journey in Chromium: an owner and a guest, two browser contexts.

Sign up -> create a space -> switch spaces -> create a session -> copy its link -> the
guest opens it -> name gate -> pre-join -> room (video server unreachable, since no
LiveKit runs here) -> the owner ends the session -> the guest sees the ended page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from rooms.core.config import get_settings
from rooms.core.db import session_scope
from rooms.core.models import Participant, ParticipantRole, Session
from tests.support.helpers import unique_email
from tests.support.pages import PASSWORD, TIMEOUT_MS, new_page, sign_up_in_the_form
from tests.support.ui_text import english_left

pytestmark = pytest.mark.browser


def _switcher_shows(page: Page, name: str) -> None:
    expect(page.get_by_test_id("space-switcher")).to_contain_text(name, timeout=TIMEOUT_MS)


def test_owner_and_guest_journey(browser: Browser, app_url: str) -> None:
    owner = new_page(browser, app_url)
    owner.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    sign_up_in_the_form(owner, "Olivia Owner", unique_email("owner"))
    _switcher_shows(owner, "My space")
    expect(owner.get_by_test_id("sessions-empty")).to_be_visible()

    # Create a space: it becomes the active one.
    owner.get_by_test_id("space-switcher").click()
    owner.get_by_role("menuitem", name="New space…").click()
    owner.locator("#space-create-name").fill("Design team")
    owner.get_by_role("button", name="Create space").click()
    _switcher_shows(owner, "Design team")

    # Switch back to the first space.
    owner.get_by_test_id("space-switcher").click()
    owner.get_by_role("menuitem", name=re.compile("My space")).click()
    _switcher_shows(owner, "My space")

    # Create a session there.
    owner.get_by_role("button", name="New session").first.click()
    owner.locator("#session-title").fill("Flow check")
    owner.get_by_test_id("session-create").get_by_role("button", name="Create session").click()
    card = owner.get_by_test_id("session-card").filter(has_text="Flow check")
    expect(card).to_be_visible(timeout=TIMEOUT_MS)
    slug = card.get_attribute("data-slug")
    assert slug and re.fullmatch(r"[a-z]{3}-[a-z]{4}-[a-z]{3}", slug)

    # Copy its link.
    card.get_by_role("button", name="Copy invite link").click()
    expect(owner.get_by_text("Invite link copied")).to_be_visible(timeout=TIMEOUT_MS)
    link = owner.evaluate("navigator.clipboard.readText()")
    assert link == f"{app_url}/session/{slug}"

    # The guest, in a browser context of their own (no cookie): name gate, pre-join, room.
    guest = new_page(browser, app_url)
    guest.goto(link)
    gate = guest.get_by_test_id("guest-gate")
    expect(gate).to_contain_text("Flow check", timeout=TIMEOUT_MS)
    guest.get_by_label("Your name").fill("Gus Guest")
    guest.get_by_role("button", name="Continue").click()
    expect(guest.get_by_test_id("prejoin")).to_be_visible(timeout=TIMEOUT_MS)
    guest.get_by_role("button", name="Join session").click()
    expect(guest.get_by_test_id("room")).to_be_visible(timeout=TIMEOUT_MS)
    unreachable = guest.get_by_test_id("video-unreachable")
    expect(unreachable).to_be_visible(timeout=TIMEOUT_MS)
    expect(unreachable).to_contain_text(get_settings().livekit_url)
    expect(unreachable).to_contain_text("LIVEKIT_URL")
    # The rest of the page keeps working: the header and its controls are still there.
    expect(guest.get_by_role("button", name="Leave")).to_be_enabled()

    with session_scope() as db:
        session = db.exec(select(Session).where(Session.slug == slug)).one()
        people = db.exec(select(Participant).where(Participant.session_id == session.id)).all()
        assert [(p.name, p.role) for p in people] == [("Gus Guest", ParticipantRole.GUEST)]

    # The owner ends it, after confirming.
    card.get_by_role("button", name="More actions").click()
    owner.get_by_role("menuitem", name="End session").click()
    dialog = owner.get_by_test_id("confirm-dialog")
    expect(dialog).to_contain_text("End this session?")
    dialog.get_by_role("button", name="End session").click()
    expect(card).to_contain_text("Ended", timeout=TIMEOUT_MS)

    # The guest's page notices on its own.
    expect(guest.get_by_test_id("session-ended")).to_be_visible(timeout=TIMEOUT_MS)
    # And the link now opens the ended page for anyone.
    late = new_page(browser, app_url)
    late.goto(link)
    expect(late.get_by_test_id("session-ended")).to_be_visible(timeout=TIMEOUT_MS)
    for page in (owner, guest, late):
        page.context.close()


def test_signed_in_member_joins_directly_as_host(browser: Browser, app_url: str) -> None:
    page = new_page(browser, app_url)
    res = page.request.post(
        "/api/auth/signup",
        data={"email": unique_email("host"), "password": PASSWORD, "name": "Hana Host"},
    )
    assert res.status == 201
    slug = page.request.post("/api/sessions", data={"title": "Standup"}).json()["session"]["slug"]
    page.goto(f"/call/{slug}")  # the legacy address forwards to /session/[slug]
    page.wait_for_url(re.compile(rf"/session/{slug}/?$"), timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("guest-gate")).to_have_count(0)
    expect(page.get_by_test_id("prejoin")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Join session").click()
    expect(page.get_by_test_id("video-unreachable")).to_be_visible(timeout=TIMEOUT_MS)
    with session_scope() as db:
        session = db.exec(select(Session).where(Session.slug == slug)).one()
        (person,) = db.exec(select(Participant).where(Participant.session_id == session.id))
        assert (person.name, person.role) == ("Hana Host", ParticipantRole.HOST)
    page.get_by_role("button", name="Leave").click()
    page.wait_for_url(re.compile(r"/sessions/?$"), timeout=TIMEOUT_MS)
    with session_scope() as db:
        person = db.get(Participant, person.id)
        assert person is not None and person.left_at is not None
    page.context.close()


def test_unknown_session_and_unknown_page(browser: Browser, app_url: str) -> None:
    page = new_page(browser, app_url)
    page.goto("/session/zzz-zzzz-zzz")
    expect(page.get_by_test_id("not-found")).to_contain_text("Session not found")
    page.goto("/no/such/page")
    expect(page.get_by_test_id("not-found")).to_contain_text("Page not found")
    page.context.close()


def test_sessions_and_the_session_page_in_russian(browser: Browser, app_url: str) -> None:
    """A Russian browser: the sessions list, its dialogs, the pre-join (LiveKit's labels
    too) and the room have no English left from ui-session2's catalog part."""
    page = new_page(browser, app_url, viewport={"width": 1280, "height": 900}, locale="ru-RU")
    account = {"email": unique_email("vstrecha"), "password": PASSWORD, "name": "Анна"}
    assert page.request.post("/api/auth/signup", data=account).status == 201
    made = page.request.post("/api/sessions", data={"title": "Планёрка"})
    assert made.ok, made.text()
    slug = made.json()["session"]["slug"]

    page.goto("/sessions")
    card = page.get_by_test_id("session-card").filter(has_text="Планёрка")
    expect(card).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Встречи")).to_be_visible()
    expect(card).to_contain_text("Идёт")
    expect(card).to_contain_text("Начата")
    expect(card).to_contain_text("назад")  # Babel's relative time
    expect(card.get_by_role("button", name="Скопировать ссылку-приглашение")).to_be_visible()
    # The page's own part: the shell's navigation is not this page's.
    assert english_left(page.get_by_test_id("sessions-page"), "ui-session2") == []

    page.get_by_role("button", name="Новая встреча").first.click()
    dialog = page.get_by_test_id("session-create")
    expect(dialog).to_contain_text("Название (необязательно)")
    expect(dialog.locator("#session-title")).to_have_attribute(
        "placeholder", "Еженедельная планёрка"
    )
    assert english_left(dialog, "ui-session2") == []
    page.keyboard.press("Escape")

    card.get_by_role("button", name="Другие действия").click()
    page.get_by_role("menuitem", name="Завершить встречу").click()
    confirm = page.get_by_test_id("confirm-dialog")
    expect(confirm).to_contain_text("Завершить эту встречу?")
    expect(confirm).to_contain_text("Все участники «Планёрка» будут отключены")
    assert english_left(confirm, "ui-session2") == []
    page.keyboard.press("Escape")

    page.goto(f"/session/{slug}")
    prejoin = page.get_by_test_id("prejoin")
    expect(prejoin).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Готово к входу")).to_be_visible()
    expect(prejoin).to_contain_text("Микрофон")
    expect(prejoin).to_contain_text("Камера")
    assert english_left(page.locator("body"), "ui-session2") == []
    prejoin.get_by_role("button", name="Войти во встречу").click()

    room = page.get_by_test_id("room")
    expect(room).to_be_visible(timeout=TIMEOUT_MS)
    expect(room.get_by_role("button", name="Выйти")).to_be_visible()
    expect(page.get_by_test_id("agenda")).to_contain_text("Повестка")
    room.get_by_role("button", name="Участники").click()
    expect(page.get_by_test_id("participants-panel")).to_contain_text("(вы)")
    assert english_left(room, "ui-session2") == []
    page.context.close()
