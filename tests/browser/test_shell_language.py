"""The app shell in the viewer's language: a Russian browser gets the sign-in page in Russian
(its API errors too), the switcher there turns it English in place and the choice is kept."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from rooms.core import i18n
from tests.support.helpers import unique_email
from tests.support.pages import PASSWORD, TIMEOUT_MS, mark_document, new_page, same_document

pytestmark = pytest.mark.browser


def test_a_russian_browser_signs_in_in_russian_and_switches_to_english(
    browser: Browser, app_url: str
) -> None:
    page = new_page(browser, app_url, locale="ru-RU")
    page.goto("/login")
    login = page.get_by_test_id("login")
    expect(login.get_by_role("heading")).to_have_text(
        "Добро пожаловать в Rooms", timeout=TIMEOUT_MS
    )
    expect(page).to_have_title("Вход · Rooms")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("tab", name="Создать аккаунт")).to_be_visible()

    # The API answers in English with a code; the page says it in Russian.
    page.locator("#login-form-email").fill(unique_email("nobody"))
    page.locator("#login-form-password").fill(PASSWORD)
    page.get_by_role("button", name="Войти", exact=True).click()
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(
        i18n.gettext("ru", "Email or password is incorrect."), timeout=TIMEOUT_MS
    )

    mark_document(page)
    page.get_by_test_id("language-switcher").select_option(label="English")
    expect(login.get_by_role("heading")).to_have_text("Welcome to Rooms", timeout=TIMEOUT_MS)
    expect(page).to_have_title("Sign in · Rooms")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # The error shown follows too: it is kept as the API's code and message.
    expect(alert).to_have_text("Email or password is incorrect.")
    assert same_document(page)

    # The pick outlives the page: a signed-out visitor's is kept in a cookie.
    page.reload()
    expect(login.get_by_role("heading")).to_have_text("Welcome to Rooms", timeout=TIMEOUT_MS)
    page.context.close()
