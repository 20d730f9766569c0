"""The profile's language over REST, and the REST API staying English whatever the client
reads: `message` is English and `error` a stable code for every client."""

from __future__ import annotations

import pytest


def test_profile_locale_is_saved_and_read_back(signed_in):
    client, user = signed_in()
    assert user["locale"] is None
    res = client.patch("/api/identity/profile", json={"locale": "ru"})
    assert res.status_code == 200, res.text
    assert res.json()["user"]["locale"] == "ru"
    assert client.get("/api/identity/profile").json()["user"]["locale"] == "ru"


def test_a_locale_we_do_not_offer_is_refused(signed_in):
    client, _ = signed_in()
    res = client.patch("/api/identity/profile", json={"locale": "xx"})
    assert res.status_code == 400
    assert res.json() == {"error": "INVALID_INPUT", "message": "Locale must be one of: en, ru."}
    assert client.get("/api/identity/profile").json()["user"]["locale"] is None


def test_null_goes_back_to_the_browsers_language(signed_in):
    client, _ = signed_in()
    assert client.patch("/api/identity/profile", json={"locale": "ru"}).status_code == 200
    res = client.patch("/api/identity/profile", json={"locale": None})
    assert res.status_code == 200, res.text
    assert res.json()["user"]["locale"] is None
    assert client.get("/api/identity/profile").json()["user"]["locale"] is None


def test_other_fields_leave_the_locale_alone(signed_in):
    client, _ = signed_in()
    client.patch("/api/identity/profile", json={"locale": "ru"})
    res = client.patch("/api/identity/profile", json={"displayName": "Ада"})
    assert res.status_code == 200, res.text
    assert res.json()["user"]["locale"] == "ru"


RUSSIAN_BROWSER = {"Accept-Language": "ru-RU,ru;q=0.9"}


@pytest.mark.parametrize("profile_locale", [None, "ru"])
def test_errors_stay_english_for_a_russian_client(signed_in, profile_locale):
    client, _ = signed_in()
    if profile_locale:
        client.patch("/api/identity/profile", json={"locale": profile_locale})
    cases = [
        (
            client.patch(
                "/api/identity/profile", json={"name": "x" * 101}, headers=RUSSIAN_BROWSER
            ),
            400,
            "INVALID_INPUT",
            "Name must be at most 100 characters.",
        ),
        (
            client.patch("/api/identity/profile", json={"locale": "de"}, headers=RUSSIAN_BROWSER),
            400,
            "INVALID_INPUT",
            "Locale must be one of: en, ru.",
        ),
        (
            client.get("/api/sessions/no-such-session", headers=RUSSIAN_BROWSER),
            404,
            "SESSION_NOT_FOUND",
            "Session not found.",
        ),
    ]
    for res, status, code, message in cases:
        assert res.status_code == status, res.text
        assert res.json() == {"error": code, "message": message}
        assert "content-language" not in res.headers


def test_an_anonymous_russian_client_gets_english_errors(new_client):
    client = new_client()
    res = client.get("/api/identity/profile", headers=RUSSIAN_BROWSER)
    assert res.status_code == 401
    body = res.json()
    assert body["error"] == "UNAUTHORIZED"
    assert body["message"].isascii()
