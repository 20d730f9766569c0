"""Text in components, in the viewer's language, without a page reload.

`t("Sign in")` is a Var: the browser looks the English id up in the one catalog the
server sent for the viewer's locale (AuthState.messages) and falls back to the id, so
English needs no catalog at all. `pybabel extract` finds the ids (see babel.cfg).
"""

from __future__ import annotations

import json

import reflex as rx
from reflex.vars.base import Var

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


def tf(message: str, **values: Var | str | int) -> Var[str]:
    """`t()` with `{name}` fields filled in the browser from Vars (names, counts)."""
    expr = _lookup(message)
    data = [AuthState.messages._get_all_var_data()]
    for name, value in values.items():
        var = value if isinstance(value, Var) else Var.create(value)
        data.append(var._get_all_var_data())
        expr = f"{expr}.replaceAll({json.dumps('{' + name + '}')}, String({var!s}))"
    return Var(_js_expr=expr, _var_type=str, _var_data=rx.vars.VarData.merge(*data))


def language_switcher(**props) -> rx.Component:
    """Each language in its own name; picking one calls AuthState.set_language."""
    return rx.select.root(
        rx.select.trigger(aria_label=t("Language"), variant="ghost"),
        rx.select.content(
            *[rx.select.item(name, value=code) for code, name in i18n.LANGUAGE_NAMES.items()]
        ),
        value=AuthState.locale,
        on_change=AuthState.set_language,
        size="1",
        **props,
    )
