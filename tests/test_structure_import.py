from __future__ import annotations

import io
import re
import sqlite3
from pathlib import Path

import pytest

import bot.structure_import as structure_import
from bot.structure_import import import_structure, parse_structure, run_import
from storage.db import Database
from storage.schools import SchoolsRepo
from storage.schools import ensure_class as real_ensure_class

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "structure.csv"
CODE_RE = re.compile(r"^[a-z0-9]{8}$")

Structure = dict[str, dict[str, str]]  # school -> class -> code


async def structure(db: Database) -> Structure:
    repo = SchoolsRepo(db)
    schools, _ = await repo.search("", 0, 1000)
    return {s.name: {c.name: c.code for c in await repo.classes(s.id)} for s in schools}


def write(path: Path, text: str, *, bom: bool = False, encoding: str = "utf-8") -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


async def run(db_path: Path, csv_path: Path) -> tuple[int, str]:
    out = io.StringIO()
    code = await run_import(db_path, csv_path, out)
    return code, out.getvalue()


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("bom", [False, True], ids=["no-bom", "bom"])
async def test_imports_comma_and_semicolon_files_with_and_without_bom(
    db: Database, db_path: Path, tmp_path: Path, delimiter: str, bom: bool
) -> None:
    rows = ["school", "class"], ["МБОУ СОШ № 1", "5А"], ["МБОУ СОШ № 1", "11Б"], ["Лицей", "9В"]
    text = "".join(delimiter.join(r) + "\r\n" for r in rows)
    code, report = await run(db_path, write(tmp_path / "s.csv", text, bom=bom))

    assert code == 0, report
    got = await structure(db)
    assert {s: set(c) for s, c in got.items()} == {"МБОУ СОШ № 1": {"5А", "11Б"}, "Лицей": {"9В"}}
    assert "created 2 school(s) and 3 class(es)" in report
    for school, classes in got.items():
        assert f"  {school}\n" in report
        for name, class_code in classes.items():
            assert f"{school} / {name}: c_{class_code}" in report


