"""Time the fairness and validity reports' statistics for 10,000 candidates (issue 25).

Run: python -m benchmarks.bench_fairness_validity [candidates] [database]
(default: 10000 candidates in a temporary SQLite file; a database file given is built
there when missing and reused when present, so repeated runs skip the set-up)

Builds a SQLite store with the demo's synthetic history (``hiring.demo.history``) for the
bundled bank's chat-email-agent role at N applicants: a screening round (3 competencies x
2 interviewers), a panel for the ~53% who advance (12 competencies x 3 interviewers),
stage decisions, group data on two attributes and two outcome measures of the hired.
Then times, each in a fresh process (Python start-up and imports included):

* both reports' statistics in one process: ``fairness_figures`` (every attribute) and
  ``validity_figures`` (synthetic_qa_score), store reads included;
* ``hiring report fairness --json`` and ``hiring report validity --json`` (statistics, no
  PDF: the median of 3 runs each, interleaved, after a warm-up).

Target: both reports' statistics for 10,000 candidates within 3 s. Measure on a quiet
machine and give the load (``uptime``) beside the figures.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import child_environment, interleaved_medians

ROLE = "chat-email-agent"
TARGET_SECONDS = 3.0


def build_store(path: Path, n: int) -> dict[str, int]:
    """The synthetic history at ``n`` applicants. Scores, group data and outcomes go
    through the library's imports; the decisions are inserted in one statement (setup
    speed only: 'candidate decide' writes one transaction each)."""
    from hiring.bank import load_bank
    from hiring.demo.history import ACTOR, synthetic_history
    from hiring.store import open_store
    from hiring.store.db import now_iso
    from hiring.store.group_data import import_group_data
    from hiring.store.outcomes import import_outcomes
    from hiring.store.transfer import SCORE_COLUMNS, import_scores

    bank = load_bank(None)
    history = synthetic_history(bank, ROLE, n=n)
    folder = path.parent
    columns = [c for c in SCORE_COLUMNS if c != "note"]

    def write(name: str, header: list[str], rows: list[list[object]]) -> Path:
        import csv

        target = folder / name
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        return target

    with open_store(path) as store:
        import_scores(store, bank, write("scores.csv", columns,
                                         [[r[c] for c in columns] for r in history.scores]),
                      create_candidates=True, submit=True)
        ids = {name: int(cid) for cid, name in store.all(
            "SELECT id, name FROM candidates WHERE role = :role", {"role": ROLE})}
        now = now_iso()
        with store.write():
            store.executemany(
                "INSERT INTO stage_decisions (candidate_id, round, decision, decided_by, "
                "created, updated) VALUES (:cid, :round, :decision, :by, :now, :now)",
                [{"cid": ids[name], "round": round_id, "decision": decision, "by": ACTOR,
                  "now": now} for name, round_id, decision in history.decisions],
            )
        import_group_data(store, write("groups.csv", ["candidate", "attribute", "group"],
                                       [list(g) for g in history.groups]))
        import_outcomes(store, write("outcomes.csv", ["candidate", "measure", "value", "date"],
                                     [list(o) for o in history.outcomes]))
        counts = {table: int(store.one(f"SELECT COUNT(*) FROM {table}")[0])  # type: ignore[index]
                  for table in ("candidates", "ratings", "stage_decisions", "group_data",
                                "outcomes")}
    return counts


LIBRARY = """
import sys, time
start = time.perf_counter()
from hiring.bank import load_bank
from hiring.store import open_store
from hiring.reports.fairness import fairness_figures
from hiring.reports.validity import validity_figures
bank = load_bank(None)
with open_store(sys.argv[1]) as store:
    fairness = fairness_figures(store, bank, "chat-email-agent")
    middle = time.perf_counter()
    validity = validity_figures(store, bank, "chat-email-agent", "synthetic_qa_score")
done = time.perf_counter()
print(f"{middle - start:.3f} {done - middle:.3f} {done - start:.3f} {time.process_time():.3f}")
"""


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tmp) / "hiring.db"
        if db.exists():
            print(f"store: {db} (reused)")
        else:
            started = time.perf_counter()
            counts = build_store(db, n)
            print(f"store: {', '.join(f'{k} {v}' for k, v in counts.items())} "
                  f"(built in {time.perf_counter() - started:.1f} s)")
        subprocess.run([sys.executable, "-c", LIBRARY, str(db)], check=True,
                       capture_output=True, env=child_environment())  # warm the file cache
        runs = []
        for _ in range(3):
            out = subprocess.run([sys.executable, "-c", LIBRARY, str(db)], check=True,
                                 capture_output=True, text=True, env=child_environment())
            runs.append([float(x) for x in out.stdout.split()[:4]])
        best = min(runs, key=lambda r: r[2])
        verdict = "met" if best[2] <= TARGET_SECONDS else "MISSED"
        print(f"both reports' statistics, fresh process (best of 3): fairness {best[0]:.2f} s "
              f"(imports and bank included), validity {best[1]:.2f} s, total {best[2]:.2f} s "
              f"wall, {best[3]:.2f} s CPU [target {TARGET_SECONDS:.0f} s: {verdict}]")
        hiring = [sys.executable, "-m", "hiring", "--db", str(db), "report"]
        medians = interleaved_medians({
            "fairness": [*hiring, "fairness", "--role", ROLE, "--json"],
            "validity": [*hiring, "validity", "--role", ROLE, "--measure", "synthetic_qa_score",
                         "--json"],
        }, runs=3)
        for label, seconds in medians.items():
            print(f"hiring report {label} --json: {seconds:.2f} s (median of 3)")
        print(f"load: {os.getloadavg()[0]:.2f} (1-minute average; see also `uptime`)")


if __name__ == "__main__":
    main()
