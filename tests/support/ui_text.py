"""What a page shows a reader, as text segments, and which of them are still English.

Used by the browser tests of pages translated in a `rooms/locale/ru/parts/<name>.po`: a
segment equal to one of that file's English ids (whose Russian differs) was missed."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po
from playwright.sync_api import Locator

PARTS = Path(__file__).resolve().parents[2] / "rooms" / "locale" / "ru" / "parts"

# Visible text, and the names and hints a reader (or a screen reader) gets from attributes.
_SEGMENTS_JS = """(root) => {
  const out = [];
  for (const line of root.innerText.split("\\n")) out.push(line);
  for (const el of root.querySelectorAll("[placeholder], [aria-label], [title]")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    for (const name of ["placeholder", "aria-label", "title"]) {
      const value = el.getAttribute(name);
      if (value) out.push(value);
    }
  }
  return out;
}"""


def english_ids(part: str) -> set[str]:
    """The English ids of one parts file whose Russian text is not the same words."""
    with (PARTS / f"{part}.po").open("rb") as f:
        catalog = read_po(f, locale="ru")
    ids = set()
    for message in catalog:
        if message.id and isinstance(message.id, str) and message.string != message.id:
            ids.add(message.id.strip())
    return ids


def segments(root: Locator) -> list[str]:
    """`root`: the part of the page that is the translated one's (a page's content, a
    dialog: dialogs and menus render outside the page's tree)."""
    return [s.strip() for s in root.evaluate(_SEGMENTS_JS) if s.strip()]


def english_left(root: Locator, part: str) -> list[str]:
    ids = english_ids(part)
    return sorted({s for s in segments(root) if s in ids})
