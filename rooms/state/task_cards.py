"""Tasks as the pages show them: plain cards, built in a worker thread from core's rows."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time

from rooms.core import i18n, task_sources, tasks
from rooms.core.i18n import N_
from rooms.core.models import SpaceRole, Task, TaskStatus
from rooms.core.transcripts import UNKNOWN_SPEAKER, clock

# English ids of the catalog: components show them with t(label), cards carry them translated.
STATUS_LABELS = {
    TaskStatus.TODO.value: N_("To do"),
    TaskStatus.IN_PROGRESS.value: N_("In progress"),
    TaskStatus.DONE.value: N_("Done"),
}
UNASSIGNED = "none"  # the select's value for nobody (Radix selects refuse an empty value)


@dataclasses.dataclass
class TaskCard:
    id: str = ""
    title: str = ""
    description: str = ""
    status: str = TaskStatus.TODO.value
    status_label: str = ""
    assignee_id: str = ""
    assignee_name: str = ""
    due: str = ""  # "Dec 12, 2026": Babel's medium date in the viewer's locale
    overdue: bool = False
    quote: str = ""
    speaker: str = ""
    source_label: str = ""  # "Planning · 01:15"
    source_link: str = ""
    can_delete: bool = False


@dataclasses.dataclass
class MemberOption:
    """A member of the space, as the assignee selects list them."""

    id: str = ""
    name: str = ""


def speaker_label(name: str, locale: str) -> str:
    """A speaker's name, or "Unknown speaker" (core's English placeholder) translated."""
    return i18n.gettext(locale, N_("Unknown speaker")) if name == UNKNOWN_SPEAKER else name


def member_options(rows: list[tuple[str, str]]) -> list[MemberOption]:
    return [MemberOption(id=uid, name=name) for uid, name in rows]


def due_label(value: date | None, locale: str = i18n.DEFAULT_LOCALE) -> str:
    return i18n.format_date(datetime.combine(value, time()), locale) if value else ""


def card_of(
    task: Task,
    names: dict[str, str],
    user_id: str,
    role: SpaceRole,
    session_titles: dict[str, str] | None = None,
    today: date | None = None,
    locale: str = i18n.DEFAULT_LOCALE,
) -> TaskCard:
    source = task_sources.source_of(task)
    title = (session_titles or {}).get(source.session_slug, "") if source else ""
    return TaskCard(
        id=task.id,
        title=task.title,
        description=task.description or "",
        status=task.status.value,
        status_label=i18n.gettext(locale, STATUS_LABELS[task.status.value]),
        assignee_id=task.assignee_id or "",
        assignee_name=names.get(task.assignee_id or "", ""),
        due=due_label(task.due_date, locale),
        overdue=tasks.is_overdue(task, today),
        quote=source.quote if source else "",
        speaker=speaker_label(source.speaker, locale) if source else "",
        source_label=(f"{title or source.session_slug} · {clock(source.at)}" if source else ""),
        source_link=source.link if source else "",
        can_delete=tasks.may_delete(task, user_id, role),
    )
