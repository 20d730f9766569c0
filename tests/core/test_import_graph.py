"""The shape of `rooms/`: no import cycles, and every Reflex State in `rooms/state/`.

Read from the source with `ast`, so imports hidden inside functions or under
`if TYPE_CHECKING:` count as much as top-level ones: a cycle hidden that way
still means two modules that cannot change without each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "rooms"
ROOT = Path(__file__).resolve().parents[2] / PACKAGE


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(root: Path) -> dict[str, Path]:
    return {_module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The module of ours that `name` (a module or `module.attribute`) lives in."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every module of ours that `module` imports, wherever the import statement sits."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from pkg import mod` imports pkg.mod when it is a module.
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if target.split(".")[0] != PACKAGE:
                continue
            resolved = _resolve(target, known)
            if resolved and resolved != module:
                found.add(resolved)
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    known = _modules(root)
    return {name: _imports(name, path, known) for name, path in known.items()}


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative (the graph is a few hundred modules)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, list[str]]] = [(start, sorted(graph[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found


def _cycles() -> list[set[str]]:
    return [c for c in strongly_connected(import_graph()) if len(c) > 1]


def test_the_walker_reads_our_imports():
    """The walker sees our real imports, and Tarjan finds a three-module ring."""
    graph = import_graph()
    assert "rooms.core.config" in graph["rooms.state.auth"]
    assert {"rooms.state.auth", "rooms.pages.sessions"} <= graph["rooms.rooms"]
    fake = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert [c for c in strongly_connected(fake) if len(c) > 1] == [{"a", "b", "c"}]


def test_function_local_and_type_checking_imports_are_edges(tmp_path):
    pkg = tmp_path / PACKAGE
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from rooms.sub import b\n"
    )
    (pkg / "sub" / "b.py").write_text("def f():\n    from .a import x\n")
    graph = import_graph(pkg)
    assert graph["rooms.sub.a"] == {"rooms.sub.b"}
    assert graph["rooms.sub.b"] == {"rooms.sub.a"}


def test_no_import_cycles():
    cycles = _cycles()
    listing = "\n".join(" <-> ".join(sorted(c)) for c in cycles)
    assert not cycles, f"import cycles in rooms/ (function-local imports included):\n{listing}"


def test_every_state_lives_in_state_package():
    """States are classes deriving from rx.State (directly or through another of ours)."""
    import reflex as rx

    import rooms.rooms  # noqa: F401  (imports every page, so every state gets defined)

    stray = []
    pending = [rx.State]
    seen: set[type] = set()
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub in seen:
                continue
            seen.add(sub)
            pending.append(sub)
            module = sub.__module__
            if module.split(".")[0] == PACKAGE and not module.startswith(f"{PACKAGE}.state."):
                stray.append(f"{module}.{sub.__name__}")
    assert seen, "no State subclasses found: the walk is broken"
    assert not stray, f"States outside rooms/state/: {stray}"


def test_states_never_import_what_renders_them():
    """Components and pages import states; a state importing a component closes a loop."""
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        if module.startswith(f"{PACKAGE}.state.")
        for target in targets
        if target.startswith((f"{PACKAGE}.components.", f"{PACKAGE}.pages."))
    )
    assert not wrong, f"states importing components or pages: {wrong}"
