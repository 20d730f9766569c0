"""The catalogs in rooms/locale are complete and consistent with the code.

The messages are extracted here with the keywords `scripts/i18n` uses
(rooms.core.i18n_catalogs.KEYWORDS): a message added to the code without running
`bash scripts/i18n`, or left untranslated, fails here with its id."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from rooms.core.i18n import DEFAULT_LOCALE, LOCALES, po_path
from rooms.core.i18n_catalogs import (
    KEYWORDS,
    extract,
    gaps,
    placeholder_mismatches,
    read,
)

ROOMS = Path(__file__).resolve().parents[2] / "rooms"
TRANSLATED = [locale for locale in LOCALES if locale != DEFAULT_LOCALE]


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    return extract()


def _key(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_in_the_code_is_in_the_catalog(extracted, locale):
    catalog = read(locale)
    missing = [_key(m) for m in extracted if m.id and _key(m) not in catalog]
    assert not missing, f"run `bash scripts/i18n`; not in {locale}: {missing}"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_catalog_holds_nothing_the_code_no_longer_says(extracted, locale):
    stale = [_key(m) for m in read(locale) if m.id and _key(m) not in extracted]
    assert not stale, f"run `bash scripts/i18n`; gone from the code: {stale}"


@pytest.mark.parametrize("locale", LOCALES)
def test_no_entry_is_untranslated_or_fuzzy(locale):
    todo = gaps(read(locale))
    assert not todo, f"{locale}: {len(todo)} untranslated or fuzzy: {todo}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_placeholders_match_the_ids(locale):
    assert not placeholder_mismatches(read(locale))


def test_russian_plurals_have_three_forms():
    catalog = read("ru")
    assert catalog.num_plurals == 3
    short = [
        _key(m) for m in catalog if m.pluralizable and (len(m.string) != 3 or not all(m.string))
    ]
    assert not short


def test_english_texts_are_the_ids():
    for message in read(DEFAULT_LOCALE):
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            texts = message.string if isinstance(message.string, tuple) else (message.string,)
            assert tuple(texts) == ids, message.id


# --- the checks fail where they should ----------------------------------------------------


def _round_trip(catalog: Catalog, tmp_path: Path) -> Catalog:
    """Through a real .po file, as the catalogs are read."""
    path = tmp_path / "messages.po"
    with path.open("wb") as f:
        write_po(f, catalog)
    with path.open("rb") as f:
        return read_po(f, locale="ru")


def test_the_checks_catch_untranslated_fuzzy_and_wrong_fields(tmp_path):
    catalog = Catalog(locale="ru")
    catalog.add("Session not found.", "Сессия не найдена.")
    catalog.add("Sign in to continue.", "")
    catalog.add("Task not found.", "Задача не найдена.", flags=["fuzzy"])
    catalog.add(("{n} minute", "{n} minutes"), ("{n} минута", "{n} минуты", ""))
    catalog.add("Name must be at most {max} characters.", "Имя не длиннее {макс} символов.")
    catalog.add("Cannot change: {fields}.", "Эти поля изменить нельзя.")
    catalog = _round_trip(catalog, tmp_path)
    assert gaps(catalog) == ["Sign in to continue.", "Task not found.", "{n} minute"]
    assert placeholder_mismatches(catalog) == [
        "Name must be at most {max} characters.",
        "Cannot change: {fields}.",
    ]


def test_the_checks_pass_a_complete_catalog(tmp_path):
    catalog = Catalog(locale="ru")
    catalog.add("Session not found.", "Сессия не найдена.")
    catalog.add(("{n} minute", "{n} minutes"), ("{n} минута", "{n} минуты", "{n} минут"))
    catalog = _round_trip(catalog, tmp_path)
    assert gaps(catalog) == []
    assert placeholder_mismatches(catalog) == []


# --- what extraction can see -----------------------------------------------------------------

_BUILT = (ast.JoinedStr, ast.BinOp, ast.IfExp, ast.Call)


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if name in KEYWORDS and node.args:
                yield name, node


def test_no_message_is_built_where_extraction_cannot_read_it():
    """An f-string, `+`, `%`, `.format()` or a conditional as the message: pybabel skips it
    (or keeps only the literal parts), so the UI would show English."""
    built = []
    for path in sorted(ROOMS.rglob("*.py")):
        for name, call in _calls(ast.parse(path.read_text(), str(path))):
            if isinstance(call.args[0], _BUILT):
                built.append(f"{path.relative_to(ROOMS.parent)}:{call.lineno} {name}(...)")
    assert not built


def test_literals_given_to_i18n_gettext_are_marked():
    """`i18n.gettext(locale, "Text")`: Babel takes `gettext`'s first argument as the
    message, here the locale, and skips the call; `N_("Text")` puts it in the catalog."""
    unmarked = []
    for path in sorted(ROOMS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr in ("gettext", "ngettext") and any(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[1:]
            ):
                unmarked.append(f"{path.relative_to(ROOMS.parent)}:{node.lineno}")
    assert not unmarked


def test_every_domain_error_class_is_an_extraction_keyword():
    classes = {"DomainError"}
    trees = [ast.parse(p.read_text(), str(p)) for p in sorted(ROOMS.rglob("*.py"))]
    grew = True
    while grew:  # subclasses of subclasses too
        grew = False
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in classes:
                    bases = {getattr(b, "id", None) or getattr(b, "attr", None) for b in node.bases}
                    if bases & classes:
                        classes.add(node.name)
                        grew = True
    assert classes - set(KEYWORDS) == set()


def test_translations_written_on_branches_agree():
    """Two parts files giving one id different texts: the catalog would keep whichever was
    folded first, and the same word would read differently from page to page."""
    seen: dict[object, tuple[str, object]] = {}
    disagree = []
    for part in sorted((po_path("ru").parents[1] / "parts").glob("*.po")):
        with part.open("rb") as f:
            for message in read_po(f, locale="ru"):
                if not (message.id and message.string):
                    continue
                first = seen.setdefault(message.id, (part.name, message.string))
                if first[1] != message.string:
                    disagree.append((message.id, first, (part.name, message.string)))
    assert not disagree
