"""A space's glossary in a real browser: the owner writes terms one per line in the
Glossary… dialog and finds them after a reload (trimmed, duplicates gone); a term that is too
long is refused with a toast; a member sees the terms and cannot edit them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from rooms.core.glossary import TERM_MAX
from tests.support.pages import (
    TIMEOUT_MS,
    member_of,
    open_space_dialog,
    owner_of_new_space,
    shoot,
)

pytestmark = pytest.mark.browser
SPACE = "Glossary crew"


def test_the_owner_edits_the_glossary_and_it_stays(browser: Browser, app_url: str) -> None:
    owner, space = owner_of_new_space(browser, app_url, SPACE)

    open_space_dialog(owner, "Glossary…", "space-glossary")
    terms = owner.get_by_test_id("glossary-terms")
    terms.fill("  Natalia Zhuravleva \nOkonkwo\n\nokonkwo\nKubernetes")
    owner.get_by_role("button", name="Save").click()
    expect(owner.get_by_text("Glossary saved")).to_be_visible(timeout=TIMEOUT_MS)
    expect(owner.get_by_test_id("space-glossary")).to_have_count(0, timeout=TIMEOUT_MS)

    owner.reload()
    expect(owner.get_by_test_id("space-switcher")).to_contain_text(SPACE, timeout=TIMEOUT_MS)
    open_space_dialog(owner, "Glossary…", "space-glossary")
    saved = "Natalia Zhuravleva\nOkonkwo\nKubernetes"
    expect(owner.get_by_test_id("glossary-terms")).to_have_value(saved, timeout=TIMEOUT_MS)
    got = owner.request.get(f"/api/spaces/{space}/glossary").json()
    assert got["terms"] == saved.splitlines()
    shoot(owner, "space-glossary")

    # Too long: refused with the reason, the dialog stays open and nothing changes.
    owner.get_by_test_id("glossary-terms").fill("Okonkwo\n" + "x" * (TERM_MAX + 1))
    owner.get_by_role("button", name="Save").click()
    toast = owner.get_by_text(f"A glossary term must be at most {TERM_MAX} characters")
    expect(toast).to_be_visible(timeout=TIMEOUT_MS)
    expect(owner.get_by_test_id("space-glossary")).to_be_visible()
    got = owner.request.get(f"/api/spaces/{space}/glossary").json()
    assert got["terms"] == saved.splitlines()

    # A member reads it and has nothing to edit it with.
    member = member_of(browser, app_url, owner, space, SPACE)
    open_space_dialog(member, "Glossary…", "space-glossary")
    expect(member.get_by_test_id("glossary-term")).to_have_text(
        saved.splitlines(), timeout=TIMEOUT_MS
    )
    expect(member.get_by_test_id("glossary-terms")).to_have_count(0)
    expect(member.get_by_test_id("space-glossary")).to_contain_text("Only the space owner")
