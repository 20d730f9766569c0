"""The transcription dialog: the language a space's live captions are transcribed in, or
auto-detect, and code switching. The owner picks them; members see them. It says plainly
when the installed offline model is English-only and how to install a multilingual one."""

from __future__ import annotations

import reflex as rx

from rooms.components.button import button
from rooms.components.modal import form_actions, modal, modal_actions
from rooms.core.space_language import LANGUAGES
from rooms.state.space_language import AUTO, SpaceLanguageState

L = SpaceLanguageState
SWITCHING_HINT = (
    "For meetings where speakers change language: each utterance's language is detected "
    "anew (Gladia). With a language picked, captions keep to that language."
)
ENGLISH_ONLY = (
    "The offline model installed here is English-only (like Whisper tiny.en, the default): "
    "when live captions run on the local engine they stay in English whatever is picked "
    "here. To transcribe other languages offline, point TRANSCRIPTION_MODEL_PATH at a "
    "multilingual CTranslate2 Whisper model (e.g. one converted from Whisper small) and "
    "restart."
)


def _english_only_note() -> rx.Component:
    return rx.cond(
        L.language_english_only_model,
        rx.callout(
            ENGLISH_ONLY,
            icon="info",
            size="1",
            color_scheme="amber",
            data_testid="language-english-only",
        ),
    )


def _editor() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text("Language", size="2", weight="medium", as_="label"),
            rx.select.root(
                rx.select.trigger(width="100%", data_testid="language-select"),
                rx.select.content(
                    rx.select.item("Auto-detect", value=AUTO),
                    *[rx.select.item(name, value=code) for code, name in LANGUAGES.items()],
                ),
                name="language",
                default_value=L.language_code,
            ),
            rx.el.label(
                rx.flex(
                    rx.switch(
                        name="code_switching",
                        default_checked=L.language_code_switching,
                        data_testid="language-code-switching",
                    ),
                    "Code switching",
                    gap="8px",
                    align="center",
                ),
                font_size="14px",
            ),
            rx.text(SWITCHING_HINT, size="1", color_scheme="gray"),
            _english_only_note(),
            form_actions("Save", loading=L.language_saving),
            spacing="3",
            align="stretch",
        ),
        on_submit=L.save_language,
    )


def _read_only() -> rx.Component:
    return rx.vstack(
        rx.text(
            "Language: ",
            rx.text.strong(L.language_label),
            size="2",
            data_testid="language-current",
        ),
        rx.text(
            "Code switching: ",
            rx.text.strong(rx.cond(L.language_code_switching, "on", "off")),
            size="2",
            data_testid="language-current-switching",
        ),
        _english_only_note(),
        rx.text(
            "Only the space owner can change the transcription language.",
            size="1",
            color_scheme="gray",
        ),
        modal_actions(rx.dialog.close(button("Done", variant="secondary"))),
        spacing="3",
        align="stretch",
    )


def language_dialog() -> rx.Component:
    return modal(
        "Transcription",
        rx.cond(L.language_can_edit, _editor(), _read_only()),
        open=L.language_open,
        on_open_change=L.set_language_open,
        description=L.active_space.name,
        test_id="space-language",
    )
