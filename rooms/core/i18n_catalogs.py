"""Catalog upkeep for `scripts/i18n` and the completeness test: the English catalog's
texts are its ids, and a catalog is complete when every entry is translated and none
is fuzzy."""

from __future__ import annotations

import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from rooms.core.i18n import DEFAULT_LOCALE, LOCALES, po_path

# What marks a message for extraction, for `scripts/i18n` (as pybabel's -k flags) and the
# catalog test (through Babel's API) alike. A message is the first argument unless the
# spec names others (`_tn(singular, plural, n)`). Every DomainError class is here: its
# first argument is the template the UI translates; a new subclass must be added.
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "t": None,
    "tf": None,
    "_t": None,
    "_tn": (1, 2),
    "N_": None,
    "DomainError": None,
    "InvalidInput": None,
    "Unauthorized": None,
    "Forbidden": None,
    "NotFound": None,
    "Conflict": None,
    "Gone": None,
    "RateLimited": None,
    "Busy": None,
    "ImageTooLarge": None,
    "StorageUnavailable": None,
    "LimitReached": None,
    "LiveKitUnavailable": None,
}
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def pybabel_flags() -> list[str]:
    flags = []
    for name, spec in KEYWORDS.items():
        flags += ["-k", f"{name}:{','.join(map(str, spec))}" if spec else name]
    return flags


def extract() -> Catalog:
    """Every message in the code, as `scripts/i18n` extracts it (babel.cfg: all `.py`)."""
    catalog = Catalog(locale=DEFAULT_LOCALE)
    found = extract_from_dir(
        str(PACKAGE_DIR),
        method_map=[("**.py", "python")],
        keywords={**DEFAULT_KEYWORDS, **KEYWORDS},
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read(locale: str) -> Catalog:
    with po_path(locale).open("rb") as f:
        return read_po(f, locale=locale)


def gaps(catalog: Catalog) -> list[str]:
    """Ids of entries with a missing text (any plural form) or still marked fuzzy."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(texts):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def placeholders(text: str) -> set[str]:
    """The `{name}` fields a text fills in (`{{` is a literal brace, not a field)."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def placeholder_mismatches(catalog: Catalog) -> list[str]:
    """Ids whose translation names other fields than the id does: `{max}` translated as
    `{макс}`, or a value dropped, fails at `.format()` or shows the wrong text."""
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        # Every plural form names the plural id's fields: it may stand for 21 or 1.
        wanted = placeholders(ids[-1])
        if any(text and placeholders(text) != wanted for text in texts):
            wrong.append(ids[0])
    return wrong


def fill_source(locale: str = DEFAULT_LOCALE) -> None:
    catalog = read(locale)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = (message.id[0], message.id[1])
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with po_path(locale).open("wb") as f:
        write_po(f, catalog, omit_header=False)


def fold_parts(locale: str) -> int:
    """Fill empty texts from `<locale>/parts/*.po` (translations written on a branch, so
    parallel work never edits the same catalog lines); returns how many were filled."""
    parts_dir = po_path(locale).parents[1] / "parts"
    known: dict[object, object] = {}
    for part in sorted(parts_dir.glob("*.po")):
        with part.open("rb") as f:
            for message in read_po(f, locale=locale):
                if message.id and message.string:
                    known[message.id] = message.string
    catalog = read(locale)
    filled = 0
    for message in catalog:
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id in known and (not all(texts) or message.fuzzy):
            message.string = known[message.id]
            message.flags.discard("fuzzy")
            filled += 1
    if filled:
        with po_path(locale).open("wb") as f:
            write_po(f, catalog, omit_header=False)
    return filled


def main(args: list[str]) -> None:
    if args == ["keywords"]:
        print(" ".join(pybabel_flags()))
        return
    fill_source()
    for locale in LOCALES:
        if locale != DEFAULT_LOCALE:
            fold_parts(locale)
    for locale in LOCALES:
        if locale != DEFAULT_LOCALE:
            todo = gaps(read(locale))
            print(f"{locale}: {len(todo)} to translate" if todo else f"{locale}: complete")


if __name__ == "__main__":
    main(sys.argv[1:])
