"""Steps of the i18n browser tests: which visible text is still English (against the whole
catalog, not one helper's part), the language switcher, and the fixtures' world (an
invitation made straight through rooms.core)."""

from __future__ import annotations

import re
from functools import cache

from playwright.sync_api import Locator, Page, expect

from rooms.core import i18n_catalogs
from rooms.core.db import session_scope
from rooms.core.i18n import LANGUAGE_NAMES
from rooms.core.invitations import create_invitation
from rooms.core.models import SpaceRole, User
from tests.support.pages import TIMEOUT_MS
from tests.support.ui_text import segments

# The switcher's trigger is named "Language" in either language.
SWITCHER_NAME = re.compile(r"^(Language|Язык)$")


@cache
def english_ids() -> frozenset[str]:
    """English ids a Russian page must not show: those whose Russian text differs (brand
    names and the like read the same in both) and those with no Russian text at all."""
    russian = {m.id: m.string for m in i18n_catalogs.read("ru") if m.id}
    ids = set()
    for message in i18n_catalogs.read("en"):
        if not message.id:
            continue
        for msgid, text in _forms(message.id, russian.get(message.id)):
            if msgid.strip() and text != msgid:
                ids.add(msgid.strip())
    return frozenset(ids)


def _forms(msgid: str | tuple, text: str | tuple | None) -> list[tuple[str, str | None]]:
    """(English form, a Russian text of it or None): plural entries give both forms."""
    if isinstance(msgid, str):
        return [(msgid, text if isinstance(text, str) and text else None)]
    texts = text if isinstance(text, tuple) else ()
    first = texts[0] if texts and texts[0] else None
    return [(form, first) for form in msgid]


def english_left(root: Locator) -> list[str]:
    """Visible segments of `root` (text, placeholders, names) equal to an English id."""
    ids = english_ids()
    return sorted({s for s in segments(root) if s in ids})


def switch_language(page: Page, language: str, within: Locator | None = None) -> None:
    """Pick `language` ("Русский", "English") in the switcher found in `within`."""
    submenu = page.get_by_test_id("language-menu")
    if submenu.is_visible():
        # The profile menu's submenu: by keyboard, as Radix moves the pointer's target while
        # the submenu slides open.
        submenu.focus()
        submenu.press("ArrowRight")
        code = {name: code for code, name in LANGUAGE_NAMES.items()}[language]
        item = page.get_by_test_id(f"language-{code}")
        expect(item).to_be_visible(timeout=TIMEOUT_MS)
        item.focus()
        item.press("Enter")
        return
    scope = within or page.locator("body")
    switcher = scope.get_by_role("combobox", name=SWITCHER_NAME)
    expect(switcher, "no language switcher here").to_be_visible(timeout=TIMEOUT_MS)
    switcher.select_option(label=language)


def expect_lang(page: Page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang, timeout=TIMEOUT_MS)


def invitation_token(owner_id: str, space_id: str) -> str:
    with session_scope() as db:
        owner = db.get(User, owner_id)
        assert owner is not None
        return create_invitation(db, owner, space_id, SpaceRole.MEMBER).token
