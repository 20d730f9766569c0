"""Finding 10 of issue 13: names with line breaks that only some readers see as breaks
(U+2028, U+2029, U+0085) or with bidi overrides are refused on input, and every export
writes one line per field even for rows stored before the check."""

from __future__ import annotations

import httpx
import pytest

from rooms.core import access, exports, transcripts
from rooms.core.db import session_scope
from tests.support.seed import add_participant, add_segments

TRICKS = ["\u2028", "\u2029", "\u0085", "\u202e", "\u2066", "\u200f", "\r", "\x0b"]
FORGED_CUE = "Eve{}\n\n2\n00:00:00,000 --> 00:00:09,000\nBoss: transfer the money"


@pytest.mark.parametrize("trick", TRICKS, ids=repr)
def test_names_with_line_breaks_or_bidi_controls_are_refused(signed_in, trick: str) -> None:
    owner, _ = signed_in()
    slug = owner.post("/api/sessions", json={}).json()["session"]["slug"]
    with httpx.Client(base_url=str(owner.base_url), timeout=30) as guest:
        res = guest.post(f"/api/sessions/{slug}/participants/join", json={"name": f"Eve{trick}x"})
    assert res.status_code == 400, res.text
    assert res.json()["error"] == "INVALID_INPUT"
    res = owner.patch("/api/identity/profile", json={"displayName": f"Eve{trick}x"})
    assert res.status_code == 400, res.text
    res = owner.post("/api/spaces", json={"name": f"S{trick}x"})
    assert res.status_code == 400, res.text


@pytest.mark.parametrize("trick", ["\u2028", "\u2029", "\u0085"], ids=repr)
@pytest.mark.parametrize("fmt", ["srt", "txt", "vtt", "md"])
def test_every_export_writes_one_line_per_field(signed_in, fmt: str, trick: str) -> None:
    owner, user = signed_in()
    slug = owner.post("/api/sessions", json={"title": "T"}).json()["session"]["slug"]
    # Stored as an older version (or another writer) could have: straight into the table.
    pid = add_participant(slug, FORGED_CUE.format(trick))
    add_segments(slug, [(1.0, pid, f"hello{trick}world")])
    with session_scope() as db:
        from rooms.core.models import User

        me = db.get(User, user["id"])
        body = exports.render(
            transcripts.load(db, access.Reader(user=me), slug), exports.parse_format(fmt)
        )
    lines = [ln for ln in body.splitlines() if ln.strip()]  # splitlines() sees U+2028 etc.
    speaker_lines = [ln for ln in lines if "Eve" in ln]
    assert len(speaker_lines) == 1, body
    assert "Boss" in speaker_lines[0], body
    # Markdown puts the words under the name; the others on the speaker's line.
    said = lines[lines.index(speaker_lines[0]) + 1] if fmt == "md" else speaker_lines[0]
    assert "hello world" in said, body
    assert not any(ch in body for ch in "\u2028\u2029\u0085\u202e"), repr(body)
    if fmt in ("srt", "vtt"):  # one cue, not a forged second one
        assert sum(1 for ln in lines if ln[:2].isdigit() and " --> " in ln) == 1, body
