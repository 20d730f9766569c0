"""The UI's languages: gettext catalogs read with Babel, the locale a viewer gets, and
dates, times and durations formatted for it.

The catalogs are the `.po` files under `rooms/locale/` (extracted from the code with
`pybabel extract`, see `babel.cfg`). They are read as text at start-up, so there is no
compiled `.mo` file to forget to rebuild. English is the source language: its catalog
holds the message ids themselves, and a message missing from a catalog shows in English.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from rooms.core.errors import InvalidInput

LOCALES: tuple[str, ...] = ("en", "ru")
DEFAULT_LOCALE = "en"
# A signed-out visitor's pick, kept by the browser; the UI sets it, exports read it.
LOCALE_COOKIE = "rooms_locale"
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
# What the switcher shows: each language in its own name, so anyone can find theirs.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "ru": "Русский"}


def N_(message: str) -> str:
    """Marks a message for extraction where it is translated later (tables, constants)."""
    return message


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def clean_locale(value: str | None) -> str | None:
    """A locale a person may pick, or None to go back to the browser's."""
    if value is None or value == "":
        return None
    if value not in LOCALES:
        raise InvalidInput("Locale must be one of: {choices}.", choices=", ".join(LOCALES))
    return value


def negotiate(accept_language: str | None) -> str | None:
    """The best of our locales for an `Accept-Language` header, or None."""
    wanted: list[tuple[float, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and quality > 0:
            # Stable for equal weights: earlier tags first, as the header lists them.
            wanted.append((-quality + index * 1e-6, tag.strip().replace("_", "-")))
    preferred = [tag for _, tag in sorted(wanted)]
    found = Locale.negotiate(preferred, list(LOCALES), sep="-") if preferred else None
    return str(found) if found else None


def resolve(chosen: str | None, accept_language: str | None) -> str:
    """The viewer's locale: what they picked, else what the browser asks for, else English."""
    if chosen in LOCALES:
        return chosen
    return negotiate(accept_language) or DEFAULT_LOCALE


@cache
def _translations(locale: str) -> Translations:
    path = po_path(locale)
    if not path.exists():
        return Translations()
    with path.open("rb") as f:
        catalog = read_po(f, locale=locale)
    buffer = io.BytesIO()
    # Fuzzy entries are guesses a translator has not confirmed: English is shown instead.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def gettext(locale: str, message: str, **values: object) -> str:
    text = _translations(locale).gettext(message)
    return text.format(**values) if values else text


def ngettext(locale: str, singular: str, plural: str, n: int, **values: object) -> str:
    """`n` picks the form by the locale's plural rule (Russian has three) and is also
    available to the text as `{n}`."""
    text = _translations(locale).ngettext(singular, plural, n)
    return text.format(n=n, **values)


@cache
def client_catalog(locale: str) -> dict[str, str]:
    """The singular messages of one locale, id to text, for the browser: only the viewer's
    locale is sent, and English sends nothing (the ids are the English text)."""
    path = po_path(locale)
    if locale == DEFAULT_LOCALE or not path.exists():
        return {}
    with path.open("rb") as f:
        catalog = read_po(f, locale=locale)
    return {
        str(m.id): str(m.string)
        for m in catalog
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }


# --- dates, times, durations -----------------------------------------------------------


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_datetime(moment: datetime, locale: str, fmt: str = "medium") -> str:
    return babel_dates.format_datetime(_aware(moment), format=fmt, tzinfo=UTC, locale=locale)


def format_stamp(moment: datetime, locale: str) -> str:
    """A moment as lists and files show it: the seed's day-month-year order with the
    locale's month name, in UTC and saying so."""
    return format_datetime(moment, locale, "d MMM y, HH:mm") + " UTC"


def format_date(moment: datetime, locale: str, fmt: str = "medium") -> str:
    return babel_dates.format_date(_aware(moment).date(), format=fmt, locale=locale)


def format_time(moment: datetime, locale: str, fmt: str = "short") -> str:
    return babel_dates.format_time(_aware(moment), format=fmt, tzinfo=UTC, locale=locale)


def format_duration(seconds: float, locale: str) -> str:
    """`1 h 5 min`-style length of a session, rounded to what a reader cares about."""
    return babel_dates.format_timedelta(
        timedelta(seconds=max(seconds, 0)), threshold=1.1, format="short", locale=locale
    )


def format_relative(moment: datetime, locale: str, now: datetime | None = None) -> str:
    """`5 minutes ago` / `in 2 hours`."""
    delta = _aware(moment) - (now or datetime.now(UTC))
    return babel_dates.format_timedelta(delta, add_direction=True, locale=locale)


def language_name(code: str, locale: str) -> str:
    """A language code (`de`, `pt-BR`) in words in the reader's locale."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(locale)
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:] if name else code
