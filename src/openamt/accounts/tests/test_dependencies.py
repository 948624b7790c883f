"""The Servicekonto, its Postfach and its OpenID provider depend on each other
in one direction per module: no import cycle (counting imports inside
functions, which only hide one), no signals for domain flow (GUIDE §2)."""

import ast
from pathlib import Path

import openamt

ROOT = Path(openamt.__file__).parent
APPS = ("accounts", "mailbox", "oidc")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every module of the platform (without tests and migrations) and the
    platform modules it imports anywhere in its body."""
    graph: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        if {"tests", "migrations", "testing"} & set(path.relative_to(ROOT).parts):
            continue
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[_module(path)] = found
    return {name: {m for m in found if m in graph and m != name} for name, found in graph.items()}


def _cycle_through(graph: dict[str, set[str]], start: str) -> list[str] | None:
    path: list[str] = []
    seen: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        for target in sorted(graph[node]):
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                if found := visit(target):
                    return found
        path.pop()
        return None

    return visit(start)


def test_no_import_cycle_runs_through_accounts_mailbox_or_oidc():
    graph = _imports()
    cycles = [
        cycle
        for name in sorted(graph)
        if name.split(".")[1:2] and name.split(".")[1] in APPS
        if (cycle := _cycle_through(graph, name))
    ]
    assert cycles == []


def test_the_postfach_uses_only_the_accounts_models_and_helpers():
    graph = _imports()
    used = {
        target
        for name, targets in graph.items()
        if name.startswith("openamt.mailbox.")
        for target in targets
        if target.startswith("openamt.accounts")
    }
    assert used <= {
        "openamt.accounts.models",
        "openamt.accounts.tasks",
        "openamt.accounts.auth",
    }


def test_no_django_signals_carry_the_servicekontos_domain_flow():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            assert "django.dispatch" not in source, path
            assert ".connect(" not in source, path
