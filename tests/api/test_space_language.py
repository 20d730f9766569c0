"""GET/PATCH /api/spaces/{id}/transcription over real HTTP, and the fields in the space's own
output. Who may call them, role by role, is in matrix_routes.py; this is what they do."""

from __future__ import annotations

import httpx

from rooms.core.space_language import LANGUAGES


def _space_with_member(signed_in) -> tuple[httpx.Client, httpx.Client, str]:
    owner, _ = signed_in("Olga Owner")
    member, member_user = signed_in("Mo Member")
    space = owner.post("/api/spaces", json={"name": "Languages"}).json()["space"]["id"]
    res = owner.post(f"/api/spaces/{space}/members", json={"email": member_user["email"]})
    assert res.status_code == 201, res.text
    return owner, member, space


def _listed(client: httpx.Client, space: str) -> dict:
    return next(s for s in client.get("/api/spaces").json()["spaces"] if s["id"] == space)


def test_the_owner_sets_it_and_members_read_it(signed_in) -> None:
    owner, member, space = _space_with_member(signed_in)
    url = f"/api/spaces/{space}/transcription"
    fresh = owner.get(url).json()
    assert (fresh["language"], fresh["codeSwitching"], fresh["canEdit"]) == (None, False, True)
    assert [x["code"] for x in fresh["languages"]] == list(LANGUAGES)
    assert {"en", "ru", "de", "fr", "es", "it", "pt", "nl", "pl", "uk", "tr", "ja", "zh"} <= set(
        LANGUAGES
    )
    assert isinstance(fresh["localModelEnglishOnly"], bool)
    listed = _listed(owner, space)
    assert (listed["transcriptionLanguage"], listed["codeSwitching"]) == (None, False)

    res = owner.patch(url, json={"language": "RU", "codeSwitching": True})
    assert res.status_code == 200, res.text
    assert (res.json()["language"], res.json()["codeSwitching"]) == ("ru", True)
    seen = member.get(url).json()
    assert (seen["language"], seen["codeSwitching"], seen["canEdit"]) == ("ru", True, False)
    listed = _listed(member, space)
    assert (listed["transcriptionLanguage"], listed["codeSwitching"]) == ("ru", True)

    back = owner.patch(url, json={"language": None, "codeSwitching": False}).json()
    assert (back["language"], back["codeSwitching"]) == (None, False)
    assert owner.patch(url, json={"language": ""}).json()["language"] is None


def test_who_may_not_and_what_is_refused(signed_in) -> None:
    owner, member, space = _space_with_member(signed_in)
    outsider, _ = signed_in("Otto Outsider")
    url = f"/api/spaces/{space}/transcription"
    assert owner.patch(url, json={"language": "de"}).status_code == 200

    res = member.patch(url, json={"language": "fr"})
    assert (res.status_code, res.json()["error"]) == (403, "NOT_SPACE_OWNER")
    for res in (outsider.get(url), outsider.patch(url, json={"language": "fr"})):
        assert (res.status_code, res.json()["error"]) == (404, "SPACE_NOT_FOUND")

    for bad in ("xx", "english", "en-US", " "):
        res = owner.patch(url, json={"language": bad})
        assert (res.status_code, res.json()["error"]) == (400, "INVALID_INPUT"), bad
        assert "de, fr" in res.json()["message"]  # the allowed list
    for bad in ({"language": 7}, {"language": "de", "codeSwitching": "yes"}):
        res = owner.patch(url, json=bad)
        assert res.status_code == 400, bad
    assert owner.get(url).json()["language"] == "de"  # nothing refused was stored
