"""docs/extending.md cannot rot: its excerpts are the code, its paths exist.

Each fenced block under an `<!-- excerpt: path -->` line must appear verbatim in that file,
and every repository path the guide names in backticks must exist. The worked example
itself (the session agenda) is exercised by the tests the guide names, which are among
those paths: tests/core/test_agenda.py, tests/api/test_agenda.py,
tests/browser/test_agenda.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs/extending.md"
EXCERPT = re.compile(r"<!-- excerpt: (\S+) -->\n```python\n(.*?)\n```", re.DOTALL)
# `rooms/...`, `tests/...` and the other top-level folders; placeholders like <page> skipped.
PATH = re.compile(r"`((?:rooms|tests|alembic|docs|bench|scripts)/[\w./-]+)`")


def _excerpts() -> list[tuple[str, str]]:
    return EXCERPT.findall(GUIDE.read_text())


def test_the_guide_has_excerpts_of_every_layer() -> None:
    files = {path for path, _ in _excerpts()}
    for layer in ("rooms/core/", "rooms/state/", "rooms/components/", "rooms/api/routes/"):
        assert any(f.startswith(layer) for f in files), layer
    assert any(f.startswith("alembic/versions/") for f in files)


@pytest.mark.parametrize(("path", "code"), _excerpts(), ids=lambda v: v[:40])
def test_each_excerpt_is_the_code_of_its_file(path: str, code: str) -> None:
    source = (ROOT / path).read_text()
    assert code in source, f"docs/extending.md quotes {path}, which no longer has this code"


def test_every_path_the_guide_names_exists() -> None:
    names = set(PATH.findall(GUIDE.read_text()))
    assert len(names) > 20
    missing = sorted(n for n in names if not (ROOT / n.rstrip("/")).exists())
    assert missing == []
