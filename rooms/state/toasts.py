"""Toasts for the results of actions. State handlers return these event specs."""

from __future__ import annotations

import reflex as rx

from rooms.core.errors import DomainError


def toast_ok(message: str):
    return rx.toast.success(message, duration=3000)


def toast_error(message: str):
    return rx.toast.error(message, duration=6000, close_button=True)


def toast_domain_error(exc: DomainError):
    return toast_error(exc.message)
