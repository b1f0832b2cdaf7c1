"""Only defined numbers: every ICC and alpha is a finite number in -1..1 or None with a
reason, on random and degenerate rating tables; the JSON is strict.

A seeded random loop stands in for a property-based test (hypothesis is not among the
test dependencies): each case is one table drawn from a family of degenerate shapes.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from hiring.scoring.icc import icc_complete, icc_incomplete
from hiring.scoring.reliability import matrix_reliability

# The issue's example: three candidates with equal means on one competency, three
# interviewers. Before: ICC(2,k) 3.000 "excellent", ICC(3,k) -inf, ICC(2,1) -1.000.
LATIN = np.array([[2, 3, 4], [3, 4, 2], [4, 2, 3]], dtype=float)
REASON_NO_VARIANCE = "no variance between candidates (their mean scores are equal)"


def _refuse_constant(name: str) -> float:
    raise ValueError(f"not strict JSON: {name}")


def _table(rng: np.random.Generator, case: int) -> np.ndarray:
    """One random or degenerate candidates x interviewers table (NaN = not rated)."""
    n = int(rng.integers(1, 9))
    k = int(rng.integers(1, 6))
    x = rng.integers(0, 5, (n, k)).astype(float)
    shape = case % 8
    if shape == 1:  # constant rows: every interviewer agrees, candidates differ
        x = np.repeat(rng.integers(0, 5, (n, 1)), k, axis=1).astype(float)
    elif shape == 2:  # constant columns: candidates identical, interviewers differ
        x = np.repeat(rng.integers(0, 5, (1, k)), n, axis=0).astype(float)
    elif shape == 3:  # everything identical
        x = np.full((n, k), float(rng.integers(0, 5)))
    elif shape == 4:  # a Latin square: equal candidate and interviewer means
        size = max(n, 2)
        base = rng.permutation(size)
        x = np.array([np.roll(base, i) for i in range(size)], dtype=float)
    elif shape == 5:  # one candidate
        x = x[:1]
    elif shape == 6:  # one interviewer
        x = x[:, :1]
    if case % 3 == 0:  # missing cells
        x[rng.random(x.shape) < rng.uniform(0.1, 0.7)] = np.nan
    return x


def _check_rows(rows: list[dict]) -> None:  # type: ignore[type-arg]
    text = json.dumps(rows, allow_nan=False)
    json.loads(text, parse_constant=_refuse_constant)
    for row in rows:
        for key in ("value", "low", "high"):
            value = row[key]
            assert value is None or (math.isfinite(value) and -1.0 <= value <= 1.0), row
        if row["value"] is None:
            assert row["reason"], row
            assert row["band"] is None and row["low"] is None, row
        if row["low"] is not None:
            assert row["low"] <= row["high"], row


def test_random_and_degenerate_tables_give_only_defined_numbers() -> None:
    rng = np.random.default_rng(14)
    for case in range(400):
        matrix = _table(rng, case)
        _check_rows(matrix_reliability(matrix, "c", resamples=200))


def test_latin_square_is_not_defined_with_the_reason() -> None:
    raw = icc_complete(LATIN)
    assert raw["ICC(2,k)"] == pytest.approx(3.0)  # what used to be printed
    assert raw["ICC(3,k)"] == -math.inf
    for result in icc_incomplete(LATIN).values():
        assert result.value is None
        assert result.reason == REASON_NO_VARIANCE
    rows = matrix_reliability(LATIN, "staying-calm", resamples=200)
    _check_rows(rows)
    # Alpha is defined here (interviewers disagree systematically), by hand:
    # o_ck = 1.5 for c != k, n_c = 3, n = 9; Do = 1.5 * 2 * (1 + 1 + 4) = 18;
    # De = 9 * 2 * (1 + 1 + 4) = 108; alpha = 1 - 8 * 18 / 108 = -1/3.
    alpha = next(r for r in rows if r["measure"] == "alpha(interval)")
    assert alpha["value"] == pytest.approx(-1 / 3)
    # Every candidate has the same ratings pattern {2, 3, 4}: a bootstrap over candidates
    # would give the zero-width interval [-1/3, -1/3]; no interval, and so no band.
    assert alpha["low"] is None and "same pattern" in alpha["interval_reason"]
    assert alpha["band"] is None


def test_one_candidate_one_rater_identical_ratings_reasons() -> None:
    one_candidate = icc_incomplete(np.array([[1.0, 2.0, 3.0]]))
    assert all(r.value is None and "fewer than 2" in r.reason
               for r in one_candidate.values())
    one_rater = icc_incomplete(np.array([[1.0], [2.0], [3.0]]))
    assert all(r.value is None and "fewer than 2" in r.reason for r in one_rater.values())
    flat = matrix_reliability(np.full((4, 3), 2.0), "c", resamples=50)
    assert all(r["value"] is None and r["reason"] == "all ratings identical" for r in flat)


def test_an_estimate_beyond_minus_one_is_not_defined() -> None:
    # Candidates barely differ, interviewers disagree a lot: ICC(3,k) = 1 - EMS/BMS is
    # about -5 raw.
    x = np.array([[1, 5, 3], [5, 1, 3.5], [3, 3, 3]], dtype=float)
    raw = icc_complete(x)["ICC(3,k)"]
    assert raw < -1
    result = icc_incomplete(x)["ICC(3,k)"]
    assert result.value is None and "outside -1..1" in result.reason


SMALL_BANK = Path(__file__).parent / "fixtures" / "small_bank"


def test_stats_reliability_on_the_issue_example_prints_not_defined(tmp_path: Path) -> None:
    from hiring.bank import load_bank
    from hiring.cli import app
    from hiring.store import add_candidate, open_store, set_score

    bank = load_bank([SMALL_BANK])
    db = tmp_path / "h.db"
    store = open_store(db)
    try:
        for i, row in enumerate(LATIN.astype(int)):
            add_candidate(store, f"Cand {i}", role="inbound-agent")
            for who, score in zip(("Eve", "Finn", "Gus"), row, strict=True):
                set_score(store, bank, f"Cand {i}", who, "teamwork", int(score),
                          round_id="panel")
    finally:
        store.close()
    runner = CliRunner()
    base = ["--bank", str(SMALL_BANK), "--db", str(db), "stats", "reliability",
            "--competency", "teamwork"]
    table = runner.invoke(app, base)
    assert table.exit_code == 0, table.output
    icc_lines = [line for line in table.output.splitlines() if "ICC(" in line]
    assert len(icc_lines) == 6
    for line in icc_lines:
        assert "not defined" in line and "no variance between candidates" in line, line
    assert "inf" not in table.output and "3.000" not in table.output
    strict = runner.invoke(app, [*base, "--json"])
    assert strict.exit_code == 0, strict.output
    figures = json.loads(strict.output, parse_constant=_refuse_constant)
    iccs = [r for r in figures["rows"] if r["measure"].startswith("ICC")]
    assert all(r["value"] is None and r["reason"] == REASON_NO_VARIANCE for r in iccs)
