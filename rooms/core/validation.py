"""Small input checks shared by the services, so every entry point rejects the same things."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rooms.core.errors import InvalidInput
from rooms.core.i18n import N_

# Deliberately simple: one @, something before, a dotted domain after, no spaces.
_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# What a one-line field must not hold: C0/C1 controls (U+0085 is a line break to many
# readers), the line and paragraph separators, and the bidi controls that make a name read
# differently from what it is (U+202A-U+202E, U+2066-U+2069, the marks U+200E/F, U+061C).
UNSAFE_IN_LINE_RE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
)


@dataclass(frozen=True)
class FieldMessages:
    """What a text field's checks say, each sentence whole: a translation has to agree
    with the field's noun (Russian nouns have genders), so no template takes the field's
    name as a value."""

    unsafe: str
    empty: str
    too_short: str  # {min}
    too_long: str  # {max}


# Keyed by the English label the callers pass; N_() puts every sentence in the catalog.
FIELDS: dict[str, FieldMessages] = {
    "Name": FieldMessages(
        N_("Name must not contain control or line-break characters."),
        N_("Name must not be empty."),
        N_("Name must be at least {min} characters."),
        N_("Name must be at most {max} characters."),
    ),
    "Display name": FieldMessages(
        N_("Display name must not contain control or line-break characters."),
        N_("Display name must not be empty."),
        N_("Display name must be at least {min} characters."),
        N_("Display name must be at most {max} characters."),
    ),
    "Space name": FieldMessages(
        N_("Space name must not contain control or line-break characters."),
        N_("Space name must not be empty."),
        N_("Space name must be at least {min} characters."),
        N_("Space name must be at most {max} characters."),
    ),
    "Title": FieldMessages(
        N_("Title must not contain control or line-break characters."),
        N_("Title must not be empty."),
        N_("Title must be at least {min} characters."),
        N_("Title must be at most {max} characters."),
    ),
    "Avatar URL": FieldMessages(
        N_("Avatar URL must not contain control or line-break characters."),
        N_("Avatar URL must not be empty."),
        N_("Avatar URL must be at least {min} characters."),
        N_("Avatar URL must be at most {max} characters."),
    ),
}
# A label not in FIELDS still gets a message (in English it reads the same); the catalog
# translates these with the label quoted as a value.
_ANY_FIELD = FieldMessages(
    N_("{field} must not contain control or line-break characters."),
    N_("{field} must not be empty."),
    N_("{field} must be at least {min} characters."),
    N_("{field} must be at most {max} characters."),
)


def clean_text(value: str, field: str, max_length: int, *, min_length: int = 1) -> str:
    messages = FIELDS.get(field, _ANY_FIELD)
    text = value.strip()
    if UNSAFE_IN_LINE_RE.search(text):
        raise InvalidInput(messages.unsafe, field=field)
    if len(text) < min_length:
        if min_length == 1:
            raise InvalidInput(messages.empty, field=field)
        raise InvalidInput(messages.too_short, field=field, min=min_length)
    if len(text) > max_length:
        raise InvalidInput(messages.too_long, field=field, max=max_length)
    return text


def clean_optional_text(value: str | None, field: str, max_length: int) -> str | None:
    if value is None:
        return None
    text = value.strip()
    return clean_text(text, field, max_length) if text else None


def clean_email(value: str) -> str:
    email = value.strip().lower()
    if len(email) > 320 or _CONTROL_RE.search(email) or not _EMAIL_RE.match(email):
        raise InvalidInput("Enter a valid email address.", code="INVALID_EMAIL")
    return email


def is_lookup_key(value: str, max_length: int = 64) -> bool:
    """Could this be an id or slug at all? Anything else cannot exist, so skip the query
    (PostgreSQL would also reject a NUL byte outright)."""
    return 0 < len(value) <= max_length and "\x00" not in value
