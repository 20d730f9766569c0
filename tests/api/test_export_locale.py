"""The headers of the files people read (plain text, Markdown) are in the reader's UI
language, found as the UI finds it (profile, then the `rooms_locale` cookie, then
Accept-Language); the files programs and players read are the same bytes in every language."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.support.seed import add_participant, add_segments, add_translations, set_session_start

STARTED = datetime(2026, 3, 9, 14, 5, tzinfo=UTC)
LINES = [(1.0, "Good morning, everyone.", "en"), (4.0, "Guten Morgen.", "de")]


def _session(signed_in, title: str = "") -> tuple:
    client, user = signed_in("Ella English")
    body = {"title": title} if title else {}
    slug = client.post("/api/sessions", json=body).json()["session"]["slug"]
    set_session_start(slug, STARTED)
    ella = add_participant(slug, None, user_id=user["id"], identity=f"user-{user['id']}")
    ids = add_segments(
        slug, [(at, ella, text) for at, text, _ in LINES], languages=[x[2] for x in LINES]
    )
    add_translations(ids[:1], "de", ["Guten Morgen zusammen."])
    return client, slug


def _get(client, slug: str, fmt: str, language: str = "", **headers: str) -> str:
    res = client.get(
        f"/api/sessions/{slug}/transcript",
        params={"format": fmt, "language": language},
        headers=headers,
    )
    assert res.status_code == 200, res.text
    return res.text


def test_a_russian_reader_gets_russian_headers(signed_in) -> None:
    client, slug = _session(signed_in)
    russian = {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}

    txt = _get(client, slug, "txt", "de", **russian).splitlines()
    assert txt[0] == f"Встреча {slug}"
    assert txt[1] == "9 мар. 2026, 14:05 UTC · Языки: en, de · Перевод: de"
    assert txt[3] == "[00:01] Ella English: Guten Morgen zusammen."  # lines stay as said

    md = _get(client, slug, "md", **russian)
    assert md.startswith(f"# Встреча {slug}\n") and "Языки: en, de*" in md

    english = _get(client, slug, "txt", "de", **{"Accept-Language": "en-US"}).splitlines()
    assert english[0] == f"Session {slug}"
    assert english[1] == "9 Mar 2026, 14:05 UTC · Languages: en, de · Translation: de"


def test_machine_read_formats_are_the_same_in_every_language(signed_in) -> None:
    client, slug = _session(signed_in, title="Standup")
    for fmt in ("json", "srt", "vtt"):
        en = _get(client, slug, fmt, "de", **{"Accept-Language": "en"})
        ru = _get(client, slug, fmt, "de", **{"Accept-Language": "ru"})
        assert en == ru, fmt


def test_the_profile_wins_over_the_cookie_and_the_cookie_over_the_browser(signed_in) -> None:
    client, slug = _session(signed_in, title="Standup")
    client.cookies.set("rooms_locale", "ru")
    assert "Языки:" in _get(client, slug, "txt", **{"Accept-Language": "en"})

    assert client.patch("/api/identity/profile", json={"locale": "en"}).status_code == 200
    assert "Languages:" in _get(client, slug, "txt", **{"Accept-Language": "ru"})
