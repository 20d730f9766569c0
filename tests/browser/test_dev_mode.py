"""`reflex run` as a new user starts it: development mode, the default database, hot reload.

The project is copied to a directory of its own (a fresh clone with this checkout's
installs), migrated as scripts/setup does, and left as an earlier run that stopped leaves
its SQLite database (the `-wal`/`-shm` side files still there). Then `reflex run` with no
flags, and the new-user walk in Chromium: every database write it makes must leave the
backend alone, or the page's events are lost while it restarts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.api_server import free_port
from tests.support.app_server import (
    deprecations,
    project_copy,
    running_dev_app,
    start_log,
    without_suite_database,
)
from tests.support.helpers import unique_email
from tests.support.pages import TIMEOUT_MS, new_page, sign_up_in_the_form

pytestmark = pytest.mark.browser

# Opens the database where the app would, writes, and exits without closing it: SQLite
# keeps the side files of a WAL database that was not closed cleanly.
LEAVE_AS_A_STOPPED_RUN = """
import os
from rooms.core.db import get_engine
with get_engine().connect() as conn:
    conn.exec_driver_sql("UPDATE alembic_version SET version_num = version_num")
    conn.commit()
    os._exit(0)
"""


def _in_project(root: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(args, cwd=root, env=env, check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def dev_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = project_copy(tmp_path_factory.mktemp("clone"))
    env = without_suite_database(dict(os.environ))
    _in_project(root, env, str(root / ".venv/bin/alembic"), "upgrade", "head")
    _in_project(root, env, sys.executable, "-c", LEAVE_AS_A_STOPPED_RUN)
    return root, env


@pytest.fixture(scope="module")
def dev_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dev") / "reflex.log"


@pytest.fixture(scope="module")
def dev_url(dev_project: tuple[Path, dict[str, str]], dev_log: Path) -> Iterator[str]:
    root, env = dev_project
    env = {**env, "PYTHONWARNINGS": "default"}  # Python's hidden DeprecationWarnings too
    with running_dev_app(root, free_port(), free_port(), dev_log, env) as base:
        shutil.copy(dev_log, start_log(dev_log))
        yield base


def _sign_up_in_the_form(page: Page, name: str) -> None:
    sign_up_in_the_form(page, name, unique_email(name.split()[0].lower()))
    expect(page.get_by_test_id("space-switcher")).to_contain_text("My space", timeout=TIMEOUT_MS)


def test_no_deprecation_warning_at_start(dev_url: str, dev_log: Path) -> None:
    """Reflex 0.11 readiness, in development mode (which compiles in the reload worker too)."""
    assert deprecations(start_log(dev_log).read_text(errors="replace")) == []


def test_new_user_walk_in_development_mode(browser: Browser, dev_url: str) -> None:
    owner = new_page(browser, dev_url)
    _sign_up_in_the_form(owner, "Dana Developer")

    owner.get_by_role("button", name="New session").first.click()
    owner.locator("#session-title").fill("Dev check")
    owner.get_by_test_id("session-create").get_by_role("button", name="Create session").click()
    card = owner.get_by_test_id("session-card").filter(has_text="Dev check")
    expect(card).to_be_visible(timeout=TIMEOUT_MS)
    slug = card.get_attribute("data-slug")
    assert slug

    # Someone else signs up after the app has written to its database.
    second = new_page(browser, dev_url)
    _sign_up_in_the_form(second, "Sam Second")
    second.goto(f"/session/{slug}")
    expect(second.get_by_test_id("prejoin")).to_be_visible(timeout=TIMEOUT_MS)
    second.get_by_role("button", name="Join session").click()
    expect(second.get_by_test_id("room")).to_be_visible(timeout=TIMEOUT_MS)

    # The owner's page still answers events: its socket was never cut by a reload.
    owner.get_by_role("button", name="New session").first.click()
    expect(owner.get_by_test_id("session-create")).to_be_visible(timeout=TIMEOUT_MS)


def test_a_code_change_reloads(
    browser: Browser, dev_project: tuple[Path, dict[str, str]], dev_url: str
) -> None:
    """What does reload: an edit to a page, without restarting `reflex run`."""
    root, _ = dev_project
    page_file = root / "rooms/pages/login.py"
    page_file.write_text(page_file.read_text().replace("Welcome to Rooms", "Welcome back"))
    page = new_page(browser, dev_url)
    page.goto("/login")
    # The backend recompiles, then Vite serves the new page: reload until it shows.
    for _ in range(30):
        if page.get_by_text("Welcome back").count():
            break
        page.wait_for_timeout(2000)
        page.reload()
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible(timeout=TIMEOUT_MS)


def test_runtime_files_stay_out_of_the_watched_tree(
    dev_project: tuple[Path, dict[str, str]], dev_url: str
) -> None:
    root, _ = dev_project
    assert (root / "data/rooms.db").is_file()
    assert not list(root.glob("rooms.db*")), "nothing the app writes sits in the project root"
