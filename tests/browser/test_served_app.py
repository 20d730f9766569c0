"""Issue acceptance, end to end over HTTP against the real app (`reflex run --env prod`):
pages, the mounted REST API and /health on one port, with a cookie jar per person."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.support.app_server import deprecations, start_log
from tests.support.helpers import unique_email

pytestmark = pytest.mark.browser


def _person(app_url: str, name: str, email: str | None = None) -> httpx.Client:
    client = httpx.Client(base_url=app_url, timeout=30)
    body = {"email": email or unique_email(), "password": "a long password", "name": name}
    res = client.post("/api/auth/signup", json=body)
    assert res.status_code == 201, res.text
    return client


def test_one_port_serves_pages_api_and_health(app_url: str) -> None:
    with httpx.Client(base_url=app_url, timeout=30, follow_redirects=True) as client:
        health = client.get("/health")
        assert health.status_code == 200
        body = health.json()
        assert (body["status"], body["db"]) == ("ok", "ok") and body["engineStatus"]
        page = client.get("/")
        assert page.status_code == 200 and "<html" in page.text.lower()
        assert client.get("/api/openapi.json").json()["info"]["title"] == "Rooms API"
        missing = client.get("/api/nothing-here")
        assert missing.status_code == 404 and missing.json()["error"] == "NOT_FOUND"
        assert "python_info" in client.get("/metrics").text


def test_acceptance_flow(app_url: str) -> None:
    owner = _person(app_url, "Owner")
    spaces = owner.get("/api/spaces").json()
    assert len(spaces["spaces"]) == 1
    first = spaces["spaces"][0]["id"]
    assert spaces["activeSpaceId"] == first

    second = owner.post("/api/spaces", json={"name": "Second"}).json()["space"]["id"]
    assert owner.delete(f"/api/spaces/{first}").json() == {"activeSpaceId": second}
    last = owner.delete(f"/api/spaces/{second}")
    assert last.status_code == 409 and last.json()["error"] == "LAST_SPACE"

    member_email = unique_email("member")
    member = _person(app_url, "Member", member_email)
    added = owner.post(f"/api/spaces/{second}/members", json={"email": member_email})
    assert added.status_code == 201
    for res in [
        member.patch(f"/api/spaces/{second}", json={"name": "x"}),
        member.delete(f"/api/spaces/{second}"),
        member.patch(f"/api/spaces/{second}/mode", json={"mode": "SESSIONS_AND_TASKS"}),
    ]:
        assert res.status_code == 403 and res.json()["error"] == "NOT_SPACE_OWNER"

    slugs = [
        owner.post("/api/sessions", json={"title": f"S{i}"}).json()["session"]["slug"]
        for i in range(5)
    ]
    page1 = owner.get("/api/sessions", params={"limit": 2}).json()
    page2 = owner.get("/api/sessions", params={"limit": 2, "cursor": page1["nextCursor"]}).json()
    page3 = owner.get("/api/sessions", params={"limit": 2, "cursor": page2["nextCursor"]}).json()
    listed = [s["slug"] for p in (page1, page2, page3) for s in p["sessions"]]
    assert listed == slugs[::-1] and page3["nextCursor"] is None

    assert owner.post(f"/api/sessions/{slugs[0]}/end").json()["session"]["status"] == "ENDED"
    assert owner.post(f"/api/sessions/{slugs[0]}/end").status_code == 410
    assert owner.delete(f"/api/sessions/{slugs[1]}").status_code == 204
    assert owner.get(f"/api/sessions/{slugs[1]}").status_code == 404

    assert owner.post("/api/auth/logout").status_code == 200
    assert owner.get("/api/sessions").status_code == 401


def test_no_deprecation_warning_at_start(app_url: str, app_log: Path) -> None:
    """Reflex 0.11 readiness: nothing the production start-up prints is going away (Reflex's
    own deprecations, and Python's DeprecationWarnings, which the app shows here)."""
    assert deprecations(start_log(app_log).read_text(errors="replace")) == []
