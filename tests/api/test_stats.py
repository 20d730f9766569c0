"""GET /api/sessions/{slug}/stats over real HTTP: a scripted meeting's figures, exactly;
an ACTIVE session counts its open visits up to now; outsiders learn nothing (404)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support.meeting_script import (
    end_at,
    participant_id,
    script_visits,
    session_row,
    started_ago,
    usage,
    visits,
    webhook,
)
from tests.support.seed import add_segments


def _at(origin: datetime, seconds: float) -> str:
    return (origin + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def _same_moment(wire: str | None, expected: str) -> bool:
    assert wire is not None
    parse = lambda v: datetime.fromisoformat(v.replace("Z", "+00:00"))  # noqa: E731
    return parse(wire) == parse(expected)


def test_stats_of_a_scripted_meeting(signed_in, new_client) -> None:
    owner, _ = signed_in(name="Olive Owner")
    slug = owner.post("/api/sessions", json={"title": "Planning"}).json()["session"]["slug"]
    session_id, origin = session_row(slug)
    owner_identity = owner.post(f"/api/sessions/{slug}/participants/join", json={}).json()[
        "identity"
    ]
    guest = new_client()
    join = guest.post(f"/api/sessions/{slug}/participants/join", json={"name": "Gus Guest"})
    guest_identity = join.json()["identity"]
    # The guest's connection drops and comes back (LiveKit's webhooks), then they rejoin
    # from a second tab while still there (one stretch), and finally leave.
    owner_id = participant_id(session_id, owner_identity)
    guest_id = participant_id(session_id, guest_identity)
    webhook(owner, "participant_left", slug, guest_identity)
    webhook(owner, "participant_joined", slug, guest_identity)
    assert [left is None for _, left in visits(guest_id)] == [False, True]
    guest.post(f"/api/sessions/{slug}/participants/join", json={"name": "Gus Guest"})
    assert [left is None for _, left in visits(guest_id)] == [False, True]
    webhook(owner, "participant_left", slug, guest_identity)
    assert [left is None for _, left in visits(owner_id)] == [True]
    assert [left is None for _, left in visits(guest_id)] == [False, False]

    # The script: the owner is there from 0 s to the end (600 s, never marked as left);
    # the guest from 60 to 180 s and from 240 to 360 s.
    script_visits(owner_id, origin, [(0, None)])
    script_visits(guest_id, origin, [(60, 180), (240, 360)])
    add_segments(slug, [(10, owner_id, "one two three"), (20, owner_id, "four five")], 2.5)
    # The guest's two lines overlap by a second: that second is counted once.
    add_segments(slug, [(70, guest_id, "six seven eight nine"), (73, guest_id, "ten")], 4.0)
    add_segments(slug, [(400, None, "nobody knows who said this")], 3.0)
    usage(session_id, "local", 42.5)
    usage(session_id, "client", 99.0)  # what a page reported: never counted
    assert owner.post(f"/api/sessions/{slug}/end").status_code == 200
    end_at(slug, 600)

    res = owner.get(f"/api/sessions/{slug}/stats")
    assert res.status_code == 200, res.text
    body = res.json()
    people = body.pop("participants")
    assert body == {
        "durationSeconds": 600.0,
        "words": 15,
        "transcriptionSeconds": 42.5,
        "engine": "local",
    }
    assert [set(p) for p in people] == [
        {
            "name",
            "role",
            "joinedAt",
            "leftAt",
            "presentSeconds",
            "speakingSeconds",
            "words",
        }
    ] * 2
    olive, gus = people
    assert (olive["name"], olive["role"]) == ("Olive Owner", "HOST")
    assert (olive["presentSeconds"], olive["speakingSeconds"], olive["words"]) == (600.0, 5.0, 5)
    assert _same_moment(olive["joinedAt"], _at(origin, 0))
    assert _same_moment(olive["leftAt"], _at(origin, 600)), "cut at the end of the session"
    assert (gus["name"], gus["role"]) == ("Gus Guest", "GUEST")
    assert (gus["presentSeconds"], gus["speakingSeconds"], gus["words"]) == (240.0, 7.0, 5)
    assert _same_moment(gus["joinedAt"], _at(origin, 60))
    assert _same_moment(gus["leftAt"], _at(origin, 360))


def test_an_active_session_counts_open_visits_up_to_now(signed_in) -> None:
    owner, _ = signed_in(name="Nora Now")
    slug = owner.post("/api/sessions", json={}).json()["session"]["slug"]
    session_id, _ = session_row(slug)
    identity = owner.post(f"/api/sessions/{slug}/participants/join", json={}).json()["identity"]
    # Started 200 s ago; joined 100 s ago and still here.
    started_ago(slug, 200)
    script_visits(participant_id(session_id, identity), datetime.now(UTC), [(-100, None)])

    body = owner.get(f"/api/sessions/{slug}/stats").json()
    (nora,) = body["participants"]
    assert nora["leftAt"] is None
    assert 100.0 <= nora["presentSeconds"] < 130.0
    assert 200.0 <= body["durationSeconds"] < 230.0
    assert (body["words"], body["transcriptionSeconds"], nora["speakingSeconds"]) == (0, 0, 0)


def test_outsiders_learn_nothing(signed_in, new_client) -> None:
    owner, _ = signed_in()
    slug = owner.post("/api/sessions", json={}).json()["session"]["slug"]
    stranger, _ = signed_in(name="Stranger")
    for path in ("stats", "summary"):
        res = stranger.get(f"/api/sessions/{slug}/{path}")
        assert res.status_code == 404, res.text
        assert res.json() == {"error": "SESSION_NOT_FOUND", "message": "Session not found."}
        assert stranger.get(f"/api/sessions/abc-defg-hij/{path}").status_code == 404
        anonymous = new_client().get(f"/api/sessions/{slug}/{path}")
        assert anonymous.status_code == 401 and anonymous.json()["error"]
        assert owner.get(f"/api/sessions/{slug}/{path}").status_code == 200
