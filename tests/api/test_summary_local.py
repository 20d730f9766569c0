"""With the local engine there is no summary, and the API says why instead of pretending."""

from __future__ import annotations

from tests.support.meeting_script import session_row, usage


def test_local_engine_summary_is_unavailable_with_the_reason(signed_in) -> None:
    owner, _ = signed_in()
    slug = owner.post("/api/sessions", json={}).json()["session"]["slug"]
    session_id, _ = session_row(slug)
    usage(session_id, "local", 30.0)

    for _ in ("while it runs", "after it ended"):
        res = owner.get(f"/api/sessions/{slug}/summary")
        assert res.status_code == 200, res.text
        body = res.json()
        assert body["status"] == "UNAVAILABLE" and body["text"] is None
        assert "local engine" in body["reason"] and "no summarization model" in body["reason"]
        assert owner.post(f"/api/sessions/{slug}/end").status_code in (200, 410)
