"""Every background event that loops for one page asks a PageWatch whether its tab is
still there (rooms/state/page_presence.py): Reflex does not stop it when the socket closes.
test_listener_lifetime.py shows what a loop without it did."""

from __future__ import annotations

import ast
from pathlib import Path

STATES = Path(__file__).resolve().parents[2] / "rooms" / "state"


def _background(node: ast.AST) -> bool:
    return isinstance(node, ast.AsyncFunctionDef) and any(
        isinstance(d, ast.Call)
        and any(k.arg == "background" for k in d.keywords)
        and ast.unparse(d.func).endswith("event")
        for d in node.decorator_list
    )


def _loops(fn: ast.AST) -> bool:
    return any(isinstance(n, ast.While) for n in ast.walk(fn))


def _asks_page_watch(fn: ast.AST) -> bool:
    names = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}
    return "PageWatch" in names


def test_every_looping_background_event_ends_with_its_page() -> None:
    found, missing = [], []
    for path in sorted(STATES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if _background(node) and _loops(node):
                found.append(f"{path.stem}.{node.name}")
                if not _asks_page_watch(node):
                    missing.append(found[-1])
    assert len(found) >= 6, found  # the listener, lobby, roster, wait, status and board loops
    assert not missing, f"background loops that outlive their page: {missing}"
