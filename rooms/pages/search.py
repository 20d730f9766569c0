"""/search: one box over every transcript in the viewer's spaces; each result opens the
transcript at the moment it was said."""

from __future__ import annotations

import reflex as rx

from rooms.components.avatar import avatar
from rooms.components.i18n import t
from rooms.components.layout import app_shell, loading
from rooms.state.search import SearchHit
from rooms.state.search import SearchState as S


def _result(hit: SearchHit) -> rx.Component:
    return rx.link(
        rx.card(
            rx.hstack(
                avatar(hit.initials, hit.color, hit.avatar, size="28px"),
                rx.vstack(
                    rx.hstack(
                        rx.text(hit.title, size="2", weight="bold"),
                        rx.text(hit.space, size="1", color_scheme="gray"),
                        spacing="2",
                        align="baseline",
                        wrap="wrap",
                    ),
                    # Escaped on the server; only <mark> around the matches is markup.
                    rx.html(hit.snippet, class_name="search-snippet"),
                    rx.text(
                        hit.speaker + " · " + hit.time + " · " + hit.date,
                        size="1",
                        color_scheme="gray",
                    ),
                    spacing="1",
                    align="start",
                ),
                spacing="3",
                align="start",
            ),
            width="100%",
        ),
        href=hit.link,
        underline="none",
        color="inherit",
        width="100%",
        data_testid="search-result",
    )


def search() -> rx.Component:
    return app_shell(
        rx.vstack(
            rx.heading(t("Search transcripts"), size="6"),
            rx.form(
                rx.hstack(
                    rx.input(
                        placeholder=t('Words, "a phrase", -exclude, this OR that'),
                        value=S.query,
                        on_change=S.set_query,
                        aria_label=t("Search"),
                        name="q",
                        width="100%",
                        size="3",
                    ),
                    rx.button(t("Search"), type="submit", size="3", loading=S.searching),
                    width="100%",
                ),
                on_submit=S.submit,
                width="100%",
            ),
            rx.cond(S.error != "", rx.callout(S.error, icon="triangle_alert", color_scheme="red")),
            rx.cond(S.auth_checked, rx.fragment(), loading()),
            rx.cond(
                S.no_results,
                rx.text(t("No transcript mentions that yet."), color_scheme="gray"),
            ),
            rx.vstack(rx.foreach(S.results, _result), spacing="2", width="100%"),
            rx.cond(S.next_cursor != "", rx.button(t("More results"), on_click=S.load_more)),
            spacing="4",
            width="100%",
            data_testid="search-page",
        ),
        active="search",
    )
