"""A space's glossary: names and terms (people, products, jargon) the speech engines are told
to expect, so "Zhuravleva" is not heard as "Shura Vleva".

The rule is `spaces.is_owner`: members read the glossary, its owner edits it. The REST routes
and the Reflex state both go through `view` and `set_terms`; a transcription stream reads
it with `terms_for_space` after the streaming policy has admitted the stream.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session as DbSession

from rooms.core import spaces
from rooms.core.errors import InvalidInput
from rooms.core.models import Space, User, utcnow

MAX_TERMS = 100
TERM_MAX = 60
# Gladia and Whisper take words, not layout: control characters and the bidi overrides
# (which make a term read differently from what it is) are refused.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class GlossaryView:
    terms: list[str]
    can_edit: bool


def clean_terms(values: Iterable[object]) -> list[str]:
    """The terms as stored: inner whitespace collapsed, trimmed, empty ones dropped, the first
    spelling of a case-insensitive duplicate kept, in the order given."""
    terms: list[str] = []
    seen: set[str] = set()
    for value in values:
        if not isinstance(value, str):
            raise InvalidInput("Each glossary term must be a string.")
        if _UNSAFE.search(value.replace("\t", " ").replace("\n", " ").replace("\r", " ")):
            raise InvalidInput("A glossary term must not contain control characters.")
        term = " ".join(value.split())
        if not term:
            continue
        if len(term) > TERM_MAX:
            raise InvalidInput(
                "A glossary term must be at most {max} characters: {term}…",
                max=TERM_MAX,
                term=term[:24],
            )
        key = term.casefold()
        if key in seen:
            continue
        seen.add(key)
        terms.append(term)
    if len(terms) > MAX_TERMS:
        raise InvalidInput("A glossary holds at most {max} terms.", max=MAX_TERMS)
    return terms


def _stored(space: Space) -> list[str]:
    return list(space.glossary or [])


def view(db: DbSession, user: User, space_id: str) -> GlossaryView:
    """Any member reads it; to anyone else the space does not exist."""
    member = spaces.require_member(db, user, space_id)
    return GlossaryView(_stored(member.space), spaces.is_owner(member.role))


def set_terms(db: DbSession, user: User, space_id: str, terms: Iterable[object]) -> GlossaryView:
    """Replaces the whole glossary (the owner only); an empty list clears it."""
    space = spaces.require_owner(db, user, space_id)
    cleaned = clean_terms(terms)
    space.glossary = cleaned or None
    space.updated_at = utcnow()
    db.add(space)
    db.flush()
    return GlossaryView(cleaned, True)


def terms_for_space(db: DbSession, space_id: str) -> tuple[str, ...]:
    """What a stream in this space passes to its engine; the caller has been authorized."""
    space = db.get(Space, space_id)
    return tuple(_stored(space)) if space is not None else ()
