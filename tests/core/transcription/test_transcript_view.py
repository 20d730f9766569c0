"""What the transcript sidebar shows: partials in place, finals appended, a bounded window,
older pages from the database; and the SDK fast path agreeing with the SDK."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from rooms.core.db import get_engine, session_scope
from rooms.core.models import utcnow
from rooms.core.transcription import transcripts
from rooms.core.transcription.writer import SegmentRow, insert_rows
from rooms.state.transcript import LIVE_MAX, WINDOW, TranscriptState, shown
from rooms.state.transcript_reads import PAGE


def msg(uid: str, text: str, final: bool) -> dict:
    return {"type": "transcript", "utteranceId": uid, "text": text, "isFinal": final,
            "language": "en", "start": 0, "end": 1, "speaker": None}  # fmt: skip


def test_partials_update_in_place_and_window_is_bounded() -> None:
    state = TranscriptState(_reflex_internal_init=True)
    state.apply(msg("a", "hel", False))
    state.apply(msg("b", "other", False))
    state.apply(msg("a", "hello", False))
    state.apply(msg("a", "hello world", True))
    state.apply({"type": "error", "code": "X", "message": "ignored"})
    assert [(i.utteranceId, i.text, i.isFinal) for i in shown(state)] == [
        ("a", "hello world", True),
        ("b", "other", False),
    ]
    for n in range(WINDOW + 50):
        state.apply(msg(f"u{n}", f"line {n}", True))
    assert len(shown(state)) == WINDOW and state.has_older
    assert shown(state)[-1].text == f"line {WINDOW + 49}"
    state.apply(msg(f"u{WINDOW + 49}", "corrected", True))  # index still right after trimming
    assert shown(state)[-1].text == "corrected" and len(shown(state)) == WINDOW
    assert len(state.live) <= LIVE_MAX  # "b" never ended: it was settled, not kept live


def test_a_partial_changes_only_the_live_tail() -> None:
    """Two of three captions are partials: they must not touch (resend) the settled window."""
    state = TranscriptState(_reflex_internal_init=True)
    for n in range(50):
        state.apply(msg(f"f{n}", f"line {n}", True))
    settled = [dataclasses.replace(i) for i in state.items]
    state.dirty_vars.clear()
    state.apply(msg("p", "so", False))
    state.apply(msg("q", "and", False))
    state.apply(msg("p", "so then", False))
    state.apply(msg("q", "and we", True))  # held back: "p" began first and is still partial
    assert "items" not in state.dirty_vars and state.items == settled
    assert [(i.utteranceId, i.isFinal) for i in state.live] == [("p", False), ("q", True)]
    state.apply({"type": "retract", "utteranceId": "p"})  # "q" settles in its place
    assert not state.live and state.items[-1].text == "and we"
    assert [i.utteranceId for i in shown(state)][-2:] == ["f49", "q"]


def test_a_retracted_partial_leaves_every_page() -> None:
    """`retract` removes that utterance's partial; never a final, never anyone else's line."""
    state = TranscriptState(_reflex_internal_init=True)
    state.apply(msg("a", "the first", True))
    state.apply(msg("b", "uh hm", False))
    state.apply(msg("c", "and then", False))
    state.apply({"type": "retract", "utteranceId": "b"})
    state.apply({"type": "retract", "utteranceId": "a"})  # a saved final stays
    state.apply({"type": "retract", "utteranceId": "nobody"})
    state.apply({"type": "retract"})
    assert [(i.utteranceId, i.isFinal) for i in shown(state)] == [("a", True), ("c", False)]
    state.apply(msg("c", "and then we left", True))  # the index still points at the right row
    state.apply(msg("d", "next", False))
    assert [(i.utteranceId, i.text) for i in shown(state)] == [
        ("a", "the first"),
        ("c", "and then we left"),
        ("d", "next"),
    ]


def test_saved_transcript_pages(signed_in) -> None:
    client, _ = signed_in()
    slug = client.post("/api/sessions", json={}).json()["session"]["slug"]
    from tests.support.gateway import session_id

    sid = session_id(slug)
    t0 = utcnow()
    rows = [SegmentRow(sid, None, f"p{i}", f"said {i}", "en", t0 + timedelta(seconds=i), None)
            for i in range(PAGE + 30)]  # fmt: skip
    engine = get_engine()
    with engine.begin() as conn:
        insert_rows(conn, rows)
    with session_scope() as db:
        newest, more = transcripts.page(db, sid, limit=PAGE)
        assert more and len(newest) == PAGE
        assert [i["text"] for i in newest] == [f"said {i}" for i in range(30, PAGE + 30)]
        older, more = transcripts.page(db, sid, limit=PAGE, before=newest[0]["startedAt"])
        assert not more and [i["text"] for i in older] == [f"said {i}" for i in range(30)]
