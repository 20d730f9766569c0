"""Pure pieces of search: the query parser's two renderings, what Alembic ignores."""

from __future__ import annotations

from rooms.core.search import include_name, parse_query, to_fts5, to_websearch


def test_query_renderings_agree() -> None:
    groups = parse_query('Budget "Q3 review" -draft OR (roadmap) "unterminated')
    assert (
        to_fts5(groups)
        == '("budget" AND "q3 review" NOT "draft") OR ("roadmap" AND "unterminated")'
    )
    assert to_websearch(groups) == 'budget "q3 review" -draft or roadmap unterminated'
    # Punctuation splits words the way both engines' tokenizers do.
    assert to_fts5(parse_query("e-mail don't")) == '"e mail" AND "don t"'
    assert parse_query("-only -exclusions") == []
    assert parse_query('*** "" OR ^') == []
    assert len([w for g in parse_query(" ".join(["w"] * 400)) for p in g.must for w in p]) == 32


def test_alembic_ignores_only_the_search_objects() -> None:
    assert not include_name("transcript_fts", "table", {})
    assert not include_name("transcript_fts_data", "table", {})
    assert include_name("transcript_segments", "table", {})
    assert not include_name("search_vector", "column", {"table_name": "transcript_segments"})
    assert include_name("search_vector", "column", {"table_name": "other"})
    assert not include_name("ix_segments_search", "index", {})
    assert include_name("ix_segments_session_started", "index", {})
