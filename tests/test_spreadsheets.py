"""Spreadsheets as recruiters save them: one reader (hiring.spreadsheets) behind candidate import,
score import and guide batch. Each file here is written byte by byte as Excel, LibreOffice or
an attacker would save it; expected line numbers are counted by hand from those bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiring.cli import app
from tests.cli_helpers import ok, one_error_line, run
from tests.conftest import SMALL_BANK

SCORE_HEADER = "candidate,interviewer,competency,score,note"


def scores(db_url: str) -> list[tuple[str, str, int, str | None]]:
    data = json.loads(ok(db_url, "score", "export", "--format", "json"))
    return [(r["candidate"], r["competency"], r["score"], r["note"]) for r in data["ratings"]]


# -- the Why bullets ---------------------------------------------------------------------------


def test_danish_excel_semicolon_bom_crlf_file_imports(db_url: str, tmp_path: Path) -> None:
    # Excel's "CSV (semikolonsepareret)": ';', UTF-8 BOM, CRLF, a note with a comma in it.
    data = (
        "\ufeffcandidate;interviewer;competency;score;note;round\r\n"
        "Søren Ærø;Åse;teamwork;4;rolig, venlig;panel\r\n"
        "Søren Ærø;Åse;avoiding-arguments;2;;panel\r\n"
    ).encode()
    path = tmp_path / "karakterer.csv"
    path.write_bytes(data)
    assert "2 created" in ok(db_url, "score", "import", str(path), "--create-candidates")
    assert sorted(scores(db_url)) == [
        ("Søren Ærø", "avoiding-arguments", 2, None),
        ("Søren Ærø", "teamwork", 4, "rolig, venlig"),
    ]


def test_utf16_with_bom_and_tabs_imports(db_url: str, tmp_path: Path) -> None:
    # Excel's "Unicode text": UTF-16 LE with BOM, tab-separated.
    text = (
        "candidate\tinterviewer\tcompetency\tscore\tround\r\n"
        "Жана Петрова\tИво\tteamwork\t5\tpanel\r\n"
    )
    path = tmp_path / "unicode.txt"
    path.write_bytes(text.encode("utf-16"))  # Python writes the BOM
    assert "1 created" in ok(db_url, "score", "import", str(path), "--create-candidates")
    assert scores(db_url) == [("Жана Петрова", "teamwork", 5, None)]


def test_cp1252_is_one_line_naming_the_file_and_encoding_reads_it(
    db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(f"{SCORE_HEADER},round\nJosé Müller,Lu,teamwork,3,,panel\n".encode("cp1252"))
    line = one_error_line(run(db_url, "score", "import", str(path), "--create-candidates"))
    # 'é' is byte 0xe9 on line 2 (counted in the bytes above).
    assert str(path) in line and "line 2" in line and "0xe9" in line and "UTF-8" in line
    assert "--encoding" in line
    assert scores(db_url) == []
    ok(db_url, "score", "import", str(path), "--create-candidates", "--encoding", "cp1252")
    assert scores(db_url) == [("José Müller", "teamwork", 3, None)]


def test_unknown_encoding_name_is_refused(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("name\nA\n", encoding="utf-8")
    line = one_error_line(run(db_url, "candidate", "import", str(path), "--encoding", "klingon"))
    assert "--encoding 'klingon'" in line


def test_200000_character_field_is_refused_with_its_line(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,email,role\nAnn,,\n\n" + "B" * 200_000 + ",,\n", encoding="utf-8")
    result = run(db_url, "candidate", "import", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "_csv.Error" not in result.output
    # header 1, Ann 2, blank 3, the long name 4
    assert f"{path}: line 4: a cell is over 100,000 characters (column name)" in result.stderr
    assert json.loads(ok(db_url, "candidate", "list", "--json")) == []


def test_unclosed_quote_is_refused_at_the_line_it_opens(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        f"{SCORE_HEADER}\n"
        "Kim,Lu,teamwork,4,fine\n"
        'Kim,Lu,avoiding-arguments,2,"she said ok\n'  # line 3: the quote never closes
        "Kim,Mo,teamwork,5,\n",
        encoding="utf-8",
    )
    line = one_error_line(run(db_url, "score", "import", str(path), "--create-candidates"))
    assert line == f"Error: {path}: line 3: a quote opened on this line is never closed"
    assert scores(db_url) == []


def test_quoted_newline_is_kept_and_lines_stay_true(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        f"{SCORE_HEADER},round\n"
        'Kim,Lu,teamwork,4,"first line\nsecond line",panel\n'  # lines 2-3
        "\n"  # line 4 blank
        "Kim,Lu,avoiding-arguments,9,,panel\n",  # line 5: out of scale
        encoding="utf-8",
    )
    result = run(db_url, "score", "import", str(path), "--create-candidates")
    assert result.exit_code == 1
    assert f"{path}: line 5: score 9 is outside" in result.stderr
    path.write_text(
        f"{SCORE_HEADER},round\n" 'Kim,Lu,teamwork,4,"first line\nsecond line",panel\n',
        encoding="utf-8",
    )
    ok(db_url, "score", "import", str(path), "--create-candidates")
    assert scores(db_url) == [("Kim", "teamwork", 4, "first line\nsecond line")]


def test_blank_lines_keep_score_import_numbering(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    # line 1 header, 2 fine, 3 and 4 blank, 5 out of scale
    path.write_text(f"{SCORE_HEADER}\nKim,Lu,teamwork,4,\n\n\nKim,Lu,avoiding-arguments,9,\n",
                    encoding="utf-8")
    result = run(db_url, "score", "import", str(path), "--create-candidates")
    assert result.exit_code == 1
    assert f"{path}: line 5: score 9 is outside" in result.stderr


def test_blank_lines_keep_candidate_import_numbering(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    # Excel writes empty rows as ",,"; line 1 header, 2 Ann, 3 blank, 4 ",,", 5 bad e-mail
    path.write_text("name,email,role\r\nAnn,,\r\n\r\n,,\r\nBo,not-an-email,\r\n",
                    encoding="utf-8")
    result = run(db_url, "candidate", "import", str(path))
    assert result.exit_code == 1
    assert f"{path}: line 5: 'not-an-email' is not an e-mail address" in result.stderr


def test_extra_columns_are_refused_not_ignored(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        f"{SCORE_HEADER}\n"
        "Kim,Lu,teamwork,4,calm, friendly\n"  # line 2: unquoted comma in the note
        "Kim,Lu,avoiding-arguments,2,\n"
        "Kim,Mo,teamwork,4,late, but fine\n",  # line 4
        encoding="utf-8",
    )
    result = run(db_url, "score", "import", str(path), "--create-candidates")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == (
        f"{path}: lines 2, 4: 6 cells but the header has 5 columns "
        "(a comma inside a cell needs the cell in double quotes)"
    )
    assert len(lines) == 2 and lines[1].startswith("Error: 2 unreadable row(s)")
    assert scores(db_url) == []


def test_trailing_empty_cells_from_a_spreadsheet_are_fine(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name;email;role;;\nAnn;;;;\n", encoding="utf-8")
    assert "ids 1" in ok(db_url, "candidate", "import", str(path))


def test_two_unknown_names_are_one_summarised_line(db_url: str, tmp_path: Path) -> None:
    rows = [f"{name},Lu,teamwork,{score}," for name in ("Ann", "Bo") for score in (1, 2, 3, 4)]
    rows += [f"{name},Mo,avoiding-arguments,1," for name in ("Ann", "Bo")]
    path = tmp_path / "in.csv"
    path.write_text(SCORE_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = run(db_url, "score", "import", str(path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    # Ann on lines 2-5 and 10, Bo on 6-9 and 11 (header is line 1).
    assert lines[0] == (
        f"{path}: lines 2-11: no candidate 'Ann' (lines 2-5, 10), 'Bo' (lines 6-9, 11) "
        "(--create-candidates adds unknown names)"
    )
    assert len(lines) == 2 and "10 invalid row(s)" in lines[1]


def test_delimiter_option_overrides_the_sniffer(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name\nLund; Bo\n", encoding="utf-8")  # one column holding a ';'
    ok(db_url, "candidate", "import", str(path), "--delimiter", ",")
    assert [c["name"] for c in json.loads(ok(db_url, "candidate", "list", "--json"))] == [
        "Lund; Bo"
    ]
    line = one_error_line(run(db_url, "candidate", "import", str(path), "--delimiter", "|"))
    assert "--delimiter '|'" in line


# -- .xlsx -----------------------------------------------------------------------------------


def test_xlsx_import_and_export_round_trip(db_url: str, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Candidate", "Interviewer", "Competency", "Score", "Note", "Round"])
    sheet.append(["Kim", "Lu", "teamwork", 4, "=HYPERLINK(\"http://x\")", "panel"])
    sheet["E2"].data_type = "s"  # typed as text ('=...) in Excel: a note, not a formula
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Kim", "Lu", "avoiding-arguments", 2.0, "multi\nline", "panel"])
    source = tmp_path / "in.xlsx"
    workbook.save(source)
    ok(db_url, "score", "import", str(source), "--create-candidates")
    assert sorted(scores(db_url)) == [
        ("Kim", "avoiding-arguments", 2, "multi\nline"),
        ("Kim", "teamwork", 4, '=HYPERLINK("http://x")'),
    ]
    out = tmp_path / "out.xlsx"
    ok(db_url, "score", "export", "--format", "xlsx", "--out", str(out))
    back = openpyxl.load_workbook(out)
    values = [list(row) for row in back.active.iter_rows(values_only=True)]
    assert values[0] == ["candidate", "interviewer", "competency", "score", "note", "round",
                         "question", "role", "recommendation"]
    # The formula stays text (prefixed as in the CSV export), the score is a number.
    cells = {row[2]: row for row in values[1:]}
    assert cells["teamwork"][3] == 4 and cells["teamwork"][4] == "'=HYPERLINK(\"http://x\")"
    assert all(cell.data_type != "f" for row in back.active.iter_rows() for cell in row)


def test_xlsx_bad_rows_name_their_sheet_row(db_url: str, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["name", "email"])
    sheet.append(["Ann", "ann@example.com"])
    sheet.append(["Bo", "nope"])
    path = tmp_path / "people.xlsx"
    workbook.save(path)
    result = run(db_url, "candidate", "import", str(path))
    assert result.exit_code == 1
    assert f"{path}: line 3: 'nope' is not an e-mail address" in result.stderr


def test_not_a_workbook_is_one_line(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "people.xlsx"
    path.write_text("name\nAnn\n", encoding="utf-8")
    line = one_error_line(run(db_url, "candidate", "import", str(path)))
    assert "is not an .xlsx workbook" in line


def test_xlsx_export_needs_out(db_url: str) -> None:
    assert "--out" in one_error_line(run(db_url, "score", "export", "--format", "xlsx"))


# -- guide batch reads with the same reader --------------------------------------------------


def test_batch_keeps_u2028_and_quoted_newlines_inside_one_cell(tmp_path: Path) -> None:
    from hiring.guides.batch_rows import read_candidates

    path = tmp_path / "people.csv"
    path.write_text(
        "name,interviewer\n"
        "Ann\u2028Lee,Lu\n"  # line 2: U+2028 is not a line end in CSV
        '"Bo\nEk",Lu\n'  # lines 3-4
        "Cy,Lu\n",  # line 5
        encoding="utf-8",
    )
    rows, problems = read_candidates(path)
    assert problems == []
    assert [(row.line, row.name) for row in rows] == [
        (2, "Ann\u2028Lee"),
        (3, "Bo\nEk"),
        (5, "Cy"),
    ]


def test_batch_reads_semicolon_bom_files(tmp_path: Path) -> None:
    from hiring.guides.batch_rows import read_candidates

    path = tmp_path / "people.csv"
    path.write_bytes("\ufeffName;Interviewer\r\nÅse;Lu\r\n".encode())
    rows, problems = read_candidates(path)
    assert problems == [] and [(r.line, r.name, r.interviewer) for r in rows] == [
        (2, "Åse", "Lu")
    ]


def test_summarise_groups_by_reason() -> None:
    from hiring.spreadsheets import summarise

    assert summarise(["line 2: x", "line 3: x", "line 5: x", "line 4: y", "... and 3 more"]) == [
        "lines 2-3, 5: x",
        "line 4: y",
        "... and 3 more",
    ]


def test_csv_import_never_loads_openpyxl(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    path = tmp_path / "people.csv"
    path.write_text("name\nAnn\n", encoding="utf-8")
    program = (
        "import runpy, sys\n"
        f"sys.argv = ['hiring', '--db', {str(tmp_path / 'h.db')!r}, 'candidate', 'import',"
        f" {str(path)!r}]\n"
        "try:\n    runpy.run_module('hiring', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('openpyxl' in sys.modules)\n"
    )
    env = {**os.environ, "HIRING_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          cwd=Path(__file__).parent.parent, check=True, env=env)
    assert "added 1 candidate" in done.stdout
    assert done.stdout.strip().endswith("False")


def test_a_workbook_named_csv_says_so(db_url: str, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.append(["name"])
    path = tmp_path / "people.csv"
    workbook.save(path)
    line = one_error_line(run(db_url, "candidate", "import", str(path)))
    assert line == f"Error: {path} is a workbook (.xlsx), not CSV text: name it .xlsx"


def test_batch_summarises_a_reader_problem_once(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("name,interviewer\n" + "".join(",Ole\n" for _ in range(30)),
                      encoding="utf-8")
    result = CliRunner().invoke(app, [
        "--bank", str(SMALL_BANK), "guide", "batch", "--role", "inbound-agent",
        "--candidates", str(people), "--out-dir", str(tmp_path / "out"), "--format", "md",
        "--no-record"])
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed")]
    assert failed == ["failed lines 2-31: empty name"]
    assert "0 guide(s) written" in result.stdout and "30 failed" in result.stdout


def test_a_column_nobody_reads_is_refused_not_dropped(db_url: str, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    # A typo: every e-mail address would have been dropped without a word. Line 1 is blank.
    people.write_text("\nname,emial\nAnn,ann@example.com\n", encoding="utf-8")
    line = one_error_line(run(db_url, "candidate", "import", str(people)))
    assert line.startswith(
        f"Error: {people}: line 2: unknown column 'emial' (did you mean 'email'?) (columns: "
    )
    assert json.loads(ok(db_url, "candidate", "list", "--json")) == []
    people.write_text("email,phone\na@b.c,1\n", encoding="utf-8")
    line = one_error_line(run(db_url, "candidate", "import", str(people)))
    assert "line 1: the header lacks name; unknown column 'phone'" in line


def test_batch_refuses_a_column_it_does_not_read(tmp_path: Path) -> None:
    from hiring.errors import InputError
    from hiring.guides.batch_rows import read_candidates

    people = tmp_path / "people.csv"
    people.write_text("name,interviewr\nAnn,Ole\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown column 'interviewr' \\(did you mean "
                                         "'interviewer'\\?\\)"):
        read_candidates(people)


def test_xlsx_with_data_on_a_second_sheet_is_refused(db_url: str, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.append(["name"])
    workbook.active.append(["Ann"])
    workbook.create_sheet("Empty")
    more = workbook.create_sheet("More")
    more.append(["Bo"])
    path = tmp_path / "people.xlsx"
    workbook.save(path)
    line = one_error_line(run(db_url, "candidate", "import", str(path)))
    assert "reads one sheet, the first ('Sheet'), but 'More' also holds data" in line
    assert json.loads(ok(db_url, "candidate", "list", "--json")) == []
