"""Toasts for the results of actions. State handlers return these event specs.

Messages arrive already in the viewer's language (AuthState._t); a domain error is
translated here from its template, so the REST API and the UI share one text.
"""

from __future__ import annotations

import reflex as rx

from rooms.core import i18n
from rooms.core.errors import DomainError


def toast_ok(message: str):
    return rx.toast.success(message, duration=3000)


def toast_error(message: str):
    return rx.toast.error(message, duration=6000, close_button=True)


def domain_error_text(exc: DomainError, locale: str) -> str:
    return i18n.gettext(locale, exc.template, **exc.params)


def toast_domain_error(exc: DomainError, locale: str):
    return toast_error(domain_error_text(exc, locale))
