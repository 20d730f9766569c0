"""Switching the UI language (issue 18): in place without a reload, kept across reloads
and devices for a signed-in user, kept by the cookie when signed out; a guest's Russian
browser gets the gate in Russian."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.support.helpers import unique_email
from tests.support.i18n_pages import english_left, expect_lang, invitation_token, switch_language
from tests.support.pages import PASSWORD, TIMEOUT_MS, mark_document, new_page, same_document


def _account(page: Page, name: str) -> tuple[str, str]:
    email = unique_email(name.split()[0].lower())
    res = page.request.post(
        "/api/auth/signup", data={"email": email, "password": PASSWORD, "name": name}
    )
    assert res.status == 201, res.text()
    return email, res.json()["user"]["id"]


def _tasks_heading(page: Page, text: str) -> None:
    # The tasks page is translated whole (ui-work): its heading tells the language apart.
    content = page.get_by_test_id("tasks-page")
    expect(content.get_by_role("heading", name=text, exact=True)).to_be_visible(timeout=TIMEOUT_MS)


def test_switching_in_the_profile_menu_rerenders_in_place_and_follows_the_user(
    browser: Browser, app_url: str
) -> None:
    page = new_page(browser, app_url)
    email, _ = _account(page, "Sasha Switch")
    space = page.request.post(
        "/api/spaces", data={"name": "Desk", "mode": "SESSIONS_AND_TASKS"}
    ).json()["space"]["id"]
    assert page.request.post(f"/api/spaces/{space}/set-active").ok
    page.goto("/tasks")
    _tasks_heading(page, "Tasks")
    mark_document(page)

    page.get_by_test_id("profile-menu").click()
    switch_language(page, "Русский")
    # The open menu hides the page from the accessibility tree: close it to read the page.
    page.keyboard.press("Escape")
    _tasks_heading(page, "Задачи")
    # No navigation happened: the same document re-rendered.
    assert same_document(page)
    expect_lang(page, "ru")
    assert page.request.get("/api/identity/profile").json()["user"]["locale"] == "ru"

    page.reload()
    _tasks_heading(page, "Задачи")
    expect_lang(page, "ru")

    # Another device: an English browser, no cookie of the first one; the profile decides.
    other = new_page(browser, app_url)
    res = other.request.post("/api/auth/login", data={"email": email, "password": PASSWORD})
    assert res.ok, res.text()
    other.goto("/tasks")
    _tasks_heading(other, "Задачи")
    expect_lang(other, "ru")

    # And back: English in place.
    page.get_by_test_id("profile-menu").click()
    switch_language(page, "English")
    page.keyboard.press("Escape")
    _tasks_heading(page, "Tasks")
    expect_lang(page, "en")
    for p in (page, other):
        p.context.close()


def test_signed_out_the_login_page_switch_is_kept_by_the_cookie(
    browser: Browser, app_url: str
) -> None:
    page = new_page(browser, app_url)
    page.goto("/login")
    login = page.get_by_test_id("login")
    expect(login).to_be_visible(timeout=TIMEOUT_MS)
    mark_document(page)
    switch_language(page, "Русский")  # in the top bar
    expect_lang(page, "ru")
    assert same_document(page)
    assert english_left(login) == []
    assert {c["name"]: c["value"] for c in page.context.cookies()}.get("rooms_locale") == "ru"

    page.reload()
    login = page.get_by_test_id("login")
    expect(login).to_be_visible(timeout=TIMEOUT_MS)
    expect_lang(page, "ru")
    assert english_left(login) == []
    page.context.close()


def test_a_guest_with_a_russian_browser_gets_the_gate_and_the_invitation_in_russian(
    browser: Browser, app_url: str
) -> None:
    owner = new_page(browser, app_url)
    _, owner_id = _account(owner, "Olga Owner")
    space = owner.request.post("/api/spaces", data={"name": "Бюро"}).json()["space"]["id"]
    slug = owner.request.post("/api/sessions", data={"spaceId": space, "title": "Планёрка"}).json()[
        "session"
    ]["slug"]
    token = invitation_token(owner_id, space)

    guest = new_page(browser, app_url, locale="ru-RU")
    guest.goto(f"/session/{slug}")
    gate = guest.get_by_test_id("guest-gate")
    expect(gate).to_be_visible(timeout=TIMEOUT_MS)
    expect_lang(guest, "ru")
    expect(gate.get_by_role("button", name="Continue")).to_have_count(0)
    assert english_left(gate) == [], "the guest gate shows English"

    guest.goto(f"/invite/{token}")
    invite = guest.get_by_test_id("invite")
    expect(invite).to_be_visible(timeout=TIMEOUT_MS)
    expect(guest.get_by_test_id("invite-space")).to_have_text("Бюро", timeout=TIMEOUT_MS)
    assert english_left(invite) == [], "the invitation page shows English"
    for c in (owner.context, guest.context):
        c.close()
