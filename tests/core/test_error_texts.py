"""The text the sign-in forms show for an API error, in the viewer's language."""

from __future__ import annotations

from rooms.core.error_texts import CODE_TEXTS, FALLBACK, error_text


def test_english_shows_the_api_message_as_it_came() -> None:
    assert error_text("EMAIL_TAKEN", "An account with this email already exists.", "en") == (
        "An account with this email already exists."
    )


def test_a_message_that_is_a_catalog_id_comes_out_translated() -> None:
    text = error_text("INVALID_CREDENTIALS", "Email or password is incorrect.", "ru")
    assert text == "Неверный адрес электронной почты или пароль."


def test_a_filled_in_template_is_found_and_filled_again() -> None:
    # Any catalog template with fields: the values come back out of the English text.
    assert error_text("X", "Space “Design crew” created", "ru") == (
        "Пространство «Design crew» создано"
    )


def test_a_composed_message_falls_back_to_its_codes_text() -> None:
    text = error_text("RATE_LIMITED", "Slow down, 12 requests in 3.2 s", "ru")
    assert text == "Слишком много попыток. Подождите минуту и попробуйте ещё раз."


def test_no_answer_at_all_has_a_text_in_both_languages() -> None:
    assert error_text("NETWORK", "", "en") == CODE_TEXTS["NETWORK"]
    assert error_text("NETWORK", "", "ru").startswith("Не удаётся связаться с сервером")


def test_an_unknown_english_message_is_not_shown_to_a_russian_reader() -> None:
    assert error_text("HTTP_502", "Bad gateway from upstream", "ru") == (
        "Что-то пошло не так. Попробуйте ещё раз."
    )
    assert error_text("", "", "en") == FALLBACK
