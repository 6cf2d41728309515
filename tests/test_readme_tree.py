"""The README's "How it is built" names every module, locale file and benchmark of the tree, and
nothing that is gone: a newcomer reading it finds each file, and each file is in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The packages whose every module the tree must name; tests/ is described, not listed.
LISTED = ("app", "bot", "ui", "handlers", "storage", "sandbox", "benchmarks")
SECTION = re.compile(r"^([a-z_]+)/\s", re.M)


def tree_sections(readme: str) -> dict[str, str]:
    """The text of each top-level folder's entry in the README's tree."""
    _, _, after = readme.partition("## How it is built")
    block = after.split("```")[1]
    starts = list(SECTION.finditer(block))
    return {
        match[1]: block[match.start() : ends.start() if ends else len(block)]
        for match, ends in zip(starts, [*starts[1:], None], strict=True)
    }


def modules(package: Path) -> set[str]:
    return {path.name for path in package.glob("*.py") if path.name != "__init__.py"}


def named(section: str, suffix: str) -> set[str]:
    return set(re.findall(rf"\b[\w]+\.{suffix}\b", section))


def drift(readme: str, root: Path) -> list[str]:
    """What the tree misses or names wrongly, one line each."""
    sections = tree_sections(readme)
    problems = [f"{package}/ has no entry" for package in LISTED if package not in sections]
    for package in LISTED:
        text = sections.get(package, "")
        present, mentioned = modules(root / package), named(text, "py")
        problems += [f"{package}/{name} is not named" for name in sorted(present - mentioned)]
        problems += [f"{package}/{name} does not exist" for name in sorted(mentioned - present)]
    locales = sections.get("locales", "")
    for language in sorted(path.name for path in (root / "locales").iterdir() if path.is_dir()):
        if f"{language}/" not in locales:
            problems.append(f"locales/{language}/ is not named")
        files = {path.name for path in (root / "locales" / language).glob("*.ftl")}
        mentioned = named(locales, "ftl")
        problems += [
            f"locales/{language}/{name} is not named" for name in sorted(files - mentioned)
        ]
        problems += [
            f"locales/{language}/{name} does not exist" for name in sorted(mentioned - files)
        ]
    return problems


def test_the_readme_tree_matches_the_files() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert drift(readme, ROOT) == []


@pytest.fixture
def small_tree(tmp_path: Path) -> Path:
    for package in LISTED:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").touch()
    (tmp_path / "bot" / "wizard.py").touch()
    for language in ("ru", "en"):
        (tmp_path / "locales" / language).mkdir(parents=True)
        (tmp_path / "locales" / language / "bot.ftl").touch()
    return tmp_path


def readme_with(tree: str) -> str:
    return f"# X\n\n## How it is built\n\n```\n{tree}```\n\n## Next\n"


FULL = "".join(f"{package}/   the {package}\n" for package in LISTED if package != "bot")
FULL += "bot/   rules: wizard.py\nlocales/  ru/ and en/: bot.ftl\n"


def test_a_matching_tree_passes(small_tree: Path) -> None:
    assert drift(readme_with(FULL), small_tree) == []


def test_a_new_module_is_reported(small_tree: Path) -> None:
    (small_tree / "bot" / "roster.py").touch()
    (small_tree / "locales" / "en" / "stats.ftl").touch()
    assert drift(readme_with(FULL), small_tree) == [
        "bot/roster.py is not named",
        "locales/en/stats.ftl is not named",
    ]


def test_a_module_gone_and_a_missing_section_are_reported(small_tree: Path) -> None:
    (small_tree / "bot" / "wizard.py").unlink()
    tree = FULL.replace("storage/   the storage\n", "")
    assert drift(readme_with(tree), small_tree) == [
        "storage/ has no entry",
        "bot/wizard.py does not exist",
    ]
