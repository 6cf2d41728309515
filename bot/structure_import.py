"""Import schools and classes from a CSV file (`python -m bot import-structure FILE.csv`).

The whole file is validated before the database is touched, and the import runs in one
transaction, so a file is either imported completely or not at all. Re-running it is harmless:
existing schools and classes (and their deep-link codes) are kept as they are.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from storage.db import Database
from storage.schools import class_code_of, ensure_class, ensure_school

SCHOOL_MAX_LEN = 200
CLASS_MAX_LEN = 20
_SCHOOL, _CLASS = "school", "class"

Error = tuple[int, str]  # (1-based file line, message)

# The schema compares names with COLLATE NOCASE, which folds ASCII letters only ("5a" == "5A",
# "5а" != "5А"); duplicates in the file are detected the same way so they agree with the database.
_NOCASE = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@dataclass(frozen=True, slots=True)
class StructureRow:
    line: int
    school: str
    class_name: str


@dataclass(slots=True)
class ParsedStructure:
    rows: list[StructureRow] = field(default_factory=list)
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (line, line it repeats)
    errors: list[Error] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ImportedClass:
    school: str
    name: str
    code: str

    @property
    def deep_link(self) -> str:
        return f"c_{self.code}"


@dataclass(slots=True)
class ImportResult:
    created_schools: list[str] = field(default_factory=list)
    created_classes: list[ImportedClass] = field(default_factory=list)
    skipped_schools: list[str] = field(default_factory=list)
    skipped_classes: list[ImportedClass] = field(default_factory=list)
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    errors: list[Error] = field(default_factory=list)


def normalize_name(value: str) -> str:
    """Trim and collapse whitespace runs (incl. tabs, NBSP, line breaks inside quoted cells)."""
    return " ".join(value.split())


def _delimiter(header_line: str) -> str:
    # Excel writes ';' where the decimal separator is a comma (ru locale), ',' elsewhere; the
    # header names contain neither, so whichever occurs there is the delimiter.
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _check(name: str, label: str, max_len: int) -> str | None:
    if not name:
        return f"{label} is empty"
    if len(name) > max_len:
        return f"{label} is longer than {max_len} characters ({len(name)})"
    return None


def parse_structure(text: str) -> ParsedStructure:
    """Validate every row of the CSV text; nothing is stored here."""
    result = ParsedStructure()
    text = text.removeprefix("\ufeff")
    delimiter = _delimiter(text.partition("\n")[0])
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
    try:
        header = [cell.strip().casefold() for cell in next(reader, [])]
        problems = [
            f"column '{name}' appears more than once"
            for name in (_SCHOOL, _CLASS)
            if header.count(name) > 1
        ]
        missing = [name for name in (_SCHOOL, _CLASS) if name not in header]
        if missing:
            problems.append(
                f"header must name the columns {_SCHOOL} and {_CLASS}"
                f" (missing: {', '.join(missing)}; found: {', '.join(header) or 'nothing'})"
            )
        if problems:
            result.errors.append((1, "; ".join(problems)))
            return result
        school_col, class_col = header.index(_SCHOOL), header.index(_CLASS)

        first_seen: dict[tuple[str, str], int] = {}
        while True:
            # A quoted cell may span lines: report the line where the record starts.
            line = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                break
            if not any(cell.strip() for cell in cells):
                continue  # blank lines and Excel's ";" rows left by emptied cells
            if len(cells) != len(header):
                result.errors.append((line, f"expected {len(header)} columns, got {len(cells)}"))
                continue
            school = normalize_name(cells[school_col])
            class_name = normalize_name(cells[class_col])
            problems = [
                p
                for p in (
                    _check(school, "school name", SCHOOL_MAX_LEN),
                    _check(class_name, "class name", CLASS_MAX_LEN),
                )
                if p
            ]
            if problems:
                result.errors.append((line, "; ".join(problems)))
                continue
            key = (school.translate(_NOCASE), class_name.translate(_NOCASE))
            if key in first_seen:
                result.duplicates.append((line, first_seen[key]))
                continue
            first_seen[key] = line
            result.rows.append(StructureRow(line, school, class_name))
    except csv.Error as exc:  # e.g. a NUL byte: the rest of the file cannot be trusted
        result.errors.append((reader.line_num, f"unreadable CSV: {exc}"))
        return result

    if not result.rows and not result.errors:
        result.errors.append((1, "no data rows under the header"))
    return result


async def import_structure(db: Database, parsed: ParsedStructure) -> ImportResult:
    """Create the missing schools and classes in one transaction; nothing if `parsed` has errors."""
    result = ImportResult(duplicates=list(parsed.duplicates), errors=list(parsed.errors))
    if result.errors:
        return result

    def import_rows(conn: sqlite3.Connection) -> None:
        school_ids: dict[str, int] = {}
        # Tracked by id: a name repeated with different ASCII case maps to the same row, and a
        # row created earlier in this run must not be reported as "already existed".
        seen_schools: set[int] = set()
        seen_classes: set[int] = set()
        for row in parsed.rows:
            school_id = school_ids.get(row.school)
            if school_id is None:
                school_id, created = ensure_school(conn, row.school)
                school_ids[row.school] = school_id
                if school_id not in seen_schools:
                    seen_schools.add(school_id)
                    (result.created_schools if created else result.skipped_schools).append(
                        row.school
                    )
            class_id, created = ensure_class(conn, school_id, row.class_name)
            if class_id in seen_classes:
                continue
            seen_classes.add(class_id)
            imported = ImportedClass(row.school, row.class_name, class_code_of(conn, class_id))
            (result.created_classes if created else result.skipped_classes).append(imported)

    # One unit of work: a file is imported completely or not at all.
    await db.run(import_rows)
    return result


def _read_text(csv_path: Path) -> str:
    """The file's text; ValueError with a one-line, operator-readable reason otherwise."""
    try:
        raw = csv_path.read_bytes()
    except FileNotFoundError:
        raise ValueError(f"{csv_path}: file not found") from None
    except IsADirectoryError:
        raise ValueError(f"{csv_path}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise ValueError(f"{csv_path}: cannot read the file ({exc.strerror})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ValueError(
            f"{csv_path}: line {line} is not UTF-8 text; in Excel save it as 'CSV UTF-8'"
        ) from None


def format_report(csv_path: Path, result: ImportResult) -> str:
    if result.errors:
        lines = [f"{csv_path}: {len(result.errors)} bad row(s), nothing was imported:"]
        lines += [f"  line {line}: {message}" for line, message in result.errors]
        return "\n".join(lines)
    lines = [
        f"{csv_path}: created {len(result.created_schools)} school(s)"
        f" and {len(result.created_classes)} class(es);"
        f" {len(result.skipped_schools)} school(s) and {len(result.skipped_classes)} class(es)"
        " already existed and were left unchanged."
    ]
    if result.created_schools:
        lines.append("Created schools:")
        lines += [f"  {name}" for name in result.created_schools]
    if result.created_classes:
        lines.append("Created classes (deep link: /start c_<code>):")
        lines += [f"  {c.school} / {c.name}: {c.deep_link}" for c in result.created_classes]
    if result.skipped_schools:
        lines.append("Skipped, school already exists:")
        lines += [f"  {name}" for name in result.skipped_schools]
    if result.skipped_classes:
        lines.append("Skipped, class already exists:")
        lines += [f"  {c.school} / {c.name}: {c.deep_link}" for c in result.skipped_classes]
    if result.duplicates:
        lines.append("Skipped, duplicate rows in the file:")
        lines += [f"  line {line} repeats line {first}" for line, first in result.duplicates]
    return "\n".join(lines)


async def run_import(db_path: Path, csv_path: Path, out: TextIO) -> int:
    """CLI entry: import `csv_path` into the database at `db_path`; 0 on success, 1 otherwise."""
    try:
        parsed = parse_structure(_read_text(csv_path))
    except ValueError as exc:
        print(f"Error: {exc}", file=out)
        return 1
    if parsed.errors:
        # Reported before the database is even opened: a bad file cannot change anything.
        print(format_report(csv_path, ImportResult(errors=parsed.errors)), file=out)
        return 1
    try:
        db = await Database.open(db_path)
        try:
            result = await import_structure(db, parsed)
        finally:
            await db.close()
    except (sqlite3.Error, OSError) as exc:
        print(f"Error: database {db_path}: {exc}; nothing was imported", file=out)
        return 1
    print(format_report(csv_path, result), file=out)
    return 0
