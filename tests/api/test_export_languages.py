"""Exports carry each segment's detected language: the transcript's languages in every
header that has one, and the lines in another language than the main one tagged (a space
with code switching), each format parsed back."""

from __future__ import annotations

import srt
import webvtt

from tests.support.seed import add_participant, add_segments

LINES = [
    (1.0, "Guten Morgen zusammen.", "de"),
    (4.0, "Wir fangen gleich an.", "de"),
    (7.0, "Quick question in English.", "en"),
    (10.0, "Danke, weiter.", "de"),
]


def _session(signed_in) -> tuple:
    client, user = signed_in("Greta Gruber")
    slug = client.post("/api/sessions", json={"title": "Standup"}).json()["session"]["slug"]
    greta = add_participant(slug, None, user_id=user["id"], identity=f"user-{user['id']}")
    add_segments(
        slug, [(at, greta, text) for at, text, _ in LINES], languages=[x[2] for x in LINES]
    )
    return client, slug


def _get(client, slug: str, fmt: str) -> str:
    res = client.get(f"/api/sessions/{slug}/transcript", params={"format": fmt})
    assert res.status_code == 200, res.text
    return res.text


def test_every_export_carries_the_languages(signed_in) -> None:
    client, slug = _session(signed_in)
    body = client.get(f"/api/sessions/{slug}/transcript", params={"format": "json"}).json()
    assert body["languages"] == ["de", "en"]  # the most spoken first
    assert [s["language"] for s in body["segments"]] == ["de", "de", "en", "de"]

    txt = _get(client, slug, "txt").splitlines()
    assert txt[1].endswith(" · Languages: de, en")
    assert txt[3] == "[00:01] Greta Gruber: Guten Morgen zusammen."
    assert txt[5] == "[00:07] Greta Gruber (en): Quick question in English."

    md = _get(client, slug, "md")
    assert "Languages: de, en*" in md
    assert "**Greta Gruber** \\(en\\) `00:07`" in md

    subs = list(srt.parse(_get(client, slug, "srt"), ignore_errors=False))
    assert [s.content.split(":")[0] for s in subs] == [
        "Greta Gruber",
        "Greta Gruber",
        "Greta Gruber (en)",
        "Greta Gruber",
    ]

    vtt = _get(client, slug, "vtt")
    assert vtt.startswith("WEBVTT\nLanguage: de, en\n\n")
    captions = webvtt.from_string(vtt).captions
    assert [c.voice for c in captions] == ["Greta Gruber"] * 4
    assert "<lang en>Quick question in English.</lang>" in captions[2].raw_text
    assert captions[2].text == "Quick question in English."
    assert captions[0].text == "Guten Morgen zusammen."
