"""The transcript of a session: order, speakers, access, and every export format parsed back."""

from __future__ import annotations

import html
import json
from datetime import timedelta

import srt
import webvtt

from tests.support.seed import add_participant, add_segments

LINES = [
    (3.0, "ada", "Good morning, everyone."),
    (75.5, "bob", "Let's review the <budget> & the roadmap --> today."),
    (12.25, "ada", "Before that,\n\nquick   introductions."),
    (3725.0, None, "An unattributed remark after an hour."),
]


def _session_with_lines(signed_in, title: str = "Weekly sync"):
    client, user = signed_in("Ada Lovelace")
    slug = client.post("/api/sessions", json={"title": title}).json()["session"]["slug"]
    ada = add_participant(slug, None, user_id=user["id"], identity=f"user-{user['id']}")
    bob = add_participant(slug, "Bob Guest")
    who = {"ada": ada, "bob": bob, None: None}
    ids = add_segments(slug, [(t, who[p], text) for t, p, text in LINES])
    return client, user, slug, ids


def test_json_is_ordered_by_time_with_speakers(signed_in) -> None:
    client, user, slug, ids = _session_with_lines(signed_in)
    res = client.get(f"/api/sessions/{slug}/transcript", params={"format": "json"})
    assert res.status_code == 200, res.text
    assert res.headers["content-type"] == "application/json"
    assert res.headers["content-disposition"] == f'attachment; filename="{slug}-transcript.json"'
    body = res.json()
    assert body["session"]["slug"] == slug and body["session"]["title"] == "Weekly sync"
    segs = body["segments"]
    assert [s["start"] for s in segs] == [3.0, 12.25, 75.5, 3725.0]
    assert [s["id"] for s in segs] == [ids[0], ids[2], ids[1], ids[3]]
    # A participant without a stored name is named after their account.
    assert [s["speaker"]["name"] for s in segs] == [
        "Ada Lovelace",
        "Ada Lovelace",
        "Bob Guest",
        "Unknown speaker",
    ]
    assert segs[0]["speaker"]["color"] == user["noAvatarColor"]
    assert segs[0]["end"] == 5.5 and segs[0]["isFinal"] is True


def test_srt_parses_back(signed_in) -> None:
    client, _, slug, _ = _session_with_lines(signed_in)
    res = client.get(f"/api/sessions/{slug}/transcript", params={"format": "srt"})
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("application/x-subrip")
    assert res.headers["content-disposition"].endswith(f'filename="{slug}-transcript.srt"')
    subs = list(srt.parse(res.text, ignore_errors=False))
    assert [s.index for s in subs] == [1, 2, 3, 4]
    assert subs[0].start == timedelta(seconds=3) and subs[0].end == timedelta(seconds=5.5)
    assert subs[1].content == "Ada Lovelace: Before that, quick introductions."
    assert subs[2].content.startswith("Bob Guest: Let's review the <budget>")
    assert subs[3].start == timedelta(hours=1, seconds=125)
    # What the library composes from what it parsed is what we served: nothing was lost.
    assert srt.compose(subs, reindex=False) == res.text


def test_vtt_parses_back_with_voices(signed_in) -> None:
    client, _, slug, ids = _session_with_lines(signed_in)
    res = client.get(f"/api/sessions/{slug}/transcript", params={"format": "vtt"})
    assert res.status_code == 200
    assert res.headers["content-type"] == "text/vtt; charset=utf-8"
    assert res.text.startswith("WEBVTT\n")
    captions = webvtt.from_string(res.text).captions
    assert len(captions) == 4
    assert captions[0].start == "00:00:03.000" and captions[0].end == "00:00:05.500"
    assert captions[0].identifier == ids[0]
    assert [c.voice for c in captions] == [
        "Ada Lovelace",
        "Ada Lovelace",
        "Bob Guest",
        "Unknown speaker",
    ]
    # Markup in speech is escaped, so the cue text reads as said and no "-->" breaks a cue.
    assert "&lt;budget&gt; &amp; the roadmap --&gt; today." in captions[2].raw_text
    # webvtt-py strips the voice tag but leaves entities: a player decodes them.
    said = "Let's review the <budget> & the roadmap --> today."
    assert html.unescape(captions[2].text).endswith(said)
    assert captions[3].start == "01:02:05.000"


def test_txt_and_markdown(signed_in) -> None:
    client, _, slug, _ = _session_with_lines(signed_in, title="Plan *now*")
    txt = client.get(f"/api/sessions/{slug}/transcript", params={"format": "txt"})
    assert txt.headers["content-type"] == "text/plain; charset=utf-8"
    lines = txt.text.splitlines()
    assert lines[0] == "Plan *now*"
    assert lines[3] == "[00:03] Ada Lovelace: Good morning, everyone."
    assert lines[-1] == "[1:02:05] Unknown speaker: An unattributed remark after an hour."
    md = client.get(f"/api/sessions/{slug}/transcript", params={"format": "md"})
    assert md.headers["content-type"] == "text/markdown; charset=utf-8"
    assert md.headers["content-disposition"].endswith('.md"')
    assert md.text.startswith("# Plan \\*now\\*\n")
    said = "Let's review the \\<budget\\> & the roadmap --\\> today."
    assert f"**Bob Guest** `01:15`  \n{said}" in md.text


def test_default_format_is_json_and_empty_transcript_is_valid(signed_in) -> None:
    client, _ = signed_in()
    slug = client.post("/api/sessions", json={}).json()["session"]["slug"]
    assert client.get(f"/api/sessions/{slug}/transcript").json()["segments"] == []
    assert (
        webvtt.from_string(client.get(f"/api/sessions/{slug}/transcript?format=vtt").text).captions
        == []
    )
    assert list(srt.parse(client.get(f"/api/sessions/{slug}/transcript?format=srt").text)) == []
    assert json.loads(client.get(f"/api/sessions/{slug}/transcript?format=JSON").text)


def test_only_members_of_the_space_read_it(signed_in, new_client) -> None:
    owner, _, slug, _ = _session_with_lines(signed_in)
    stranger, _ = signed_in("Eve")
    for fmt in ("json", "txt", "srt"):
        res = stranger.get(f"/api/sessions/{slug}/transcript", params={"format": fmt})
        assert res.status_code == 404 and res.json()["error"] == "SESSION_NOT_FOUND"
    unknown = stranger.get("/api/sessions/zzz-zzzz-zzz/transcript")
    assert unknown.status_code == 404 and unknown.json()["error"] == "SESSION_NOT_FOUND"
    anonymous = new_client().get(f"/api/sessions/{slug}/transcript")
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "UNAUTHORIZED"
    # Once added to the space, the same person reads it.
    space_id = owner.get("/api/auth/me").json()["user"]["activeSpaceId"]
    eve_email = stranger.get("/api/auth/me").json()["user"]["email"]
    assert owner.post(f"/api/spaces/{space_id}/members", json={"email": eve_email}).is_success
    assert len(stranger.get(f"/api/sessions/{slug}/transcript").json()["segments"]) == 4


def test_bad_format_is_a_400_in_the_error_contract(signed_in) -> None:
    client, _, slug, _ = _session_with_lines(signed_in)
    for bad in ("pdf", "", "x" * 100, "srt\x00", "../json"):
        res = client.get(f"/api/sessions/{slug}/transcript", params={"format": bad})
        assert res.status_code == 400, (bad, res.text)
        assert set(res.json()) >= {"error", "message"}
    assert client.get(f"/api/sessions/{slug}/transcript?format=pdf").json()["error"] == (
        "INVALID_FORMAT"
    )
