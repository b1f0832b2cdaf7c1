"""Many processes writing at once: no 'database is locked', no lost writes."""

from __future__ import annotations

import multiprocessing

from tests.conftest import SMALL_BANK

PROCESSES = 8
CALLS = 50


def _rate_everyone(db_url: str, worker: int) -> list[str]:
    """One process: 50 separate ``score set`` commands, each with its own connection."""
    from typer.testing import CliRunner

    from hiring.cli import app

    failures = []
    runner = CliRunner()
    for call in range(CALLS):
        result = runner.invoke(app, [
            "--bank", str(SMALL_BANK), "--db", db_url, "score", "set",
            "--candidate", f"Candidate {call}", "--interviewer", f"Rater {worker}",
            "--competency", "avoiding-arguments", "--score", str((worker + call) % 4),
            "--round", "interview",
        ])
        if result.exit_code != 0:
            failures.append(f"{worker}/{call}: {result.output}")
    return failures


def test_8_processes_x_50_score_sets_lose_nothing(db_url: str) -> None:
    from hiring.store import add_candidate, open_store

    with open_store(db_url) as store:
        for call in range(CALLS):
            add_candidate(store, f"Candidate {call}")
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        results = pool.starmap(_rate_everyone, [(db_url, worker) for worker in range(PROCESSES)])
    assert [failure for failures in results for failure in failures] == []
    with open_store(db_url) as store:
        assert store.one("SELECT COUNT(*) FROM ratings") == (PROCESSES * CALLS,)
        assert store.one(
            "SELECT COUNT(*) FROM audit WHERE action = 'rating.create'") == (PROCESSES * CALLS,)
        assert store.one("SELECT COUNT(*) FROM audit") == (PROCESSES * CALLS,)
        # Every score landed as sent: (worker + call) % 4 summed over all pairs.
        expected = sum((w + c) % 4 for w in range(PROCESSES) for c in range(CALLS))
        assert store.one("SELECT SUM(score) FROM ratings") == (expected,)
