"""Text in components, in the viewer's language, without a page reload.

`t("Sign in")` is a Var: the browser looks the English id up in the one catalog the
server sent for the viewer's locale (AuthState.messages) and falls back to the id, so
English needs no catalog at all. `pybabel extract` finds the ids (see babel.cfg).
"""

from __future__ import annotations

import json

import reflex as rx
from reflex.vars.base import Var
from reflex_base.utils.imports import ImportVar

from rooms.core import i18n
from rooms.state.auth import AuthState


def _lookup(message: str) -> str:
    key = json.dumps(message)
    return f"({AuthState.messages!s}?.[{key}] ?? {key})"


def t(message: str) -> Var[str]:
    return Var(
        _js_expr=_lookup(message),
        _var_type=str,
        _var_data=AuthState.messages._get_all_var_data(),
    )


def localized(value):
    """A shared component's text argument: a plain str is an English id to translate (its
    caller marks it with t() or N_() for extraction), a Var is shown as it is."""
    return t(value) if isinstance(value, str) else value


def tf(message: str, **values: Var | str | int) -> Var[str]:
    """`t()` with `{name}` fields filled in the browser from Vars (names, counts)."""
    expr = _lookup(message)
    data = [AuthState.messages._get_all_var_data()]
    for name, value in values.items():
        var = value if isinstance(value, Var) else Var.create(value)
        data.append(var._get_all_var_data())
        # A function as the replacement: a string one would read `$&` in a name as a pattern.
        expr = f"{expr}.replaceAll({json.dumps('{' + name + '}')}, () => String({var!s}))"
    return Var(_js_expr=expr, _var_type=str, _var_data=rx.vars.VarData.merge(*data))


class _DocumentLanguage(rx.Fragment):
    """Keeps `<html lang>` on the viewer's locale (screen readers, hyphenation, the browser's
    translate offer): the prerendered page says `en` whatever the viewer reads."""

    def add_hooks(self) -> list[str | Var]:
        locale = str(AuthState.locale)
        return [
            Var(
                _js_expr=(
                    f"useEffect(() => {{ if ({locale}) document.documentElement.lang = "
                    f"{locale}; }}, [{locale}])"
                ),
                _var_data=rx.vars.VarData.merge(
                    rx.vars.VarData(imports={"react": [ImportVar(tag="useEffect")]}),
                    AuthState.locale._get_all_var_data(),
                ),
            )
        ]


def document_language() -> rx.Component:
    return _DocumentLanguage.create()


def language_switcher(**props) -> rx.Component:
    """Each language in its own name; picking one calls AuthState.set_language, which
    re-renders the page in place (no reload) and keeps the choice. A native select: the
    phone's own picker, and no menu code on pages that have no other (the login page)."""
    return rx.el.select(
        *[rx.el.option(name, value=code, lang=code) for code, name in i18n.LANGUAGE_NAMES.items()],
        value=AuthState.locale,
        on_change=AuthState.set_language,
        aria_label=t("Language"),
        title=t("Language"),
        class_name="rooms-language-switcher",
        data_testid="language-switcher",
        **props,
    )


def language_menu() -> rx.Component:
    """The switcher inside a dropdown menu (the profile menu): a submenu of the languages."""
    return rx.dropdown_menu.sub(
        rx.dropdown_menu.sub_trigger(
            rx.icon("languages", size=16),
            t("Language"),
            data_testid="language-menu",
        ),
        rx.dropdown_menu.sub_content(
            *[
                rx.dropdown_menu.item(
                    rx.hstack(
                        rx.icon(
                            "check",
                            size=16,
                            opacity=rx.cond(AuthState.locale == code, "1", "0"),
                        ),
                        rx.text(name, lang=code),
                        align="center",
                        spacing="2",
                    ),
                    on_select=AuthState.set_language(code),
                    data_testid=f"language-{code}",
                )
                for code, name in i18n.LANGUAGE_NAMES.items()
            ]
        ),
    )
