"""Every input checked: unknown --lang and --detail -1 refused; bank validate reports a broken
scale once and names a tab; --json where a script would want it; a multi-line note stays on
one line of a terminal table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiring.cli import app
from tests.cli_helpers import one_error_line
from tests.conftest import SMALL_BANK


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize(
    "command",
    [
        ["bank", "list"],
        ["bank", "show", "teamwork"],
        ["guide", "build", "--role", "inbound-agent", "--out", "{tmp}/g.md"],
        ["guide", "batch", "--role", "inbound-agent", "--candidates", "{tmp}/p.csv",
         "--out-dir", "{tmp}/out"],
        ["report", "compare", "--out", "{tmp}/r.html"],
        ["report", "candidate", "1", "--out", "{tmp}/r.html"],
        ["score", "enter", "--candidate", "1", "--interviewer", "A"],
        ["interview", "add", "--candidate", "1", "--interviewer", "A"],
        ["demo", "--out", "{tmp}/demo"],
    ],
)
def test_unknown_lang_is_refused_by_every_command(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "p.csv").write_text("name\nAnn\n", encoding="utf-8")
    args = [part.replace("{tmp}", str(tmp_path)) for part in command]
    result = run("--bank", str(SMALL_BANK), "--db", str(tmp_path / "h.db"), *args,
                 "--lang", "xx")
    line = one_error_line(result)
    assert ("--lang 'xx' is not a language hiring knows (one of: en, da, ru, bg, zh; a bank "
            "folder adds one with strings.xx.po") in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.csv"]  # nothing written


def test_known_lang_still_works() -> None:
    result = run("--bank", str(SMALL_BANK), "bank", "list", "--lang", "da")
    assert result.exit_code == 0 and "teamwork" in result.stdout


def test_negative_detail_is_a_usage_error(tmp_path: Path) -> None:
    result = run("--bank", str(SMALL_BANK), "--db", str(tmp_path / "h.db"), "report", "compare",
                 "--detail", "-1", "--out", str(tmp_path / "r.html"))
    assert result.exit_code == 2 and "--detail" in result.output
    assert not (tmp_path / "r.html").exists()


# -- bank validate ---------------------------------------------------------------------------


def test_a_broken_scale_is_reported_once(small_bank: Path) -> None:
    scales = small_bank / "scales.yaml"
    scales.write_text(scales.read_text(encoding="utf-8").replace("    max: 5", "    max: 0", 1),
                      encoding="utf-8")
    result = run("bank", "validate", str(small_bank))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"{scales}:6:5: max must be above min (scales[0]: min 1, max 0)",
        "1 problem(s) found",
    ]


def test_an_unreadable_scales_file_is_reported_once(small_bank: Path) -> None:
    scales = small_bank / "scales.yaml"
    scales.write_text(scales.read_text(encoding="utf-8").replace("    min: 1", "\tmin: 1", 1),
                      encoding="utf-8")
    result = run("bank", "validate", str(small_bank))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[1] == "1 problem(s) found", lines
    assert lines[0].startswith(f"{scales}:5:1: YAML syntax error: found a tab character")
    assert "indent with spaces" in lines[0]


def test_a_tab_that_cannot_start_a_token_is_named(small_bank: Path) -> None:
    scales = small_bank / "scales.yaml"
    scales.write_text("\tscales: []\n", encoding="utf-8")
    result = run("bank", "validate", str(small_bank))
    assert result.exit_code == 1
    assert (f"{scales}:1:1: YAML syntax error: found a tab character that cannot start any "
            "token (indent with spaces, not tabs)") in result.stderr


def test_bank_validate_json(small_bank: Path) -> None:
    good = run("bank", "validate", str(small_bank), "--json")
    assert good.exit_code == 0
    document = json.loads(good.stdout)
    assert document["ok"] is True and document["problems"] == []
    assert document["competencies"] == 2
    teamwork = small_bank / "competencies" / "teamwork.yaml"
    text = teamwork.read_text(encoding="utf-8")
    teamwork.write_text(text.replace("  kind: strength", "  kind: strong", 1), encoding="utf-8")
    bad = run("bank", "validate", str(small_bank), "--json")
    assert bad.exit_code == 1
    (problem,) = json.loads(bad.stdout)["problems"]
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row == "  kind: strength")
    assert problem["file"] == str(teamwork) and problem["line"] == line
    assert problem["key_path"] == "competency.kind"
    assert "'strength' or 'weakness'" in problem["message"]


# -- score import --json ---------------------------------------------------------------------


def test_score_import_json(tmp_path: Path) -> None:
    db = str(tmp_path / "h.db")
    rows = tmp_path / "in.csv"
    rows.write_text("candidate,interviewer,competency,score,round\nKim,Lu,teamwork,5,panel\n"
                    "Kim,Lu,teamwork,4,panel\nBo,Lu,avoiding-arguments,9,panel\n",
                    encoding="utf-8")
    failed = run("--bank", str(SMALL_BANK), "--db", db, "score", "import", str(rows),
                 "--create-candidates", "--json")
    assert failed.exit_code == 1
    document = json.loads(failed.stdout)
    assert document["imported"] is False and document["created"] == 0
    assert [r["line"] for r in document["refused"]] == [3, 4]
    assert "outside" in document["refused"][1]["reason"]
    rows.write_text("candidate,interviewer,competency,score,round\nKim,Lu,teamwork,5,panel\n",
                    encoding="utf-8")
    done = run("--bank", str(SMALL_BANK), "--db", db, "score", "import", str(rows),
               "--create-candidates", "--json")
    assert done.exit_code == 0
    assert json.loads(done.stdout) == {"file": str(rows), "imported": True, "created": 1,
                                       "updated": 0, "unchanged": 0, "candidates_created": 1,
                                       "roles_given": 0, "recommendations": 0,
                                       "submitted": 0, "notes_kept": 0, "notes_cleared": 0,
                                       "refused": []}


# -- terminal tables -------------------------------------------------------------------------


def test_a_multi_line_note_stays_on_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "h.db")
    assert run("--db", db, "candidate", "add", "Kim", "--role", "inbound-agent").exit_code == 0
    fake = "calm\nround2       teamwork                   Mallory                  5  great"
    assert run("--bank", str(SMALL_BANK), "--db", db, "score", "set", "--round", "panel",
               "--candidate", "Kim",
               "--interviewer", "Lu", "--competency", "teamwork", "--score", "2",
               "--note", fake).exit_code == 0
    listed = run("--db", db, "score", "list", "--candidate", "Kim")
    assert listed.exit_code == 0
    lines = listed.stdout.strip().splitlines()
    assert len(lines) == 3  # name, header, one rating
    assert lines[2].endswith("calm ↵ round2       teamwork                   Mallory"
                             "                  5  great")


# -- report --json ---------------------------------------------------------------------------


@pytest.fixture
def two_rated(tmp_path: Path) -> str:
    db = str(tmp_path / "h.db")
    people = tmp_path / "p.csv"
    people.write_text("name,role\nKim,inbound-agent\nBo,inbound-agent\n", encoding="utf-8")
    assert run("--db", db, "candidate", "import", str(people)).exit_code == 0
    scores = tmp_path / "s.csv"
    scores.write_text("candidate,interviewer,competency,score,round\n"
                      "Kim,Lu,teamwork,4,panel\nKim,Lu,avoiding-arguments,2,panel\n"
                      "Bo,Lu,teamwork,2,panel\nBo,Lu,avoiding-arguments,1,panel\n",
                      encoding="utf-8")
    assert run("--bank", str(SMALL_BANK), "--db", db, "score", "import",
               str(scores)).exit_code == 0
    return db


def test_report_compare_json_gives_the_figures_and_writes_nothing(
    two_rated: str, tmp_path: Path
) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run("--bank", str(SMALL_BANK), "--db", two_rated, "report", "compare", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert figures["candidates"] == 2
    # Overall = weighted mean of each rating placed on 0-1 of its scale (teamwork weight 1,
    # avoiding-arguments 2), back on 1-5, by hand: Kim (4-1)/4 = .75 and 2/3 -> (.75 +
    # 2 * 2/3) / 3 = .6944 -> 3.7778; Bo .25 and 1/3 -> .3056 -> 2.2222. Numbers, not text.
    assert [(r["name"], r["rank"]) for r in figures["ranking"]] == [("Kim", 1), ("Bo", 2)]
    assert [r["score"]["mean"] for r in figures["ranking"]] == pytest.approx(
        [1 + 4 * (0.75 + 2 * 2 / 3) / 3, 1 + 4 * (0.25 + 2 * 1 / 3) / 3])
    assert [[(c["competency"], c["used"]) for c in r["competencies"]]
            for r in figures["ranking"]] == [
        [("teamwork", 4.0), ("avoiding-arguments", 2.0)],
        [("teamwork", 2.0), ("avoiding-arguments", 1.0)]]
    assert "t" not in figures and "method" not in figures and "heatmap" not in figures


def test_report_json_with_out_writes_the_file_too(two_rated: str, tmp_path: Path) -> None:
    out = tmp_path / "c.html"
    result = run("--bank", str(SMALL_BANK), "--db", two_rated, "report", "candidate", "Bo",
                 "--json", "--out", str(out))
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["candidate"]["name"] == "Bo"
    assert [section["pool_size"] for section in figures["sections"]] == [2]
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"wrote {out}" in result.stderr


def test_report_needs_out_or_json(two_rated: str) -> None:
    line = one_error_line(run("--bank", str(SMALL_BANK), "--db", two_rated, "report",
                              "compare"))
    assert "give --out FILE" in line and "--json" in line
