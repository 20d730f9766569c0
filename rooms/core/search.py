"""Full-text search over every transcript in the spaces a user belongs to.

SQLite uses the FTS5 table `transcript_fts` (external content = transcript_segments, by
rowid), PostgreSQL the generated column `transcript_segments.search_vector` with a GIN
index; both are created by the migration `transcript_search` and kept in step by the
database. User input never reaches either query language as is: it is parsed here into
words, "phrases", -exclusions and OR, and re-rendered for each engine.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session as DbSession

from rooms.core.db_types import UTCDateTime
from rooms.core.errors import InvalidInput
from rooms.core.models import User
from rooms.core.transcripts import Speaker, clock, link_to, offset_seconds, speaker_from

QUERY_MAX = 500
TERMS_MAX = 32
LIMIT_MAX = 50
OFFSET_MAX = 1000

# The search objects the models do not describe; Alembic must not propose to drop them.
FTS_TABLE = "transcript_fts"
PG_COLUMN = "search_vector"
PG_INDEX = "ix_segments_search"

# Private-use characters mark matches inside snippets; they never occur in speech.
_HIT_START, _HIT_END = "\ue000", "\ue001"
_WORD_RE = re.compile(r"[^\W_]+")
_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic filter (env.py and the migration test): ignore the full-text objects."""
    if name is None:
        return True
    if type_ == "table":
        return name != FTS_TABLE and not name.startswith(FTS_TABLE + "_")
    if type_ == "column" and parent_names.get("table_name") == "transcript_segments":
        return name != PG_COLUMN
    if type_ == "index":
        return name != PG_INDEX
    return True


# --- the query --------------------------------------------------------------------


Phrase = tuple[str, ...]


@dataclass
class Group:
    """Everything in `must` and nothing in `must_not`; groups are alternatives (OR)."""

    must: list[Phrase] = field(default_factory=list)
    must_not: list[Phrase] = field(default_factory=list)


def parse_query(q: str) -> list[Group]:
    groups, group, terms = [], Group(), 0
    for m in _TOKEN_RE.finditer(q[:QUERY_MAX]):
        negated, quoted, bare = m.group(1) == "-", m.group(2), m.group(3)
        if bare is not None and bare.upper() == "OR":
            groups.append(group)
            group = Group()
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = True, bare[1:]
        words = tuple(w.lower() for w in _WORD_RE.findall(quoted if bare is None else bare))
        words = words[: max(0, TERMS_MAX - terms)]
        if not words:
            continue
        terms += len(words)
        (group.must_not if negated else group.must).append(words)
    groups.append(group)
    # A group with only exclusions would mean "everything except": not a search.
    return [g for g in groups if g.must]


def to_fts5(groups: list[Group]) -> str:
    def phrase(p: Phrase) -> str:
        return '"' + " ".join(p) + '"'

    parts = []
    for g in groups:
        text = " AND ".join(phrase(p) for p in g.must)
        text += "".join(f" NOT {phrase(p)}" for p in g.must_not)
        parts.append(f"({text})" if len(groups) > 1 else text)
    return " OR ".join(parts)


def to_websearch(groups: list[Group]) -> str:
    """PostgreSQL's websearch_to_tsquery syntax, which never raises on any input."""

    def phrase(p: Phrase) -> str:
        return p[0] if len(p) == 1 else '"' + " ".join(p) + '"'

    return " or ".join(
        " ".join([phrase(p) for p in g.must] + ["-" + phrase(p) for p in g.must_not])
        for g in groups
    )


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, value = raw.split(":", 1)
        offset = int(value)
        if kind != "o" or not 0 < offset <= OFFSET_MAX or not value.isdigit():
            raise ValueError(raw)
        return offset
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("cursor is not valid.", code="INVALID_CURSOR") from None


# --- results ----------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    segment_id: str
    session_slug: str
    session_title: str | None
    space_id: str
    space_name: str
    speaker: Speaker
    started_at: datetime
    start: float  # seconds since the session started
    text: str
    parts: list[tuple[str, bool]]  # the snippet: (text, is a match)
    score: float  # higher is better

    @property
    def time_label(self) -> str:
        return clock(self.start)

    @property
    def link(self) -> str:
        return link_to(self.session_slug, self.start, self.segment_id)

    @property
    def snippet_html(self) -> str:
        return "".join(
            f"<mark>{html.escape(t)}</mark>" if hit else html.escape(t) for t, hit in self.parts
        )


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    next_cursor: str | None


def snippet_parts(raw: str) -> list[tuple[str, bool]]:
    parts, hit = [], False
    for piece in re.split(f"([{_HIT_START}{_HIT_END}])", raw):
        if piece == _HIT_START:
            hit = True
        elif piece == _HIT_END:
            hit = False
        elif piece:
            parts.append((piece, hit))
    return parts


