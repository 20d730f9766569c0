"""rooms.core.i18n: which locale a viewer gets, Russian plurals, Babel's formatting per
locale, the catalog a browser receives, and domain errors as templates the UI translates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rooms.core import i18n
from rooms.core.errors import InvalidInput, RateLimited
from rooms.core.i18n_catalogs import placeholders, read
from rooms.core.validation import clean_text

# --- negotiate / resolve ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("ru-RU", "ru"),
        ("ru_RU", "ru"),
        ("RU", "ru"),
        ("en-US,en;q=0.9", "en"),
        # q-values, not the order written, say what is preferred
        ("en;q=0.5, ru;q=0.9", "ru"),
        ("de-DE, ru;q=0.3, en;q=0.2", "ru"),
        ("ru;q=0, en", "en"),
        ("ru;q=abc, en", "en"),
        # nothing we have
        ("de-DE,de;q=0.9", None),
        ("*", None),
        ("", None),
        (None, None),
    ],
)
def test_negotiate_reads_accept_language(header, expected):
    assert i18n.negotiate(header) == expected


def test_equal_weights_keep_the_header_order():
    assert i18n.negotiate("ru, en") == "ru"
    assert i18n.negotiate("en, ru") == "en"


def test_the_profile_choice_wins_over_the_browser():
    assert i18n.resolve("en", "ru-RU,ru;q=0.9") == "en"
    assert i18n.resolve("ru", "en-US") == "ru"


def test_without_a_choice_the_browser_decides_then_english():
    assert i18n.resolve(None, "ru-RU,ru;q=0.9") == "ru"
    assert i18n.resolve(None, "fr-FR,de;q=0.5") == "en"
    assert i18n.resolve(None, None) == "en"
    # a stored value we no longer offer counts as no choice
    assert i18n.resolve("xx", "ru") == "ru"


def test_clean_locale_accepts_ours_and_clears_on_empty():
    assert i18n.clean_locale("ru") == "ru"
    assert i18n.clean_locale(None) is None
    assert i18n.clean_locale("") is None
    with pytest.raises(InvalidInput) as caught:
        i18n.clean_locale("xx")
    assert caught.value.message == "Locale must be one of: en, ru."
    assert caught.value.code == "INVALID_INPUT"


# --- plurals -----------------------------------------------------------------------------

# Russian: 1, 21 -> the first form; 2, 22 -> the second; 5, 11, 111 -> the third.
RUSSIAN_FORMS = {1: 0, 2: 1, 5: 2, 11: 2, 21: 0, 22: 1, 111: 2}

_PLURAL_ENTRIES = [
    m for m in read("ru") if m.pluralizable and all(m.string) and not m.fuzzy and m.id
]


@pytest.mark.parametrize("entry", _PLURAL_ENTRIES, ids=lambda m: m.id[0])
def test_russian_plural_forms_of_the_catalog(entry):
    singular, plural = entry.id
    for n, form in RUSSIAN_FORMS.items():
        values = {name: "x" for name in placeholders(plural) if name != "n"}
        expected = entry.string[form].format(n=n, **values)
        assert i18n.ngettext("ru", singular, plural, n, **values) == expected, n


def test_russian_plural_rule_picks_three_forms(tmp_path, monkeypatch):
    """The mechanism itself, on a catalog written here: the ru header's rule and the
    catalog's three forms reach ngettext."""
    folder = tmp_path / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    plural_forms = dict(read("ru").mime_headers)["Plural-Forms"]
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n'
        f'"Plural-Forms: {plural_forms}\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "{n} minute"\nmsgid_plural "{n} minutes"\n'
        'msgstr[0] "{n} минута"\nmsgstr[1] "{n} минуты"\nmsgstr[2] "{n} минут"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n._translations.cache_clear()
    try:
        got = {n: i18n.ngettext("ru", "{n} minute", "{n} minutes", n) for n in RUSSIAN_FORMS}
    finally:
        monkeypatch.undo()
        i18n._translations.cache_clear()
    assert got == {
        1: "1 минута",
        2: "2 минуты",
        5: "5 минут",
        11: "11 минут",
        21: "21 минута",
        22: "22 минуты",
        111: "111 минут",
    }
    assert i18n.ngettext("en", "{n} minute", "{n} minutes", 1) == "1 minute"
    assert i18n.ngettext("en", "{n} minute", "{n} minutes", 21) == "21 minutes"


# --- formatting ----------------------------------------------------------------------------

MOMENT = datetime(2026, 3, 5, 14, 7, tzinfo=UTC)


def test_dates_and_times_in_english():
    assert i18n.format_datetime(MOMENT, "en") == "Mar 5, 2026, 2:07:00\u202fPM"
    assert i18n.format_date(MOMENT, "en") == "Mar 5, 2026"
    assert i18n.format_time(MOMENT, "en") == "2:07\u202fPM"
    # a naive moment is UTC, as the database stores it
    assert i18n.format_time(MOMENT.replace(tzinfo=None), "en") == "2:07\u202fPM"


def test_dates_and_times_in_russian():
    assert i18n.format_datetime(MOMENT, "ru") == "5 мар. 2026\u202fг., 14:07:00"
    assert i18n.format_date(MOMENT, "ru") == "5 мар. 2026\u202fг."
    assert i18n.format_time(MOMENT, "ru") == "14:07"


