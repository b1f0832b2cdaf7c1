"""Group data and outcomes (issue 25): imported all or nothing, audited, kept apart,
erased with the candidate, out of ``score export``, in ``db export`` only when asked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hiring.spreadsheets import RowsError
from hiring.store import add_candidate, erase_candidate, open_store, set_score
from hiring.store.group_data import candidate_groups, import_group_data
from hiring.store.outcomes import import_outcomes, outcome_values
from tests.cli_helpers import ok, refused, run

# Values that must never show up where group data does not belong.
GROUP = "GRPVALUE-lilac-heron"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def people(store: Any, small_bank_loaded: Any) -> dict[str, int]:
    ids = {}
    for name in ("Ann Lee", "Bo Dahl", "Cy Moe"):
        ids[name] = add_candidate(store, name, role="inbound-agent").id
    set_score(store, small_bank_loaded, ids["Ann Lee"], "Kim", "teamwork", 4, note="fine",
              round_id="panel")
    return ids


def _rows(store: Any, table: str) -> list[tuple[Any, ...]]:
    return store.all(f"SELECT * FROM {table} ORDER BY id")


def test_group_import_stores_and_audits_without_the_group(
    store: Any, people: dict[str, int], tmp_path: Path
) -> None:
    csv = _write(tmp_path / "g.csv", "candidate,attribute,group\n"
                 f"Ann Lee,gender,{GROUP}\n{people['Bo Dahl']},gender,man\n"
                 "Ann Lee,age_band,25-34\n")
    counts = import_group_data(store, csv, actor="Rita")
    assert (counts.created, counts.updated, counts.unchanged, counts.candidates) == (3, 0, 0, 2)
    assert candidate_groups(store, "gender") == {people["Ann Lee"]: GROUP,
                                                 people["Bo Dahl"]: "man"}
    audit = store.all("SELECT actor, action, candidate_id, old_value, new_value FROM audit "
                      "WHERE action = 'group_data.set' ORDER BY id")
    assert audit == [("Rita", "group_data.set", people["Ann Lee"], None, "gender"),
                     ("Rita", "group_data.set", people["Bo Dahl"], None, "gender"),
                     ("Rita", "group_data.set", people["Ann Lee"], None, "age_band")]
    # A second import: one changed, one the same.
    again = _write(tmp_path / "g2.csv", "candidate,attribute,group\n"
                   "Ann Lee,gender,woman\nBo Dahl,gender,man\n")
    counts = import_group_data(store, again)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 1)
    assert candidate_groups(store, "gender")[people["Ann Lee"]] == "woman"
    texts = " ".join(str(v) for row in store.all("SELECT * FROM audit") for v in row)
    assert GROUP not in texts and "woman" not in texts


def test_group_import_is_all_or_nothing_with_every_bad_line(
    store: Any, people: dict[str, int], tmp_path: Path
) -> None:
    erase_candidate(store, "Cy Moe")
    csv = _write(tmp_path / "bad.csv", "candidate,attribute,group\n"
                 "Ann Lee,gender,woman\n"          # 2: fine
                 "Nobody Here,gender,man\n"         # 3: unknown
                 "Bo Dahl,Gender Identity,man\n"    # 4: not a name
                 "Bo Dahl,gender,\n"                # 5: empty group
                 f"{people['Cy Moe']},gender,man\n"  # 6: erased
                 "Ann Lee,gender,woman\n")          # 7: again
    with pytest.raises(RowsError) as caught:
        import_group_data(store, csv)
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == [
        "line 3", "line 4", "line 5", "line 6", "line 7"]
    assert "no candidate 'Nobody Here'" in problems[0]
    assert "not a name of lower-case letters" in problems[1]
    assert "the group is empty" in problems[2]
    assert "was erased" in problems[3]
    assert "already on line 2" in problems[4]
    assert "nothing was imported" in str(caught.value)
    assert _rows(store, "group_data") == []
    assert store.all("SELECT 1 FROM audit WHERE action = 'group_data.set'") == []


def test_outcome_import_audits_old_and_new_values(
    store: Any, people: dict[str, int], tmp_path: Path
) -> None:
    csv = _write(tmp_path / "o.csv", "candidate;measure;value;date\n"
                 "Ann Lee;qa_score;4,5;2026-03-01\nBo Dahl;retained_90d;1;2026-04-02\n")
    counts = import_outcomes(store, csv, actor="Rita")
    assert (counts.created, counts.candidates) == (2, 2)
    values = outcome_values(store, "qa_score")
    assert values[people["Ann Lee"]].value == 4.5
    assert values[people["Ann Lee"]].measured == "2026-03-01"
    changed = _write(tmp_path / "o2.csv", "candidate,measure,value,date\n"
                     "Ann Lee,qa_score,3.9,2026-06-01\n")
    import_outcomes(store, changed, actor="Rita")
    audit = store.all("SELECT old_value, new_value FROM audit WHERE action = 'outcome.set' "
                      "ORDER BY id")
    assert audit[-1] == ("qa_score = 4.5 on 2026-03-01", "qa_score = 3.9 on 2026-06-01")
    bad = _write(tmp_path / "o3.csv", "candidate,measure,value,date\n"
                 "Ann Lee,csat,high,2026-06-01\nBo Dahl,csat,4,01/06/2026\n"
                 "Bo Dahl,csat,nan,2026-06-01\n")
    with pytest.raises(RowsError) as caught:
        import_outcomes(store, bad)
    assert [p.split(": ", 1)[1] for p in caught.value.problems] == [
        "the value 'high' is not a number",
        "the date '01/06/2026' is not a date YYYY-MM-DD",
        "the value 'nan' is not a finite number",
    ]
    assert store.all("SELECT COUNT(*) FROM outcomes WHERE measure = 'csat'") == [(0,)]


def test_erase_deletes_group_data_and_outcomes_and_marks_outcome_audit(
    store: Any, people: dict[str, int], tmp_path: Path
) -> None:
    import_group_data(store, _write(tmp_path / "g.csv", "candidate,attribute,group\n"
                                    f"Ann Lee,gender,{GROUP}\nBo Dahl,gender,man\n"))
    import_outcomes(store, _write(tmp_path / "o.csv", "candidate,measure,value,date\n"
                                  "Ann Lee,qa_score,4.25,2026-03-01\n"
                                  "Bo Dahl,qa_score,3,2026-03-01\n"))
    result = erase_candidate(store, "Ann Lee", wait_seconds=10)
    assert result.pending is None
    ann = people["Ann Lee"]
    assert store.all("SELECT candidate_id FROM group_data") == [(people["Bo Dahl"],)]
    assert store.all("SELECT candidate_id FROM outcomes") == [(people["Bo Dahl"],)]
    assert store.all("SELECT new_value FROM audit WHERE candidate_id = :c AND "
                     "action = 'outcome.set'", {"c": ann}) == [("[erased]",)]
    # Bo's values stay as they were.
    assert store.all("SELECT new_value FROM audit WHERE candidate_id = :c AND "
                     "action = 'outcome.set'", {"c": people["Bo Dahl"]}) == [
        ("qa_score = 3 on 2026-03-01",)]
    if store.dialect == "sqlite":  # the value is gone from the file itself
        store.close()
        assert GROUP.encode() not in Path(store.location).read_bytes()


def test_cli_imports_say_what_they_did_and_refuse_in_one_line(
    db_url: str, tmp_path: Path
) -> None:
    ok(db_url, "candidate", "add", "Ann Lee", "--role", "inbound-agent")
    groups = _write(tmp_path / "g.csv", "candidate,attribute,group\nAnn Lee,gender,woman\n")
    assert ok(db_url, "fairness", "import", str(groups)).strip() == (
        "group data: 1 added, 0 changed, 0 unchanged, for 1 candidate(s)")
    outcomes = _write(tmp_path / "o.csv", "candidate,measure,value,date\n"
                      "Ann Lee,retained_90d,1,2026-05-01\n")
    data = json.loads(ok(db_url, "outcome", "import", str(outcomes), "--json"))
    assert data == {"created": 1, "updated": 0, "unchanged": 0, "candidates": 1}
    bad = _write(tmp_path / "bad.csv", "candidate,attribute,grup\nAnn Lee,gender,woman\n")
    line = refused(db_url, "fairness", "import", str(bad), match="unknown column 'grup'")
    assert "did you mean 'group'?" in line
    result = run(db_url, "outcome", "import", str(_write(
        tmp_path / "bad2.csv", "candidate,measure,value,date\nNobody,csat,4,2026-01-01\n")))
    assert result.exit_code == 1
    assert "line 2: no candidate 'Nobody'" in result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith("nothing was imported")


def _filled(db_url: str, tmp_path: Path) -> None:
    ok(db_url, "candidate", "add", "Ann Lee", "--role", "inbound-agent")
    ok(db_url, "score", "set", "--candidate", "Ann Lee", "--interviewer", "Kim",
       "--competency", "teamwork", "--score", "4", "--round", "panel")
    ok(db_url, "fairness", "import", str(_write(
        tmp_path / "g.csv", f"candidate,attribute,group\nAnn Lee,gender,{GROUP}\n")))
    ok(db_url, "outcome", "import", str(_write(
        tmp_path / "o.csv", "candidate,measure,value,date\nAnn Lee,csat,4.75,2026-05-01\n")))


def test_score_export_leaves_group_data_and_outcomes_out(db_url: str, tmp_path: Path) -> None:
    _filled(db_url, tmp_path)
    for fmt in ("csv", "json"):
        text = ok(db_url, "score", "export", "--format", fmt)
        assert "Ann Lee" in text
        assert GROUP not in text and "gender" not in text and "4.75" not in text


def test_other_reports_never_show_group_data(db_url: str, tmp_path: Path) -> None:
    _filled(db_url, tmp_path)
    for args in (("report", "compare", "--json"), ("report", "candidate", "Ann Lee", "--json"),
                 ("candidate", "show", "Ann Lee")):
        text = ok(db_url, *args)
        assert "Ann Lee" in text or "teamwork" in text  # the command showed something
        assert GROUP not in text and "gender" not in text and "4.75" not in text, args
    page = tmp_path / "compare.html"
    ok(db_url, "report", "compare", "--out", str(page))
    html = page.read_text(encoding="utf-8")
    assert GROUP not in html and "gender" not in html


def test_db_export_writes_group_data_only_when_asked(db_url: str, tmp_path: Path) -> None:
    _filled(db_url, tmp_path)
    plain = tmp_path / "plain.json"
    output = ok(db_url, "db", "export", str(plain))
    assert "group_data 0" in output and "outcomes 1" in output
    assert ("left out: group_data 1 rows (special-category data: add --include-group-data "
            "to export it)") in output
    text = plain.read_text(encoding="utf-8")
    assert GROUP not in text and json.loads(text)["left_out"] == {"group_data": 1}
    full = tmp_path / "full.json"
    output = ok(db_url, "db", "export", str(full), "--include-group-data")
    assert "group_data 1" in output and "left out" not in output
    assert GROUP in full.read_text(encoding="utf-8")
    # Both restore; the plain one says what it lacks.
    restored = str(tmp_path / "restored.db")
    output = ok(restored, "db", "import", str(plain))
    assert "left out: group_data 1 rows (left out of the backup when it was exported)" in output
    with open_store(restored) as target:
        assert target.all("SELECT COUNT(*) FROM group_data") == [(0,)]
        assert target.all("SELECT value FROM outcomes") == [("4.75",)]
    complete = str(tmp_path / "complete.db")
    ok(complete, "db", "import", str(full))
    with open_store(complete) as target:
        assert target.all("SELECT group_name FROM group_data") == [(GROUP,)]
    copied = str(tmp_path / "copied.db")
    output = ok(db_url, "db", "copy", "--to", copied)
    assert "left out: group_data 1 rows" in output
    with open_store(copied) as target:
        assert target.all("SELECT COUNT(*) FROM group_data") == [(0,)]


def test_history_says_group_data_was_recorded_never_the_group(
    db_url: str, tmp_path: Path
) -> None:
    from hiring.store import candidate_history

    _filled(db_url, tmp_path)
    with open_store(db_url) as store:
        _, entries = candidate_history(store, "Ann Lee")
    text = "\n".join(entry.sentence() for entry in entries)
    assert "recorded the candidate's group data (gender)" in text
    assert 'recorded the outcome "csat = 4.75 on 2026-05-01"' in text
    assert GROUP not in text


def test_the_imports_load_no_heavy_module(tmp_path: Path) -> None:
    import subprocess
    import sys

    groups = _write(tmp_path / "g.csv", "candidate,attribute,group\nNobody,gender,woman\n")
    outcomes = _write(tmp_path / "o.csv",
                      "candidate,measure,value,date\nNobody,csat,4,2026-01-01\n")
    for command in (["fairness", "import", str(groups)], ["outcome", "import", str(outcomes)]):
        program = (
            "import sys\nfrom hiring.cli import app\n"
            f"sys.argv = ['hiring', '--db', {str(tmp_path / 'h.db')!r}, *{command!r}]\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            "heavy = ('weasyprint', 'jinja2', 'numpy', 'scipy', 'psycopg', 'pydantic', 'yaml',"
            " 'openpyxl')\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
        )
        result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                                check=True, cwd=Path(__file__).parent.parent)
        assert "no candidate 'Nobody'" in result.stderr  # the command really ran
        assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout
