"""Signing in and out in a real browser; Reflex state sees the httpOnly session cookie."""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import Browser, expect

from rooms.core.config import get_settings
from tests.support.helpers import unique_email
from tests.support.pages import PASSWORD, TIMEOUT_MS, new_page, sign_up

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/sessions", "/tasks"])
def test_signed_out_visitors_are_sent_to_login(browser: Browser, app_url: str, path: str) -> None:
    page = new_page(browser, app_url)
    page.goto(path)
    page.wait_for_url(re.compile(r"/login/?(\?.*)?$"), timeout=TIMEOUT_MS)
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    page.context.close()


def test_login_then_back_to_the_page_asked_for(browser: Browser, app_url: str) -> None:
    email = unique_email("grace")
    page = new_page(browser, app_url)
    res = page.request.post(
        "/api/auth/signup", data={"email": email, "password": PASSWORD, "name": "Grace Hopper"}
    )
    assert res.status == 201, res.text()
    page.context.clear_cookies()

    page.goto("/sessions")
    page.wait_for_url(re.compile(r"/login/?\?next=/sessions$"), timeout=TIMEOUT_MS)
    page.locator("#login-form-email").fill(email)
    page.locator("#login-form-password").fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("incorrect", timeout=TIMEOUT_MS)

    page.locator("#login-form-password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"/sessions/?$"), timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("space-switcher")).to_contain_text("My space")

    cookie_name = get_settings().auth_cookie_name
    (cookie,) = [c for c in page.context.cookies() if c["name"] == cookie_name]
    assert cookie["httpOnly"]
    # Page scripts cannot see it: only the server side of Reflex can have read it.
    assert cookie_name not in page.evaluate("document.cookie")

    page.get_by_test_id("profile-menu").click()
    page.get_by_role("menuitem", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login/?$"), timeout=TIMEOUT_MS)
    assert not [c for c in page.context.cookies() if c["name"] == cookie_name]
    page.goto("/sessions")
    page.wait_for_url(re.compile(r"/login"), timeout=TIMEOUT_MS)
    page.context.close()


def test_next_never_leaves_the_site(browser: Browser, app_url: str) -> None:
    page = new_page(browser, app_url)
    email = unique_email("evil")
    page.request.post("/api/auth/signup", data={"email": email, "password": PASSWORD, "name": "E"})
    page.context.clear_cookies()
    page.goto("/login?next=//example.org/steal")
    page.locator("#login-form-email").fill(email)
    page.locator("#login-form-password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"/sessions/?$"), timeout=TIMEOUT_MS)
    assert page.url.startswith(app_url)
    page.context.close()


def test_edit_profile_name(browser: Browser, app_url: str) -> None:
    page = new_page(browser, app_url)
    sign_up(page, "Ada Lovelace", unique_email("ada"))
    menu = page.get_by_test_id("profile-menu")
    expect(menu).to_contain_text("AL")
    menu.click()
    page.get_by_role("menuitem", name="Edit profile").click()
    dialog = page.get_by_test_id("edit-profile")
    name = dialog.get_by_label("Display name")
    expect(name).to_have_value("Ada Lovelace")
    name.fill("")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_visible()  # the browser refuses an empty required field
    name.fill("Augusta King")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Profile saved")).to_be_visible(timeout=TIMEOUT_MS)
    expect(dialog).to_be_hidden()
    expect(menu).to_contain_text("AK")
    page.reload()  # stored, not just shown
    expect(page.get_by_test_id("profile-menu")).to_contain_text("AK", timeout=TIMEOUT_MS)
    me = page.request.get("/api/auth/me").json()
    assert "Augusta King" in str(me)
    page.context.close()


def test_avatar_upload_and_remove(browser: Browser, app_url: str, tmp_path) -> None:
    picture = tmp_path / "me.png"
    Image.new("RGB", (400, 300), (200, 80, 120)).save(picture)
    not_a_picture = tmp_path / "notes.png"
    not_a_picture.write_text("certainly not a PNG")

    page = new_page(browser, app_url)
    sign_up(page, "Pia Picture", unique_email("pia"))
    menu = page.get_by_test_id("profile-menu")
    expect(menu.locator("img")).to_have_count(0)
    menu.click()
    page.get_by_role("menuitem", name="Edit profile").click()
    dialog = page.get_by_test_id("edit-profile")

    page.get_by_label("Avatar picture").set_input_files(str(not_a_picture))
    expect(page.locator("[data-sonner-toast]").filter(has_text="image")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    expect(menu.locator("img")).to_have_count(0)

    page.get_by_label("Avatar picture").set_input_files(str(picture))
    expect(page.get_by_text("Avatar updated")).to_be_visible(timeout=TIMEOUT_MS)
    image = menu.locator("img")
    expect(image).to_have_attribute("src", re.compile(r"/api/uploads/avatars/"))
    # The stored picture is served back, and it is a real image.
    src = image.get_attribute("src")
    res = page.request.get(src)
    assert res.ok and res.headers["content-type"] == "image/jpeg"
    assert (
        page.evaluate(
            "async (s) => { const i = new Image(); i.src = s; await i.decode(); return i.width; }",
            src,
        )
        == 256
    )

    dialog.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("Avatar removed")).to_be_visible(timeout=TIMEOUT_MS)
    expect(menu.locator("img")).to_have_count(0)
    expect(menu).to_contain_text("PP")
    page.context.close()
