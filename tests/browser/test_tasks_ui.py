"""Tasks in a real browser: a task made from a line of the transcript page, seen on the
board, moved to Done, while a second member's open board follows without a reload."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.support.helpers import unique_email
from tests.support.pages import PASSWORD, TIMEOUT_MS, new_page, shoot
from tests.support.seed import add_participant, add_segments
from tests.support.ui_text import english_left

LINE = "Mo will send the budget to finance by Friday"


def _account(page: Page, name: str) -> tuple[str, str]:
    email = unique_email(name.split()[0].lower())
    res = page.request.post(
        "/api/auth/signup", data={"email": email, "password": PASSWORD, "name": name}
    )
    assert res.status == 201, res.text()
    return email, res.json()["user"]["id"]


def _team(owner: Page, member: Page) -> tuple[str, str, str]:
    """A space with tasks, both in it (and it active for both), a session with one line said
    by the member. Returns (space id, slug, member user id)."""
    _account(owner, "Olive Owner")
    member_email, member_id = _account(member, "Mo Member")
    req = owner.request
    space = req.post("/api/spaces", data={"name": "Crew", "mode": "SESSIONS_AND_TASKS"}).json()
    space_id = space["space"]["id"]
    assert req.post(f"/api/spaces/{space_id}/members", data={"email": member_email}).ok
    assert req.post(f"/api/spaces/{space_id}/set-active").ok
    assert member.request.post(f"/api/spaces/{space_id}/set-active").ok
    slug = req.post("/api/sessions", data={"spaceId": space_id, "title": "Budget"}).json()[
        "session"
    ]["slug"]
    speaker = add_participant(slug, "Mo Member", user_id=member_id)
    add_segments(slug, [(3.0, None, "Good morning everyone"), (65.0, speaker, LINE)])
    return space_id, slug, member_id


def _column(page: Page, status: str):
    return page.get_by_test_id(f"column-{status}")


def test_task_from_the_transcript_page_to_done_with_a_live_second_board(
    browser: Browser, app_url: str
) -> None:
    owner = new_page(browser, app_url)
    member = new_page(browser, app_url)
    _, slug, _ = _team(owner, member)

    # The member's board is open (and empty) before anything happens.
    member.goto("/tasks")
    expect(_column(member, "TODO")).to_be_visible(timeout=TIMEOUT_MS)
    expect(member.get_by_test_id("task-card")).to_have_count(0)

    owner.goto(f"/session/{slug}/transcript")
    line = owner.get_by_test_id("transcript-line").filter(has_text=LINE)
    expect(line).to_be_visible(timeout=TIMEOUT_MS)
    line.get_by_test_id("make-task").click()
    dialog = owner.get_by_test_id("task-dialog")
    expect(dialog).to_be_visible(timeout=TIMEOUT_MS)
    expect(dialog.locator("#task-title")).to_have_value(LINE)
    expect(dialog.get_by_test_id("task-dialog-quote")).to_contain_text(LINE)
    # The speaker is a member: suggested as the assignee.
    expect(dialog.locator("#task-assignee")).to_contain_text("Mo Member")
    dialog.locator("#task-title").fill("Send the budget to finance")
    dialog.get_by_role("button", name="Create task").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT_MS)

    # The transcript page lists it, linking back to the moment.
    made = owner.get_by_test_id("session-task")
    expect(made).to_contain_text("Send the budget to finance", timeout=TIMEOUT_MS)
    expect(made.get_by_role("link")).to_have_attribute(
        "href", re.compile(rf"/session/{slug}/transcript\?t=65#seg-")
    )

    shoot(owner, "transcript-tasks-desktop")

    # The member's board got it without a reload.
    live_card = member.get_by_test_id("task-card").filter(has_text="Send the budget")
    expect(_column(member, "TODO").get_by_test_id("task-card")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(live_card).to_contain_text("Mo Member")

    # The owner's board: the card, moved to Done through its menu.
    owner.goto("/tasks")
    card = _column(owner, "TODO").get_by_test_id("task-card").filter(has_text="Send the budget")
    expect(card).to_be_visible(timeout=TIMEOUT_MS)
    card.get_by_role("button", name="Task actions").click()
    owner.get_by_test_id("move-DONE").click()
    expect(_column(owner, "DONE").get_by_test_id("task-card")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(_column(owner, "TODO").get_by_test_id("task-card")).to_have_count(0)

    # ... and the member's board follows, again without a reload.
    expect(_column(member, "DONE").get_by_test_id("task-card")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(_column(member, "TODO").get_by_test_id("task-card")).to_have_count(0)
    shoot(member, "tasks-board-desktop")

    # The quote's link opens that moment of the transcript page, on that line.
    source = _column(owner, "DONE").get_by_test_id("task-source")
    source.click()
    focused = owner.locator("[data-testid=transcript-line][data-focused=true]")
    expect(focused).to_contain_text(LINE, timeout=TIMEOUT_MS)
    for page in (owner, member):
        page.context.close()


def test_new_edit_delete_and_overdue(browser: Browser, app_url: str) -> None:
    owner = new_page(browser, app_url)
    member = new_page(browser, app_url)
    _team(owner, member)
    owner.goto("/tasks")
    owner.get_by_role("button", name="New task").click()
    dialog = owner.get_by_test_id("task-dialog")
    expect(dialog).to_be_visible(timeout=TIMEOUT_MS)
    dialog.locator("#task-title").fill("File the report")
    dialog.locator("#task-due").fill("2020-01-31")
    dialog.get_by_role("button", name="Create task").click()
    card = _column(owner, "TODO").get_by_test_id("task-card").filter(has_text="File the report")
    expect(card.get_by_test_id("task-overdue")).to_contain_text("overdue", timeout=TIMEOUT_MS)
    # Edit in the dialog (it opens with the task's values), then the list view shows it.
    card.get_by_role("button", name="Task actions").click()
    owner.get_by_role("menuitem", name="Edit").click()
    expect(dialog.locator("#task-title")).to_have_value("File the report", timeout=TIMEOUT_MS)
    expect(dialog.locator("#task-due")).to_have_value("2020-01-31")
    dialog.locator("#task-title").fill("File the annual report")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT_MS)
    edited = _column(owner, "TODO").get_by_test_id("task-card")
    expect(edited).to_contain_text("File the annual report", timeout=TIMEOUT_MS)
    owner.get_by_role("radio", name="List").click()
    expect(owner.get_by_test_id("column-TODO")).to_have_count(0, timeout=TIMEOUT_MS)
    row = owner.get_by_test_id("task-card").filter(has_text="File the annual report")
    expect(row).to_contain_text("overdue", timeout=TIMEOUT_MS)
    # Deleting asks first.
    row.get_by_role("button", name="Task actions").click()
    owner.get_by_role("menuitem", name="Delete").click()
    owner.get_by_test_id("confirm-dialog").get_by_role("button", name="Delete").click()
    expect(owner.get_by_test_id("task-card")).to_have_count(0, timeout=TIMEOUT_MS)
    assert owner.request.get("/api/tasks").json()["tasks"] == []
    for page in (owner, member):
        page.context.close()


def test_the_board_the_list_and_the_dialogs_in_russian(browser: Browser, app_url: str) -> None:
    """A Russian browser (Accept-Language) gets the page in Russian: labels, menus, dialogs,
    the due date by Babel, and no English text of the page left."""
    owner = new_page(browser, app_url, locale="ru-RU")
    _account(owner, "Olga Owner")
    req = owner.request
    space = req.post("/api/spaces", data={"name": "Бюро", "mode": "SESSIONS_AND_TASKS"}).json()
    space_id = space["space"]["id"]
    assert req.post(f"/api/spaces/{space_id}/set-active").ok
    made = req.post(
        "/api/tasks", data={"spaceId": space_id, "title": "Сдать отчёт", "dueDate": "2020-01-31"}
    )
    assert made.status == 201, made.text()

    owner.goto("/tasks")
    content = owner.get_by_test_id("tasks-page")
    expect(content.get_by_role("heading", name="Задачи")).to_be_visible(timeout=TIMEOUT_MS)
    expect(_column(owner, "TODO")).to_contain_text("К выполнению")
    expect(_column(owner, "DONE")).to_contain_text("Задач нет")
    overdue = _column(owner, "TODO").get_by_test_id("task-overdue")
    expect(overdue).to_have_text("31 янв. 2020 г. · просрочено")
    expect(content).to_contain_text("Работа в пространстве «Бюро»")
    assert english_left(content, "ui-work") == []

    card = _column(owner, "TODO").get_by_test_id("task-card")
    card.get_by_role("button", name="Действия с задачей").click()
    expect(owner.get_by_role("menuitem", name="Изменить")).to_be_visible()
    expect(owner.get_by_role("menuitem", name="Удалить")).to_be_visible()
    owner.get_by_role("menuitem", name="Перенести в «Готово»").click()
    expect(_column(owner, "DONE").get_by_test_id("task-card")).to_have_count(1, timeout=TIMEOUT_MS)

    owner.get_by_role("button", name="Новая задача").click()
    dialog = owner.get_by_test_id("task-dialog")
    expect(dialog.get_by_role("heading", name="Новая задача")).to_be_visible(timeout=TIMEOUT_MS)
    expect(dialog.get_by_label("Название")).to_be_visible()
    expect(dialog.get_by_label("Срок")).to_be_visible()
    expect(dialog.get_by_role("button", name="Создать задачу")).to_be_visible()
    expect(dialog.locator("#task-status")).to_have_text("К выполнению")
    expect(dialog.locator("#task-assignee")).to_have_text("Не назначен")
    assert english_left(dialog, "ui-work") == []
    owner.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    owner.get_by_role("radio", name="Список").click()
    expect(owner.get_by_role("columnheader", name="Задача")).to_be_visible(timeout=TIMEOUT_MS)
    row = owner.get_by_test_id("task-card")
    expect(row).to_contain_text("Готово")
    assert english_left(content, "ui-work") == []
    row.get_by_role("button", name="Действия с задачей").click()
    owner.get_by_role("menuitem", name="Удалить").click()
    confirm = owner.get_by_test_id("confirm-dialog")
    expect(confirm).to_contain_text("Удалить задачу?")
    expect(confirm).to_contain_text("Задача «Сдать отчёт» будет удалена для всех")
    confirm.get_by_role("button", name="Удалить").click()
    expect(owner.get_by_test_id("task-card")).to_have_count(0, timeout=TIMEOUT_MS)
    owner.context.close()
