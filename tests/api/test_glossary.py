"""GET/PUT /api/spaces/{id}/glossary over real HTTP. Who may call them, role by role, is in
matrix_routes.py; this is what they do."""

from __future__ import annotations

import httpx

from rooms.core.glossary import MAX_TERMS, TERM_MAX


def _space_with_member(signed_in) -> tuple[httpx.Client, httpx.Client, str]:
    owner, _ = signed_in("Olga Owner")
    member, member_user = signed_in("Mo Member")
    space = owner.post("/api/spaces", json={"name": "Glossary"}).json()["space"]["id"]
    res = owner.post(f"/api/spaces/{space}/members", json={"email": member_user["email"]})
    assert res.status_code == 201, res.text
    return owner, member, space


def test_the_owner_writes_it_and_members_read_it(signed_in) -> None:
    owner, member, space = _space_with_member(signed_in)
    url = f"/api/spaces/{space}/glossary"
    empty = owner.get(url).json()
    assert empty == {
        "terms": [],
        "canEdit": True,
        "maxTerms": MAX_TERMS,
        "maxTermLength": TERM_MAX,
    }

    terms = ["  Zhuravleva ", "okonkwo", "Okonkwo", "", "Kuber\tnetes  cluster", "Ngozi"]
    res = owner.put(url, json={"terms": terms})
    assert res.status_code == 200, res.text
    stored = ["Zhuravleva", "okonkwo", "Kuber netes cluster", "Ngozi"]
    assert res.json()["terms"] == stored  # trimmed, one spelling per term, order kept
    seen = member.get(url).json()
    assert (seen["terms"], seen["canEdit"]) == (stored, False)

    assert owner.put(url, json={"terms": []}).json()["terms"] == []
    assert member.get(url).json()["terms"] == []


def test_who_may_not_and_what_is_refused(signed_in) -> None:
    owner, member, space = _space_with_member(signed_in)
    outsider, _ = signed_in("Otto Outsider")
    url = f"/api/spaces/{space}/glossary"
    assert owner.put(url, json={"terms": ["Okonkwo"]}).status_code == 200

    res = member.put(url, json={"terms": ["mine"]})
    assert (res.status_code, res.json()["error"]) == (403, "NOT_SPACE_OWNER")
    res = outsider.get(url)
    assert (res.status_code, res.json()["error"]) == (404, "SPACE_NOT_FOUND")
    res = outsider.put(url, json={"terms": ["x"]})
    assert (res.status_code, res.json()["error"]) == (404, "SPACE_NOT_FOUND")

    too_many = [f"term {i}" for i in range(MAX_TERMS + 1)]
    for bad in (["x" * (TERM_MAX + 1)], too_many, ["bell \x07"], ["a\u202eb"]):
        res = owner.put(url, json={"terms": bad})
        assert (res.status_code, res.json()["error"]) == (400, "INVALID_INPUT"), bad[:2]
        assert res.json()["message"]
    for bad_body in ({"terms": "Okonkwo"}, {"terms": [1, 2]}, {}):
        res = owner.put(url, json=bad_body)
        assert res.status_code == 400, bad_body
        assert {"error", "message"} <= set(res.json())
    assert owner.get(url).json()["terms"] == ["Okonkwo"]  # refused writes changed nothing
    # Duplicates do not count against the limit.
    res = owner.put(url, json={"terms": ["Same"] * (MAX_TERMS + 5)})
    assert res.status_code == 200 and res.json()["terms"] == ["Same"]
    assert owner.get("/api/spaces/nope/glossary").json()["error"] == "SPACE_NOT_FOUND"
