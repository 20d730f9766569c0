"""Parsing what callers send about tasks: statuses, due dates, descriptions, cursors."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime

from rooms.core.errors import InvalidInput
from rooms.core.models import Task, TaskStatus

DESCRIPTION_MAX = 5000


def parse_status(value: str) -> TaskStatus:
    try:
        return TaskStatus(value)
    except ValueError:
        allowed = ", ".join(s.value for s in TaskStatus)
        raise InvalidInput(
            "status must be one of: {choices}.", code="INVALID_STATUS", choices=allowed
        ) from None


def parse_due_date(value: str | None) -> date | None:
    """`YYYY-MM-DD`, or nothing."""
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput("dueDate must be a date: YYYY-MM-DD.", code="INVALID_DUE_DATE") from None


def encode_cursor(task: Task) -> str:
    raw = f"{task.created_at.isoformat()}|{task.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, task_id = raw.split("|", 1)
        if not (task_id.isascii() and task_id.isalnum()):
            raise ValueError(task_id)
        return datetime.fromisoformat(stamp), task_id
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("cursor is not valid.", code="INVALID_CURSOR") from None


def clean_description(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if len(text) > DESCRIPTION_MAX:
        raise InvalidInput("Description must be at most {max} characters.", max=DESCRIPTION_MAX)
    if "\x00" in text:
        raise InvalidInput("Description must not contain NUL characters.")
    return text or None
