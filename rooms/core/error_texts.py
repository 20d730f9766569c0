"""The text the UI shows for a REST error that the browser received itself.

Forms that post from the browser (sign-in, sign-up) get `{"error": CODE, "message": English}`
back: the API keeps English for its clients. The message of a domain error is its template
with the values filled in, so it is found in the catalog either as it is (no values) or by
matching it against the templates that have `{fields}`; failing both, the code's own text
below says what happened in the viewer's language rather than in English.
"""

from __future__ import annotations

import re
from functools import cache

from rooms.core import i18n
from rooms.core.i18n import N_

# Codes whose message is composed (or that the browser makes up when there is no answer),
# and the generic text of a status class; each is a catalog id.
CODE_TEXTS: dict[str, str] = {
    "NETWORK": N_("Cannot reach the server. Check your connection and try again."),
    "RATE_LIMITED": N_("Too many attempts. Wait a minute and try again."),
    "WEAK_PASSWORD": N_("The password is too short."),
    "INVALID_INPUT": N_("Some of what you entered is not valid. Check it and try again."),
    "INVALID_JSON": N_("Some of what you entered is not valid. Check it and try again."),
    "EMAIL_TAKEN": N_("An account with this email already exists."),
    "INVALID_CREDENTIALS": N_("Email or password is incorrect."),
    "UNAUTHORIZED": N_("Sign in to continue."),
    "FORBIDDEN": N_("You are not allowed to do that."),
    "NOT_FOUND": N_("Not found."),
    "BUSY": N_("The server is busy. Try again in a moment."),
    "INTERNAL_ERROR": N_("Something went wrong on our side."),
}
FALLBACK = N_("Something went wrong. Try again.")

_FIELD = re.compile(r"\{(\w+)\}")
_MIN_LITERAL = 10


@cache
def _patterns(locale: str) -> list[tuple[re.Pattern[str], str]]:
    """Each catalog template with `{fields}` as a regex that captures their values."""
    found = []
    for msgid, text in i18n.client_catalog(locale).items():
        if not _FIELD.search(msgid):
            continue
        parts = _FIELD.split(msgid)  # literal, name, literal, name, ..., literal
        names = parts[1::2]
        # A template that is mostly fields ("{seconds} s") would match any message at all.
        if sum(len(p.strip()) for p in parts[0::2]) < _MIN_LITERAL:
            continue
        if len(set(names)) != len(names):
            continue  # a field used twice cannot be a plain named group
        regex = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        found.append((re.compile(f"^{regex}$", re.DOTALL), text))
    return found


def _from_catalog(message: str, locale: str) -> str | None:
    catalog = i18n.client_catalog(locale)
    if message in catalog:
        return catalog[message]
    for pattern, text in _patterns(locale):
        match = pattern.match(message)
        if match:
            try:
                return text.format(**match.groupdict())
            except (KeyError, IndexError, ValueError):
                return None
    return None


def error_text(code: str | None, message: str | None, locale: str) -> str:
    """What to show for an API error `{"error": code, "message": message}` in `locale`."""
    code, message = (code or "").strip(), (message or "").strip()
    if locale == i18n.DEFAULT_LOCALE:
        # The API's message is already the English text; a code alone gets its own.
        return message or CODE_TEXTS.get(code, FALLBACK)
    if message:
        translated = _from_catalog(message, locale)
        if translated:
            return translated
    return i18n.gettext(locale, CODE_TEXTS.get(code, FALLBACK))