async def test_header_order_case_and_whitespace_are_normalised(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    lines = [" Class ; SCHOOL ", "  5а ;  МБОУ   СОШ\t№ 1  ", '"5б";"Школа ""Радуга""; корпус 2"']
    text = "\n".join(lines)
    code, report = await run(db_path, write(tmp_path / "s.csv", text))

    assert code == 0, report
    got = await structure(db)
    assert {s: set(c) for s, c in got.items()} == {
        "МБОУ СОШ № 1": {"5а"},
        'Школа "Радуга"; корпус 2': {"5б"},
    }


async def test_second_run_creates_nothing_and_keeps_codes(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    csv_path = write(tmp_path / "s.csv", "school,class\nШкола 1,5А\nШкола 1,5Б\nШкола 2,5А\n")
    assert (await run(db_path, csv_path))[0] == 0
    before = await structure(db)

    code, report = await run(db_path, csv_path)

    assert code == 0, report
    assert await structure(db) == before
    assert "created 0 school(s) and 0 class(es); 2 school(s) and 3 class(es) already existed" in (
        report
    )
    assert "Created" not in report
    assert f"Школа 2 / 5А: c_{before['Школа 2']['5А']}" in report


async def test_file_extending_existing_structure_creates_only_new_rows(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    assert (await run(db_path, write(tmp_path / "a.csv", "school,class\nШкола 1,5А\n")))[0] == 0
    old_code = (await structure(db))["Школа 1"]["5А"]

    parsed = parse_structure("school,class\nШкола 1,5А\nШкола 1,6А\n")
    result = await import_structure(db, parsed)

    assert result.created_schools == []
    assert result.skipped_schools == ["Школа 1"]
    assert [c.name for c in result.created_classes] == ["6А"]
    assert [(c.name, c.code) for c in result.skipped_classes] == [("5А", old_code)]


async def test_bad_file_changes_nothing_and_reports_every_bad_line(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    assert (await run(db_path, write(tmp_path / "ok.csv", "school;class\nШкола 1;5А\n")))[0] == 0
    before = await structure(db)
    text = "\n".join(
        [
            "school;class",
            "Школа 2;5А",  # 2: fine, but must not be stored
            ";5Б",  # 3
            "Школа 2;   ",  # 4
            "",  # 5: blank lines are skipped, yet still counted
            "Ш" * 201 + ";5В",  # 6
            "Школа 2;" + "1" * 21,  # 7
            "Школа 2;5Г;лишнее",  # 8
            "Школа 2",  # 9
            "Ш" * 200 + ";" + "1" * 20,  # 10: exactly at the limits, fine
            " ; ",  # 11: an emptied Excel row, skipped
        ]
    )
    csv_path = write(tmp_path / "bad.csv", text)

    code, report = await run(db_path, csv_path)

    assert code == 1
    assert await structure(db) == before
    assert "nothing was imported" in report
    bad = {int(n) for n in re.findall(r"^  line (\d+): ", report, re.MULTILINE)}
    assert bad == {3, 4, 6, 7, 8, 9}
    assert "line 3: school name is empty" in report
    assert "line 4: class name is empty" in report
    assert "line 6: school name is longer than 200 characters (201)" in report
    assert "line 7: class name is longer than 20 characters (21)" in report
    assert "line 8: expected 2 columns, got 3" in report
    assert "line 9: expected 2 columns, got 1" in report


async def test_duplicate_rows_are_skipped_not_errors(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    text = "school,class\nSchool A,5a\nSchool  A , 5a\nschool a,5A\nSchool A,5б\n"
    code, report = await run(db_path, write(tmp_path / "s.csv", text))

    assert code == 0, report
    assert {s: set(c) for s, c in (await structure(db)).items()} == {"School A": {"5a", "5б"}}
    assert "line 3 repeats line 2" in report
    assert "line 4 repeats line 2" in report


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("school;klass\nШкола 1;5А\n", "missing: class"),
        ("school\nШкола 1\n", "missing: class"),
        ("Школа 1,5А\n", "missing: school, class"),
        ("", "missing: school, class"),
        ("school,class,school\nА,5А,Б\n", "column 'school' appears more than once"),
        ("school,class\n", "no data rows"),
    ],
)
async def test_bad_header_is_reported_on_line_1(
    db: Database, db_path: Path, tmp_path: Path, text: str, expected: str
) -> None:
    code, report = await run(db_path, write(tmp_path / "s.csv", text))

    assert code == 1
    assert re.search(rf"^  line 1: .*{re.escape(expected)}", report, re.MULTILINE), report
    assert await structure(db) == {}


def test_line_numbers_count_from_where_a_multiline_record_starts() -> None:
    parsed = parse_structure('school,class\r\n"Школа\r\n№ 1",5А\r\n,5Б\r\n"Школа\n2",\r\n')

    assert parsed.errors == [(4, "school name is empty"), (5, "class name is empty")]
    assert [(r.line, r.school) for r in parsed.rows] == [(2, "Школа № 1")]


async def test_nonexistent_file_is_one_line_and_creates_no_database(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "bot.sqlite3"
    code, report = await run(db_path, tmp_path / "missing.csv")

    assert code == 1
    assert report == f"Error: {tmp_path / 'missing.csv'}: file not found\n"
    assert not db_path.exists()


async def test_directory_and_non_utf8_files_are_one_line_errors(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    code, report = await run(db_path, tmp_path)
    assert code == 1
    assert report.count("\n") == 1
    assert "is a directory" in report

    cp1251 = write(tmp_path / "s.csv", "school;class\nШкола 1;5А\n", encoding="cp1251")
    code, report = await run(db_path, cp1251)
    assert code == 1
    assert report.count("\n") == 1
    assert "line 2 is not UTF-8" in report
    assert "Traceback" not in report
    assert await structure(db) == {}


async def test_sample_file_imports_cleanly(db: Database, db_path: Path) -> None:
    raw = SAMPLE.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.splitlines()[0] == b"\xef\xbb\xbfschool;class"

    code, report = await run(db_path, SAMPLE)

    assert code == 0, report
    got = await structure(db)
    assert 2 <= len(got) <= 3
    assert "МБОУ СОШ № 1" in got
    assert all(3 <= len(classes) <= 4 for classes in got.values())
    assert f"created {len(got)} school(s) and {sum(map(len, got.values()))} class(es)" in report


async def test_class_codes_are_unique_and_well_formed(db: Database, db_path: Path) -> None:
    assert (await run(db_path, SAMPLE))[0] == 0
    codes = [code for classes in (await structure(db)).values() for code in classes.values()]

    assert len(codes) == len(set(codes))
    assert all(CODE_RE.fullmatch(code) for code in codes), codes
    repo = SchoolsRepo(db)
    for code in codes:
        found = await repo.class_by_code(code)
        assert found is not None
        assert found.code == code


async def test_failure_midway_rolls_back_the_whole_import(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0

    def failing_ensure_class(
        conn: sqlite3.Connection, school_id: int, name: str
    ) -> tuple[int, bool]:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("disk full")
        return real_ensure_class(conn, school_id, name)

    monkeypatch.setattr(structure_import, "ensure_class", failing_ensure_class)
    parsed = parse_structure("school,class\nШкола 1,5А\nШкола 1,5Б\nШкола 2,5А\n")

    with pytest.raises(RuntimeError, match="disk full"):
        await import_structure(db, parsed)
    assert await structure(db) == {}
