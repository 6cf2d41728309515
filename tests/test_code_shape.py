"""The shape every side keeps: a handler parses, calls one service and renders, so it stays short
(≤ 30 lines); a module holds one concern, so it stays small (≤ 400 lines). The offenders are
printed, one per line, with where they are."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANDLER_MAX = 30
MODULE_MAX = 400
PACKAGES = ("app", "bot", "ui", "handlers", "storage", "sandbox")


def long_handlers(root: Path) -> list[str]:
    """Every function in handlers/ longer than HANDLER_MAX lines (from `def` to its last line)."""
    found = []
    for path in sorted((root / "handlers").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > HANDLER_MAX:
                    where = f"handlers/{path.name}:{node.lineno}"
                    found.append(f"{where} {node.name} is {length} lines")
    return found


def large_modules(root: Path) -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).glob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MODULE_MAX:
                found.append(f"{package}/{path.name} is {lines} lines")
    return found


def test_every_handler_is_short() -> None:
    assert long_handlers(ROOT) == [], (
        "split it: parse here, the rules in a service, the screen in ui/"
    )


def test_every_module_is_small() -> None:
    assert large_modules(ROOT) == [], "split it along its concerns"


def _function(name: str, body_lines: int) -> str:
    body = "".join(f"    x{i} = {i}\n" for i in range(body_lines))
    return f"async def {name}() -> None:\n{body}\n"


def test_the_checks_name_what_is_too_long(tmp_path: Path) -> None:
    for package in PACKAGES:
        (tmp_path / package).mkdir()
    handlers = tmp_path / "handlers" / "student.py"
    handlers.write_text(_function("fits", HANDLER_MAX - 1) + _function("overlong", HANDLER_MAX))
    (tmp_path / "bot" / "small.py").write_text("x = 1\n" * MODULE_MAX)
    (tmp_path / "ui" / "large.py").write_text("x = 1\n" * (MODULE_MAX + 1))
    fits_lines = HANDLER_MAX + 1  # its def, its body and the blank line after it

    assert long_handlers(tmp_path) == [
        f"handlers/student.py:{fits_lines + 1} overlong is {HANDLER_MAX + 1} lines"
    ]
    assert large_modules(tmp_path) == [f"ui/large.py is {MODULE_MAX + 1} lines"]
