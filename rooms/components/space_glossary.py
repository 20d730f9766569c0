"""The glossary dialog: the names and terms live captions should spell right. The owner
edits them one per line; members see the list."""

from __future__ import annotations

import reflex as rx

from rooms.components.button import button
from rooms.components.i18n import t, tf
from rooms.components.modal import form_actions, modal, modal_actions
from rooms.core.glossary import MAX_TERMS, TERM_MAX
from rooms.core.i18n import N_
from rooms.state.glossary import SpaceGlossaryState

G = SpaceGlossaryState
HINT = N_(
    "People's names, products, jargon: one per line, up to {terms} of at most "
    "{chars} characters. Live captions in this space's sessions spell them this way."
)


def _editor() -> rx.Component:
    return rx.form(
        rx.text_area(
            name="terms",
            default_value=G.glossary_text,
            placeholder=t("Natalia Zhuravleva\nKubernetes"),
            rows="10",
            width="100%",
            aria_label=t("Glossary terms, one per line"),
            auto_focus=True,
            data_testid="glossary-terms",
        ),
        rx.text(tf(HINT, terms=MAX_TERMS, chars=TERM_MAX), size="1", color_scheme="gray"),
        form_actions(t("Save"), loading=G.glossary_saving),
        on_submit=G.save_glossary,
    )


def _read_only() -> rx.Component:
    return rx.vstack(
        rx.cond(
            G.glossary_terms.length() > 0,  # type: ignore[attr-defined]
            rx.flex(
                rx.foreach(
                    G.glossary_terms,
                    lambda term: rx.badge(
                        term, variant="soft", size="2", data_testid="glossary-term"
                    ),
                ),
                wrap="wrap",
                gap="6px",
            ),
            rx.text(t("No terms yet."), size="2", color=rx.color("gray", 10)),
        ),
        rx.text(t("Only the space owner can change the glossary."), size="1", color_scheme="gray"),
        modal_actions(rx.dialog.close(button(t("Done"), variant="secondary"))),
        spacing="3",
        align="stretch",
    )


def glossary_dialog() -> rx.Component:
    return modal(
        t("Glossary"),
        rx.cond(G.glossary_can_edit, _editor(), _read_only()),
        open=G.glossary_open,
        on_open_change=G.set_glossary_open,
        description=G.active_space.name,
        test_id="space-glossary",
    )