_COLUMNS = """
    s.id AS segment_id, ss.slug, ss.title, ss.space_id, sp.name AS space_name,
    ss.created_at, s.started_at, s.text, p.id AS participant_id, p.name AS participant_name,
    p.identity, COALESCE(u.display_name, u.name) AS user_name, u.avatar_url, u.no_avatar_color
"""
_JOINS = """
    JOIN sessions ss ON ss.id = s.session_id
    JOIN spaces sp ON sp.id = ss.space_id
    JOIN space_members m ON m.space_id = ss.space_id AND m.user_id = :uid
    LEFT JOIN participants p ON p.id = s.participant_id
    LEFT JOIN users u ON u.id = p.user_id
"""

_SQLITE_SEARCH = sa.text(f"""
    SELECT {_COLUMNS}, s.rowid, -bm25(transcript_fts) AS score
    FROM transcript_fts
    JOIN transcript_segments s ON s.rowid = transcript_fts.rowid
    {_JOINS}
    WHERE transcript_fts MATCH :q
    ORDER BY score DESC, s.started_at DESC, s.id
    LIMIT :lim OFFSET :off
""").columns(created_at=UTCDateTime(), started_at=UTCDateTime())
# Snippets only for the page being returned (snippet() on every match would be slow).
_SQLITE_SNIPPETS = sa.text(f"""
    SELECT rowid, snippet(transcript_fts, 0, '{_HIT_START}', '{_HIT_END}', '…', 24)
    FROM transcript_fts WHERE transcript_fts MATCH :q AND rowid IN :rowids
""").bindparams(sa.bindparam("rowids", expanding=True))

_PG_SEARCH = sa.text(f"""
    WITH query AS (SELECT websearch_to_tsquery('english', :q) AS tsq)
    SELECT page.*, ts_headline('english', page.text, query.tsq, :opts)
    FROM (
        SELECT {_COLUMNS}, ts_rank(s.search_vector, query.tsq, 1) AS score
        FROM transcript_segments s
        CROSS JOIN query
        {_JOINS}
        WHERE s.search_vector @@ query.tsq
        ORDER BY score DESC, s.started_at DESC, s.id
        LIMIT :lim OFFSET :off
    ) AS page CROSS JOIN query
    ORDER BY page.score DESC, page.started_at DESC, page.segment_id
""").columns(created_at=UTCDateTime(), started_at=UTCDateTime())
_PG_HEADLINE = (
    f'StartSel="{_HIT_START}", StopSel="{_HIT_END}", MaxWords=30, MinWords=12, ShortWord=2'
)


def _hit(row: sa.Row, snippet: str, score: float) -> Hit:
    sid, slug, title, space_id, space_name, created, started, text, *speaker = row[:14]
    return Hit(
        segment_id=sid,
        session_slug=slug,
        session_title=title,
        space_id=space_id,
        space_name=space_name,
        speaker=speaker_from(*speaker),
        started_at=started,
        start=offset_seconds(created, started),
        text=text,
        parts=snippet_parts((snippet or text).strip()),
        score=float(score),
    )


def search(
    db: DbSession, user: User, q: str, *, limit: int = 20, cursor: str | None = None
) -> SearchPage:
    if not q.strip():
        raise InvalidInput("Type something to search for.", code="EMPTY_QUERY")
    if len(q) > QUERY_MAX:
        raise InvalidInput(
            "q must be at most {max} characters.", code="QUERY_TOO_LONG", max=QUERY_MAX
        )
    limit = max(1, min(limit, LIMIT_MAX))
    offset = _decode_cursor(cursor) if cursor else 0
    groups = parse_query(q)
    if not groups:
        return SearchPage([], None)
    params = {"uid": user.id, "lim": limit + 1, "off": offset}
    if db.get_bind().dialect.name == "sqlite":
        match = to_fts5(groups)
        rows = db.connection().execute(_SQLITE_SEARCH, {**params, "q": match}).all()
        rows = rows[: limit + 1]
        page = rows[:limit]
        snippets = dict(
            db.connection()
            .execute(_SQLITE_SNIPPETS, {"q": match, "rowids": [r[14] for r in page]})
            .all()
            if page
            else []
        )
        hits = [_hit(r, snippets.get(r[14], ""), r[15]) for r in page]
    else:
        params |= {"q": to_websearch(groups), "opts": _PG_HEADLINE}
        rows = db.connection().execute(_PG_SEARCH, params).all()
        page = rows[:limit]
        hits = [_hit(r, r[15], r[14]) for r in page]
    more = len(rows) > limit and offset + limit < OFFSET_MAX
    return SearchPage(hits, _encode_cursor(offset + limit) if more else None)
