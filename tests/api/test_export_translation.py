"""Exports in a translation (`?language=de`): each line reads in the chosen language where its
translation was saved and as spoken otherwise (tagged with that language); JSON keeps the
original and adds the translation; the languages with translations are listed; a language
that is not a choice is refused with INVALID_LANGUAGE; outsiders get nothing (404)."""

from __future__ import annotations

import srt
import webvtt

from tests.support.seed import add_participant, add_segments, add_translations

LINES = [(1.0, "Good morning, everyone."), (4.0, "Let us start."), (7.0, "One more thing.")]
GERMAN = ["Guten Morgen zusammen.", "Fangen wir an.", None]  # the last one never arrived


def _session(signed_in) -> tuple:
    client, user = signed_in("Ella English")
    slug = client.post("/api/sessions", json={"title": "Standup"}).json()["session"]["slug"]
    ella = add_participant(slug, None, user_id=user["id"], identity=f"user-{user['id']}")
    ids = add_segments(slug, [(at, ella, text) for at, text in LINES])
    add_translations(ids, "de", GERMAN)
    add_translations(ids[:1], "fr", ["Bonjour à tous."])
    return client, slug


def _get(client, slug: str, fmt: str, language: str = "de"):
    return client.get(
        f"/api/sessions/{slug}/transcript", params={"format": fmt, "language": language}
    )


def test_exports_read_in_the_chosen_translation(signed_in) -> None:
    client, slug = _session(signed_in)
    body = _get(client, slug, "json").json()
    assert body["translations"] == ["de", "fr"] and body["translationLanguage"] == "de"
    assert [s["text"] for s in body["segments"]] == [t for _, t in LINES]
    assert [s["translation"] for s in body["segments"]] == GERMAN

    original = _get(client, slug, "json", language="").json()
    assert original["translations"] == ["de", "fr"] and "translationLanguage" not in original
    assert "translation" not in original["segments"][0]

    res = _get(client, slug, "txt")
    assert res.headers["content-disposition"].endswith('-transcript.de.txt"')
    txt = res.text.splitlines()
    assert txt[1].endswith(" · Languages: en · Translation: de")
    assert txt[3:] == [
        "[00:01] Ella English: Guten Morgen zusammen.",
        "[00:04] Ella English: Fangen wir an.",
        "[00:07] Ella English (en): One more thing.",
    ]

    subs = list(srt.parse(_get(client, slug, "srt").text, ignore_errors=False))
    assert [s.content for s in subs] == [
        "Ella English: Guten Morgen zusammen.",
        "Ella English: Fangen wir an.",
        "Ella English (en): One more thing.",
    ]

    vtt = _get(client, slug, "vtt").text
    assert vtt.startswith("WEBVTT\nLanguage: de\n\n")
    captions = webvtt.from_string(vtt).captions
    assert [c.text for c in captions] == ["Guten Morgen zusammen.", "Fangen wir an.", LINES[2][1]]
    assert "<lang en>One more thing.</lang>" in captions[2].raw_text

    assert "Fangen wir an." in _get(client, slug, "md").text
    french = _get(client, slug, "txt", language="FR").text.splitlines()
    assert french[3] == "[00:01] Ella English: Bonjour à tous."


def test_a_language_that_is_not_a_choice_is_refused(signed_in) -> None:
    client, slug = _session(signed_in)
    for bad in ("xx", "de\nLanguage: en", "original"):
        res = _get(client, slug, "txt", language=bad)
        assert res.status_code == 400, bad
        assert res.json()["error"] == "INVALID_LANGUAGE"


def test_outsiders_get_no_translation(signed_in) -> None:
    _, slug = _session(signed_in)
    outsider, _ = signed_in("Olga Outsider")
    assert _get(outsider, slug, "json").status_code == 404
