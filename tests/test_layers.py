"""The layers hold by contract (import-linter, in `make test`): app > handlers > ui > bot >
storage, and bot imports neither aiogram nor pydantic."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "handlers", "ui", "bot", "storage")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(tree)}
    # An overrun is killed by run(): it cannot hold up the next test.
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the packages and the contract, to break on purpose."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_tree_keeps_its_layers(tree: Path) -> None:
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "reported"),
    [
        # storage must know nothing of ours
        ("storage/users.py", "import bot.wizard", "storage.users -> bot.wizard"),
        # rules must not reach the routers, nor the presentation
        ("bot/wizard.py", "import handlers.student", "bot.wizard -> handlers.student"),
        ("bot/onboarding.py", "import ui.screens", "bot.onboarding -> ui.screens"),
        # the rules know no messenger
        ("bot/wizard.py", "import aiogram.types", "bot.wizard -> aiogram"),
        # nor how settings are parsed: they get plain values
        ("bot/delivery.py", "import pydantic_settings", "bot.delivery -> pydantic_settings"),
        # nor the routers the composition root
        ("handlers/common.py", "import app.factory", "handlers.common -> app.factory"),
    ],
)
def test_an_import_upward_breaks_the_contract(
    tree: Path, module: str, line: str, reported: str
) -> None:
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = lint_imports(tree)
    assert result.returncode != 0
    # The report's last line counts the contracts: at least one broken, by this very import.
    assert "Contracts:" in result.stdout and " 0 broken" not in result.stdout, result.stdout
    assert reported in result.stdout


SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|PRAGMA)\b")


def test_sql_lives_in_storage_only() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("app", "handlers", "ui", "bot")
        for path in sorted((ROOT / package).glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if SQL.search(line)
    ]
    assert not found, found


USERS_WRITE = re.compile(
    r"\b(UPDATE\s+users\s+SET|INSERT(\s+OR\s+\w+)?\s+INTO\s+users\b|DELETE\s+FROM\s+users\b)"
)


def test_the_users_table_is_written_in_one_place() -> None:
    """storage/users.py holds every statement that changes a user's row (its cache relies on it);
    other repositories' units of work call its functions."""
    writers = {
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / "storage").glob("*.py"))
        if USERS_WRITE.search(path.read_text(encoding="utf-8"))
    }
    assert writers == {"storage/users.py"}
