"""A space's transcription language in a real browser: the owner picks German and code
switching in the Transcription… dialog and finds them after a reload; the dialog says the
installed offline model (tiny.en) is English-only and names TRANSCRIPTION_MODEL_PATH; a
member sees the setting and cannot change it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.support.pages import (
    TIMEOUT_MS,
    member_of,
    open_space_dialog,
    owner_of_new_space,
    shoot,
)

pytestmark = pytest.mark.browser
SPACE = "Sprachen crew"


def test_the_owner_sets_the_language_and_it_stays(browser: Browser, app_url: str) -> None:
    owner, space = owner_of_new_space(browser, app_url, SPACE)

    open_space_dialog(owner, "Transcription…", "space-language")
    dialog = owner.get_by_test_id("space-language")
    expect(owner.get_by_test_id("language-select")).to_have_text("Auto-detect")
    note = owner.get_by_test_id("language-english-only")
    expect(note).to_contain_text("English-only")
    expect(note).to_contain_text("TRANSCRIPTION_MODEL_PATH")
    owner.get_by_test_id("language-select").click()
    owner.get_by_role("option", name="German").click()
    owner.get_by_test_id("language-code-switching").click()
    dialog.get_by_role("button", name="Save").click()
    expect(owner.get_by_text("Transcription language saved")).to_be_visible(timeout=TIMEOUT_MS)
    expect(dialog).to_have_count(0, timeout=TIMEOUT_MS)
    got = owner.request.get(f"/api/spaces/{space}/transcription").json()
    assert (got["language"], got["codeSwitching"]) == ("de", True)

    owner.reload()
    expect(owner.get_by_test_id("space-switcher")).to_contain_text(SPACE, timeout=TIMEOUT_MS)
    open_space_dialog(owner, "Transcription…", "space-language")
    expect(owner.get_by_test_id("language-select")).to_have_text("German", timeout=TIMEOUT_MS)
    switch = owner.get_by_test_id("language-code-switching")
    expect(switch).to_have_attribute("data-state", "checked")
    shoot(owner, "space-language")

    # Back to auto-detect, code switching off.
    owner.get_by_test_id("language-select").click()
    owner.get_by_role("option", name="Auto-detect").click()
    switch.click()
    owner.get_by_test_id("space-language").get_by_role("button", name="Save").click()
    expect(owner.get_by_test_id("space-language")).to_have_count(0, timeout=TIMEOUT_MS)
    got = owner.request.get(f"/api/spaces/{space}/transcription").json()
    assert (got["language"], got["codeSwitching"]) == (None, False)
    res = owner.request.patch(
        f"/api/spaces/{space}/transcription", data={"language": "ru", "codeSwitching": False}
    )
    assert res.status == 200, res.text()

    # A member reads it and has nothing to change it with.
    member = member_of(browser, app_url, owner, space, SPACE)
    open_space_dialog(member, "Transcription…", "space-language")
    expect(member.get_by_test_id("language-current")).to_have_text(
        "Language: Russian", timeout=TIMEOUT_MS
    )
    expect(member.get_by_test_id("language-current-switching")).to_have_text("Code switching: off")
    expect(member.get_by_test_id("language-select")).to_have_count(0)
    expect(member.get_by_test_id("language-code-switching")).to_have_count(0)
    expect(member.get_by_test_id("space-language")).to_contain_text("Only the space owner")
    expect(member.get_by_test_id("language-english-only")).to_be_visible()