def test_durations():
    assert i18n.format_duration(45, "en") == "45 sec"
    assert i18n.format_duration(45, "ru") == "45 с"
    assert i18n.format_duration(3900, "en") == "65 min"
    assert i18n.format_duration(3900, "ru") == "65 мин"
    assert i18n.format_duration(-5, "en") == "0 sec"


def test_relative_times_follow_russian_plurals():
    ago = {
        n: i18n.format_relative(MOMENT - timedelta(minutes=n), "ru", now=MOMENT)
        for n in (1, 2, 5, 21)
    }
    assert ago == {
        1: "1 минуту назад",
        2: "2 минуты назад",
        5: "5 минут назад",
        21: "21 минуту назад",
    }
    assert i18n.format_relative(MOMENT + timedelta(hours=2), "ru", now=MOMENT) == "через 2 часа"
    assert i18n.format_relative(MOMENT - timedelta(minutes=5), "en", now=MOMENT) == "5 minutes ago"
    assert i18n.format_relative(MOMENT + timedelta(hours=2), "en", now=MOMENT) == "in 2 hours"


def test_language_names_in_the_readers_locale():
    assert i18n.language_name("de", "en") == "German"
    assert i18n.language_name("de", "ru") == "Немецкий"
    assert i18n.language_name("pt-BR", "en") == "Portuguese (Brazil)"
    assert i18n.language_name("pt-BR", "ru") == "Португальский (Бразилия)"
    assert i18n.language_name("not a code", "ru") == "not a code"


# --- the catalog the browser gets -------------------------------------------------------------


def test_english_sends_no_catalog():
    assert i18n.client_catalog("en") == {}


def test_russian_sends_only_russian_texts():
    catalog = i18n.client_catalog("ru")
    assert catalog["Session not found."] == "Сессия не найдена."
    ru = read("ru")
    for msgid, text in catalog.items():
        entry = ru[msgid]
        assert text == entry.string and not entry.fuzzy, msgid
    # untranslated and plural entries stay on the server (the server composes plurals)
    assert all(isinstance(k, str) and v for k, v in catalog.items())
    plural_ids = {m.id[0] for m in ru if m.pluralizable}
    assert not plural_ids & set(catalog)


def test_a_locale_without_a_catalog_sends_nothing():
    assert i18n.client_catalog("xx") == {}
    assert i18n.gettext("xx", "Session not found.") == "Session not found."


# --- domain errors as templates -----------------------------------------------------------------


def test_domain_error_keeps_template_and_values():
    exc = InvalidInput("Name must be at most {max} characters.", max=100)
    assert exc.message == str(exc) == "Name must be at most 100 characters."
    assert exc.template == "Name must be at most {max} characters."
    assert exc.params == {"max": 100}
    assert (
        i18n.gettext("ru", exc.template, **exc.params) == "Имя должно быть не длиннее 100 символов."
    )
    assert i18n.gettext("en", exc.template, **exc.params) == exc.message


def test_a_message_without_values_is_its_own_template():
    exc = InvalidInput("Enter a valid email address.", code="INVALID_EMAIL")
    assert exc.message == exc.template == "Enter a valid email address."
    assert exc.params == {}
    assert exc.code == "INVALID_EMAIL"
    assert i18n.gettext("ru", exc.template) == "Введите корректный адрес электронной почты."


def test_rate_limited_carries_retry_after_and_its_value():
    exc = RateLimited("Too many requests; try again in {seconds} s.", 17, seconds=17)
    assert exc.retry_after == 17
    assert exc.message == "Too many requests; try again in 17 s."
    assert (
        i18n.gettext("ru", exc.template, **exc.params)
        == "Слишком много запросов; повторите через 17 с."
    )


def test_field_checks_are_whole_sentences_per_field():
    with pytest.raises(InvalidInput) as caught:
        clean_text("x" * 61, "Space name", 60)
    assert caught.value.message == "Space name must be at most 60 characters."
    assert (
        i18n.gettext("ru", caught.value.template, **caught.value.params)
        == "Название пространства должно быть не длиннее 60 символов."
    )
    with pytest.raises(InvalidInput) as caught:
        clean_text("  ", "Title", 60)
    assert caught.value.message == "Title must not be empty."
    assert i18n.gettext("ru", caught.value.template) == "Название не может быть пустым."
    with pytest.raises(InvalidInput) as caught:
        clean_text("a\u202eb", "Name", 60)
    assert caught.value.message == "Name must not contain control or line-break characters."
    with pytest.raises(InvalidInput) as caught:
        clean_text("ab", "Name", 60, min_length=3)
    assert caught.value.message == "Name must be at least 3 characters."
    assert i18n.gettext("ru", caught.value.template, **caught.value.params) == (
        "Имя должно быть не короче 3 символов."
    )


def test_a_field_without_its_own_sentences_still_reads_right():
    with pytest.raises(InvalidInput) as caught:
        clean_text("", "Nickname", 10)
    assert caught.value.message == "Nickname must not be empty."
    assert (
        i18n.gettext("ru", caught.value.template, **caught.value.params)
        == "Поле «Nickname» не может быть пустым."
    )
