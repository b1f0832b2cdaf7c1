"""``hiring stats reliability`` on a real store, checked against pingouin (ICCs) and the
krippendorff package (alpha), both test-only references."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from hiring.bank import load_bank
from hiring.cli import app
from hiring.store import add_candidate, set_score

SMALL_BANK = Path(__file__).parent / "fixtures" / "small_bank"
ROLE = "inbound-agent"
INTERVIEWERS = ("Eve", "Finn", "Gus")


@pytest.fixture
def rated(store, tmp_path: Path):  # type: ignore[no-untyped-def]
    """12 candidates x 3 interviewers on teamwork (1-5) and avoiding-arguments (0-3);
    Gus did not rate the last three candidates on avoiding-arguments (incomplete)."""
    bank = load_bank([SMALL_BANK])
    rng = np.random.default_rng(11)
    teamwork = np.clip(np.round(3 + rng.normal(0, 1.1, (12, 1)) + rng.normal(0, 0.7, (12, 3))),
                       1, 5).astype(int)
    avoiding = np.clip(np.round(1.5 + rng.normal(0, 0.9, (12, 1)) + rng.normal(0, 0.5, (12, 3))),
                       0, 3).astype(float)
    avoiding[9:, 2] = np.nan
    for i in range(12):
        add_candidate(store, f"Cand {i:02d}", role=ROLE)
        for j, who in enumerate(INTERVIEWERS):
            set_score(store, bank, f"Cand {i:02d}", who, "teamwork", int(teamwork[i, j]),
                      round_id="panel")
            if not np.isnan(avoiding[i, j]):
                set_score(store, bank, f"Cand {i:02d}", who, "avoiding-arguments",
                          int(avoiding[i, j]), round_id="panel")
    return store, teamwork.astype(float), avoiding


def run(store, *args: str):  # type: ignore[no-untyped-def]
    db = store.location if store.dialect == "postgresql" else str(store.path)
    if store.dialect == "postgresql":
        pytest.skip("the CLI test uses the SQLite file; PostgreSQL is covered by the reports")
    return CliRunner().invoke(app, ["--bank", str(SMALL_BANK), "--db", db, *args])


def by_measure(rows: list[dict], competency: str) -> dict[str, float | None]:  # type: ignore[type-arg]
    return {r["measure"]: r["value"] for r in rows if r["competency"] == competency}


def test_iccs_match_pingouin_on_a_complete_design(rated) -> None:  # type: ignore[no-untyped-def]
    pd = pytest.importorskip("pandas")
    pingouin = pytest.importorskip("pingouin")
    store, teamwork, _ = rated
    result = run(store, "stats", "reliability", "--competency", "teamwork", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert (figures["candidates"], figures["interviewers"]) == (12, 3)
    ours = by_measure(figures["rows"], "teamwork")
    long = pd.DataFrame([(i, j, teamwork[i, j]) for i in range(12) for j in range(3)],
                        columns=["target", "rater", "score"])
    reference = pingouin.intraclass_corr(long, targets="target", raters="rater",
                                         ratings="score").set_index("Type")["ICC"]
    # pingouin 0.7 names the two-way forms after McGraw & Wong: A = absolute agreement
    # (Shrout & Fleiss case 2), C = consistency (case 3).
    names = {"ICC(1,1)": "ICC(1,1)", "ICC(A,1)": "ICC(2,1)", "ICC(C,1)": "ICC(3,1)",
             "ICC(1,k)": "ICC(1,k)", "ICC(A,k)": "ICC(2,k)", "ICC(C,k)": "ICC(3,k)"}
    for theirs, mine in names.items():
        assert ours[mine] == pytest.approx(float(reference[theirs]), abs=1e-9), mine
    assert {r["competency"] for r in figures["rows"]} == {"teamwork"}


def test_alpha_matches_krippendorff_with_missing_ratings(rated) -> None:  # type: ignore[no-untyped-def]
    krippendorff = pytest.importorskip("krippendorff")
    store, _, avoiding = rated
    result = run(store, "stats", "reliability", "--json", "--round", "panel")
    assert result.exit_code == 0, result.output
    ours = by_measure(json.loads(result.output)["rows"], "avoiding-arguments")
    for level in ("interval", "ordinal"):
        reference = krippendorff.alpha(reliability_data=avoiding.T, level_of_measurement=level)
        assert ours[f"alpha({level})"] == pytest.approx(reference, abs=1e-9), level
    # ICC(2)/(3) rest on the complete block: all 12 candidates x Finn and Eve, or
    # 9 candidates x all three; the greedy search keeps the larger (27 > 24 cells).
    rows = json.loads(result.output)["rows"]
    block = next(r for r in rows if r["competency"] == "avoiding-arguments"
                 and r["measure"] == "ICC(2,1)")
    assert (block["targets"], block["raters"]) == (9, 3.0)


def test_table_output_and_errors(rated) -> None:  # type: ignore[no-untyped-def]
    store, _, _ = rated
    table = run(store, "stats", "reliability")
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].startswith("Role inbound-agent, round all: 12 candidates, 3 interviewers, 69")
    # One line per measure by default (6 ICCs + 2 alphas, all competencies together) ...
    measures = [line for line in lines if line.startswith(("ICC(", "alpha("))]
    assert len(measures) == 8
    # ... the full table with --detail: 8 measures x (2 competencies + overall).
    detail = run(store, "stats", "reliability", "--detail").output.splitlines()
    assert sum(line.startswith("overall") for line in detail) == 8
    assert sum(line.startswith(("teamwork", "avoiding-arguments")) for line in detail) == 16
    unknown = run(store, "stats", "reliability", "--competency", "typing-speed")
    assert unknown.exit_code == 1 and "typing-speed" in unknown.output
    bad_round = run(store, "stats", "reliability", "--round", "final")
    assert bad_round.exit_code == 1 and "final" in bad_round.output
