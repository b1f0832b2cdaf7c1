"""`hiring demo` builds the whole path on an embedded SQLite database."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import invoke


def leniency_by_hand(db: Path) -> dict[str, float]:
    """Each interviewer's mean difference from the other interviewers on the same cells."""
    rows = sqlite3.connect(db).execute(
        "SELECT i.candidate_id, r.competency, i.interviewer, r.score "
        "FROM ratings r JOIN interviews i ON i.id = r.interview_id"
    ).fetchall()
    cells: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for candidate, competency, interviewer, score in rows:
        cells[(candidate, competency)][interviewer] = score
    differences: dict[str, list[float]] = defaultdict(list)
    for scores in cells.values():
        for interviewer, score in scores.items():
            others = [s for name, s in scores.items() if name != interviewer]
            if others:
                differences[interviewer].append(score - sum(others) / len(others))
    return {name: sum(d) / len(d) for name, d in differences.items()}


@pytest.mark.slow
def test_demo_builds_database_guides_and_report(runner: CliRunner, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "demo"
    result = invoke(runner, "demo", "--out", str(out))
    assert result.exit_code == 0, result.output
    db = out / "hiring.db"
    report = out / "comparison-report.pdf"
    assert f"report:    {report}" in result.stdout
    guides = sorted((out / "guides").glob("*.pdf"))
    assert len(guides) == 8
    assert all(p.with_name(p.name + ".manifest.json").is_file() for p in guides)

    connection = sqlite3.connect(db)
    # A team roster: whoever ran the demo is its recruiter; the panel are interviewers.
    roster = dict(connection.execute("SELECT name, roles FROM team_members").fetchall())
    assert roster["Demo Recruiter"] == "recruiter" and roster["Sofie Nielsen"] == "interviewer"
    assert roster["Karen Holm"] == "manager"
    demo_role = " WHERE role = 'inbound-agent'"  # the synthetic history is another role's
    assert connection.execute("SELECT COUNT(*) FROM candidates" + demo_role).fetchone() == (8,)
    # inbound-agent panel: 10 competencies x 8 candidates x 3 interviewers, one scorecard missing
    assert connection.execute(
        "SELECT COUNT(*) FROM ratings r JOIN interviews i ON i.id = r.interview_id"
        + demo_role.replace("role", "i.role")).fetchone() == (230,)
    assert connection.execute(
        "SELECT COUNT(*) FROM recommendations d JOIN interviews i ON i.id = d.interview_id"
        + demo_role.replace("role", "i.role")).fetchone() == (23,)
    # Each guide and its manifest hold the name: recorded, so erasing the candidate finds them.
    files = connection.execute("SELECT path FROM candidate_files").fetchall()
    assert sorted(Path(path) for (path,) in files) == sorted(
        [path.resolve() for path in guides]
        + [path.with_name(path.name + ".manifest.json").resolve() for path in guides]
    )

    # The synthetic history (another role) and its two reports; the demo candidates have
    # no group data or outcomes.
    history = out / "synthetic-history"
    assert f"fairness:  {out / 'fairness-report.pdf'}" in result.stdout
    assert f"validity:  {out / 'validity-report.pdf'}" in result.stdout
    assert "300 made-up applicants" in result.stdout
    assert (history / "synthetic-group-data.csv").is_file()
    assert (history / "synthetic-outcomes.csv").is_file()
    assert connection.execute(
        "SELECT COUNT(*) FROM group_data g JOIN candidates c ON c.id = g.candidate_id "
        "WHERE c.role = 'inbound-agent' OR c.name NOT LIKE 'Synthetic applicant %'"
    ).fetchone() == (0,)
    fairness = " ".join(" ".join(page.extract_text().split())
                        for page in PdfReader(out / "fairness-report.pdf").pages)
    assert "Attribute: synthetic_group" in fairness and "BELOW 4/5" in fairness.upper()
    # Every attribute the made-up history records says so where the report names it.
    assert "Attribute: synthetic_gender" in fairness and "Attribute: gender" not in fairness
    validity = " ".join(" ".join(page.extract_text().split())
                        for page in PdfReader(out / "validity-report.pdf").pages)
    # The measure says the figures are made up, on the page that shows them.
    assert "Interview scores and synthetic_qa_score" in validity and "Thorndike" in validity

    leniency = leniency_by_hand(db)
    assert leniency["Sofie Nielsen"] > 0.5
    assert max(leniency["Dmitri Volkov"], leniency["Elena Georgieva"]) < 0.3

    pending = invoke(runner, "--db", str(db), "score", "pending", "--json")
    assert pending.exit_code == 0, pending.output
    assert "Jonas Madsen" in pending.stdout and "Elena Georgieva" in pending.stdout

    pages = [page.extract_text() for page in PdfReader(report).pages]
    text = "\n".join(pages)
    # Page one marks the one candidate whose panel did not hand in every scorecard.
    summary = " ".join(pages[0].split())
    assert summary.upper().count("SCORECARD MISSING") == 1
    assert summary.upper().index("JONAS MADSEN") < summary.upper().index("SCORECARD MISSING")
    for name in ("Anna Jensen", "Mikkel Sørensen", "Olga Ivanova", "Chen Jing", "Jonas Madsen"):
        assert name in text
    assert "Sofie Nielsen" in text

    # Tagged PDF/UA-1 (issue 23): pdfua and the structure checks find nothing in the demo's
    # report, its fairness and validity reports, or a guide.
    from tests.pdf_checks import pdfua_findings, structure_problems

    for pdf in (report, out / "fairness-report.pdf", out / "validity-report.pdf", guides[0]):
        assert pdfua_findings(pdf) == [] and structure_problems(pdf) == [], pdf


def test_a_demo_folder_may_be_rebuilt(tmp_path: Path) -> None:
    from hiring.demo.run import MARKER, prepare_folder

    folder = tmp_path / "demo"
    prepare_folder(folder)
    (folder / "old-report.pdf").write_bytes(b"%PDF-old")
    prepare_folder(folder)  # made by the demo: cleared and reused
    assert sorted(p.name for p in folder.iterdir()) == [MARKER]


def test_demo_refuses_a_folder_it_did_not_make(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "thesis.txt").write_text("precious", encoding="utf-8")
    result = invoke(runner, "demo", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "is not empty and was not made by 'hiring demo'" in result.stderr
    assert (tmp_path / "thesis.txt").read_text(encoding="utf-8") == "precious"
