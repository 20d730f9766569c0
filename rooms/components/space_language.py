"""The transcription dialog: the language a space's live captions are transcribed in, or
auto-detect, and code switching. The owner picks them; members see them. It says plainly
when the installed offline model is English-only and how to install a multilingual one."""

from __future__ import annotations

import reflex as rx

from rooms.components.button import button
from rooms.components.i18n import t
from rooms.components.modal import form_actions, modal, modal_actions
from rooms.core.i18n import N_
from rooms.state.space_language import AUTO, SpaceLanguageState

L = SpaceLanguageState
SWITCHING_HINT = N_(
    "For meetings where speakers change language: each utterance's language is detected "
    "anew (Gladia). With a language picked, captions keep to that language."
)
ENGLISH_ONLY = N_(
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
            t(ENGLISH_ONLY),
            icon="info",
            size="1",
            color_scheme="amber",
            data_testid="language-english-only",
        ),
    )


def _editor() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(t("Language"), size="2", weight="medium", as_="label"),
            rx.select.root(
                rx.select.trigger(width="100%", data_testid="language-select"),
                rx.select.content(
                    rx.select.item(t("Auto-detect"), value=AUTO),
                    rx.foreach(
                        L.language_choices,
                        lambda choice: rx.select.item(choice["label"], value=choice["value"]),
                    ),
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
                    t("Code switching"),
                    gap="8px",
                    align="center",
                ),
                font_size="14px",
            ),
            rx.text(t(SWITCHING_HINT), size="1", color_scheme="gray"),
            _english_only_note(),
            form_actions(t("Save"), loading=L.language_saving),
            spacing="3",
            align="stretch",
        ),
        on_submit=L.save_language,
    )


def _read_only() -> rx.Component:
    return rx.vstack(
        rx.text(
            t("Language:"),
            " ",
            rx.text.strong(L.language_label),
            size="2",
            data_testid="language-current",
        ),
        rx.text(
            t("Code switching:"),
            " ",
            rx.text.strong(rx.cond(L.language_code_switching, t("on"), t("off"))),
            size="2",
            data_testid="language-current-switching",
        ),
        _english_only_note(),
        rx.text(
            t("Only the space owner can change the transcription language."),
            size="1",
            color_scheme="gray",
        ),
        modal_actions(rx.dialog.close(button(t("Done"), variant="secondary"))),
        spacing="3",
        align="stretch",
    )


def language_dialog() -> rx.Component:
    return modal(
        t("Transcription"),
        rx.cond(L.language_can_edit, _editor(), _read_only()),
        open=L.language_open,
        on_open_change=L.set_language_open,
        description=L.active_space.name,
        test_id="space-language",
    )
