"""Small input checks shared by the services, so every entry point rejects the same things."""

from __future__ import annotations

import re

from rooms.core.errors import InvalidInput

# Deliberately simple: one @, something before, a dotted domain after, no spaces.
_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# What a one-line field must not hold: C0/C1 controls (U+0085 is a line break to many
# readers), the line and paragraph separators, and the bidi controls that make a name read
# differently from what it is (U+202A-U+202E, U+2066-U+2069, the marks U+200E/F, U+061C).
UNSAFE_IN_LINE_RE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
)


def clean_text(value: str, field: str, max_length: int, *, min_length: int = 1) -> str:
    text = value.strip()
    if UNSAFE_IN_LINE_RE.search(text):
        raise InvalidInput(f"{field} must not contain control or line-break characters.")
    if len(text) < min_length:
        raise InvalidInput(
            f"{field} must not be empty."
            if min_length == 1
            else f"{field} must be at least {min_length} characters."
        )
    if len(text) > max_length:
        raise InvalidInput(f"{field} must be at most {max_length} characters.")
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
