import httpx

from rooms.core import db as core_db
from rooms.core.db import make_engine


def test_health_ok(api_url: str) -> None:
    res = httpx.get(f"{api_url}/health")
    assert res.status_code == 200
    body = res.json()
    assert (body["status"], body["db"]) == ("ok", "ok")
    assert body["engine"] in ("local", "gladia") and body["engineStatus"]


def test_health_503_when_database_unreachable(api_url: str, monkeypatch) -> None:
    # A PostgreSQL URL on a port where nothing listens: the ping really fails.
    dead = make_engine("postgresql://nobody@127.0.0.1:1/none?connect_timeout=1")
    monkeypatch.setattr(core_db, "get_engine", lambda: dead)
    res = httpx.get(f"{api_url}/health", timeout=10)
    assert res.status_code == 503
    body = res.json()
    assert (body["status"], body["db"]) == ("error", "unreachable")


def test_metrics_prometheus_text(api_url: str) -> None:
    res = httpx.get(f"{api_url}/metrics")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/plain")
    assert "python_info" in res.text


def test_openapi_lists_every_route(api_url: str) -> None:
    spec = httpx.get(f"{api_url}/api/openapi.json").json()
    paths = spec["paths"]
    for path, method in [
        ("/api/auth/signup", "post"),
        ("/api/auth/login", "post"),
        ("/api/auth/logout", "post"),
        ("/api/auth/me", "get"),
        ("/api/identity/profile", "get"),
        ("/api/identity/profile", "patch"),
        ("/api/spaces", "get"),
        ("/api/spaces", "post"),
        ("/api/spaces/{space_id}", "patch"),
        ("/api/spaces/{space_id}", "delete"),
        ("/api/spaces/{space_id}/set-active", "post"),
        ("/api/spaces/{space_id}/mode", "patch"),
        ("/api/sessions", "get"),
        ("/api/sessions", "post"),
        ("/api/sessions/{slug}", "get"),
        ("/api/sessions/{slug}", "delete"),
        ("/api/sessions/{slug}/end", "post"),
        ("/health", "get"),
    ]:
        assert method in paths.get(path, {}), f"{method.upper()} {path} missing from OpenAPI"


def test_health_reports_the_video_server(api_url: str, livekit, settings_env) -> None:
    settings_env(LIVEKIT_URL=livekit.url)
    body = httpx.get(f"{api_url}/health").json()
    assert body["video"] == "reachable"
    settings_env(LIVEKIT_URL="ws://127.0.0.1:1")  # nothing listens there
    res = httpx.get(f"{api_url}/health", timeout=10)
    assert res.status_code == 200
    assert (res.json()["status"], res.json()["video"]) == ("ok", "unreachable")
