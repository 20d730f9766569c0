"""PUT /api/sessions/{slug}/agenda: the worked example of docs/extending.md, over real HTTP.

Who may call it, role by role, is in matrix_routes.py; this is what it does."""

from __future__ import annotations

import httpx


def _space_with_member(signed_in) -> tuple[httpx.Client, httpx.Client, str]:
    owner, _ = signed_in("Olga Owner")
    member, member_user = signed_in("Mo Member")
    space = owner.post("/api/spaces", json={"name": "Agenda"}).json()["space"]["id"]
    res = owner.post(f"/api/spaces/{space}/members", json={"email": member_user["email"]})
    assert res.status_code == 201, res.text
    return owner, member, space


def test_the_creator_writes_it_and_anyone_with_the_link_reads_it(signed_in, new_client) -> None:
    owner, member, space = _space_with_member(signed_in)
    slug = member.post("/api/sessions", json={"spaceId": space}).json()["session"]["slug"]
    assert member.get(f"/api/sessions/{slug}").json()["session"]["agenda"] is None

    text = "1. Numbers\r\n2. Hiring\n\t- two people  "
    res = member.put(f"/api/sessions/{slug}/agenda", json={"agenda": text})
    assert res.status_code == 200, res.text
    assert res.json()["session"]["agenda"] == "1. Numbers\n2. Hiring\n\t- two people"
    with new_client() as anyone:  # the title's rule: the link is enough to read it
        assert anyone.get(f"/api/sessions/{slug}").json()["session"]["agenda"].startswith("1.")

    # The space owner may change it too; an empty agenda is no agenda.
    res = owner.put(f"/api/sessions/{slug}/agenda", json={"agenda": "   "})
    assert res.status_code == 200 and res.json()["session"]["agenda"] is None


def test_who_may_not_and_what_is_refused(signed_in) -> None:
    owner, member, space = _space_with_member(signed_in)
    outsider, _ = signed_in("Otto Outsider")
    slug = owner.post("/api/sessions", json={"spaceId": space}).json()["session"]["slug"]
    put = f"/api/sessions/{slug}/agenda"

    res = member.put(put, json={"agenda": "mine now"})
    assert (res.status_code, res.json()["error"]) == (403, "NOT_ALLOWED")
    res = outsider.put(put, json={"agenda": "hello"})
    assert (res.status_code, res.json()["error"]) == (404, "SESSION_NOT_FOUND")
    for bad in ("x" * 2001, "bell \x07", "a\u202eb"):
        res = owner.put(put, json={"agenda": bad})
        assert (res.status_code, res.json()["error"]) == (400, "INVALID_INPUT"), bad
    res = owner.put(put, json={"agenda": 42})
    assert res.status_code == 400

    assert owner.post(f"/api/sessions/{slug}/end").status_code == 200
    res = owner.put(put, json={"agenda": "too late"})
    assert (res.status_code, res.json()["error"]) == (410, "SESSION_ENDED")
    assert owner.get(f"/api/sessions/{slug}").json()["session"]["agenda"] is None
