"""The promises a maintainer relies on, checked on the source (docs/architecture.md): every view
says what it does, permissions are decided only by the policy, only the unit of work commits,
and every file the app sends goes out through one helper. The layering itself is checked by
`lint-imports` (pyproject.toml), which `make lint` runs."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TRACKER = Path(__file__).resolve().parents[1] / "tracker"
POLICY = TRACKER / "auth" / "policy"
# Where a transaction may end: the unit of work of requests and commands, and the scheduled
# jobs, which commit in short steps of their own (a send, a run record).
COMMITTERS = {
    TRACKER / "transaction.py",
    TRACKER / "scheduler.py",
    TRACKER / "outbox.py",
    TRACKER / "privacy" / "retention.py",
}


def modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(TRACKER.rglob("*.py")):
        yield path, ast.parse(path.read_text(), filename=str(path))


def calls(tree: ast.AST) -> Iterator[ast.Call]:
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def name_of(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else ""


def is_route(function: ast.FunctionDef) -> bool:
    return any(
        isinstance(decorator, ast.Call) and name_of(decorator) == "route"
        for decorator in function.decorator_list
    )


def test_every_view_says_what_it_does_in_one_line():
    missing = [
        f"{path.relative_to(TRACKER)}:{node.name}"
        for path, tree in modules()
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and is_route(node) and not ast.get_docstring(node)
    ]
    assert not missing, f"views without a docstring: {missing}"


def test_only_the_unit_of_work_and_the_jobs_commit():
    committing = [
        f"{path.relative_to(TRACKER)}:{call.lineno}"
        for path, tree in modules()
        if path not in COMMITTERS and path.name != "jobs.py"
        for call in calls(tree)
        if name_of(call) == "commit"
    ]
    assert not committing, f"commits outside tracker/transaction.py and the jobs: {committing}"


def test_only_the_policy_refuses_access():
    forbidden = [
        f"{path.relative_to(TRACKER)}:{call.lineno}"
        for path, tree in modules()
        if POLICY not in path.parents
        for call in calls(tree)
        if name_of(call) == "abort"
        and any(isinstance(arg, ast.Constant) and arg.value in (401, 403) for arg in call.args)
    ]
    assert not forbidden, f"access refused outside tracker/auth/policy: {forbidden}"


def test_no_view_or_service_checks_a_role_itself():
    source = {path: path.read_text() for path, _tree in modules()}
    checks = [
        str(path.relative_to(TRACKER))
        for path, text in source.items()
        if POLICY not in path.parents
        and any(probe in text for probe in ("is_coordinator", "current_user.role is not"))
    ]
    assert not checks, f"role checks outside the policy: {checks}"


def test_every_file_sent_goes_through_send_download():
    direct = [
        f"{path.relative_to(TRACKER)}:{call.lineno}"
        for path, tree in modules()
        if path != TRACKER / "downloads.py"
        for call in calls(tree)
        if name_of(call) == "send_file"
    ]
    headers = [
        str(path.relative_to(TRACKER))
        for path, _tree in modules()
        if path != TRACKER / "downloads.py" and "Content-Disposition" in path.read_text()
    ]
    assert not direct and not headers, (
        f"files sent outside tracker/downloads.py: {direct + headers}"
    )
