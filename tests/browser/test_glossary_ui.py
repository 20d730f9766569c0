"""A space's glossary in a real browser: the owner writes terms one per line in the
Glossary… dialog and finds them after a reload (trimmed, duplicates gone); a term that is too
long is refused with a toast; a member sees the terms and cannot edit them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from rooms.core.glossary import TERM_MAX
from tests.support.helpers import unique_email
from tests.support.pages import (
    TIMEOUT_MS,
    enter_space,
    new_page,
    open_space_dialog,
    shoot,
    sign_up,
)

pytestmark = pytest.mark.browser
SPACE = "Glossary crew"


def test_the_owner_edits_the_glossary_and_it_stays(browser: Browser, app_url: str) -> None:
    owner = new_page(browser, app_url)
    sign_up(owner, "Olga Owner", unique_email("owner"))
    space = owner.request.post("/api/spaces", data={"name": SPACE}).json()["space"]["id"]
    enter_space(owner, space, SPACE)

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
    member = new_page(browser, app_url)
    email = unique_email("member")
    sign_up(member, "Mo Member", email)
    res = owner.request.post(f"/api/spaces/{space}/members", data={"email": email})
    assert res.status == 201, res.text()
    enter_space(member, space, SPACE)
    open_space_dialog(member, "Glossary…", "space-glossary")
    expect(member.get_by_test_id("glossary-term")).to_have_text(
        saved.splitlines(), timeout=TIMEOUT_MS
    )
    expect(member.get_by_test_id("glossary-terms")).to_have_count(0)
    expect(member.get_by_test_id("space-glossary")).to_contain_text("Only the space owner")
