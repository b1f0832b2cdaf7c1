"""Time ``report compare`` to PDF over a synthetic store.

Run: python -m benchmarks.bench_reports [candidates ...]   (default: 500 1000)

Builds a generated bank with one role of 14 competencies (12 on 1-5, two on 0-3, one of
them a weakness), a SQLite store with N candidates x 3 interviewers (from a pool of 6)
x 14 competencies, a recommendation per interview and a few consensus scores, then
times, in a fresh process per size, loading the bank and store and writing the PDF
(candidate pages for the top 20, everyone in the ranking and heat map).

Targets: 500 candidates in at most 30 s with peak RSS under 1 GB; 1,000 candidates in at
most 2.3x the 500-candidate time.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROLE = "bench-agent"
N_COMPETENCIES = 14
INTERVIEWERS = ("Ada", "Ben", "Cleo", "Dan", "Eva", "Femi")


def write_bank(folder: Path) -> Path:
    """A valid bank with one role of 14 competencies, written as YAML."""
    (folder / "competencies").mkdir(parents=True)
    (folder / "roles").mkdir()
    (folder / "scales.yaml").write_text(
        "scales:\n"
        "  - id: five-point\n    min: 1\n    max: 5\n    labels:\n"
        + "".join(f"      {p}: {{en: Level {p}}}\n" for p in range(1, 6))
        + "  - id: zero-to-three\n    min: 0\n    max: 3\n    anchored: [0, 2, 3]\n    labels:\n"
        + "".join(f"      {p}: {{en: Level {p}}}\n" for p in range(4)),
        encoding="utf-8",
    )
    for c in range(N_COMPETENCIES):
        scale, points = ("zero-to-three", (0, 2, 3)) if c >= 12 else ("five-point", (1, 2, 3, 4, 5))
        kind = "weakness" if c == 12 else "strength"
        anchors = "".join(f"    {p}: {{en: Anchor {p} of competency {c}}}\n" for p in points)
        (folder / "competencies" / f"skill-{c:02d}.yaml").write_text(
            f"competency:\n  id: skill-{c:02d}\n  kind: {kind}\n  scale: {scale}\n"
            f"  name: {{en: Skill number {c}}}\n  definition: {{en: What skill {c} means.}}\n"
            f"  anchors:\n{anchors}"
            f"  questions:\n    - id: skill-{c:02d}-01\n      type: behavioural\n"
            f"      text: {{en: Tell me about a time you used skill {c}.}}\n",
            encoding="utf-8",
        )
    competencies = "".join(
        f"    - {{id: skill-{c:02d}, weight: {1 + c % 3}.0}}\n" for c in range(N_COMPETENCIES)
    )
    (folder / "roles" / f"{ROLE}.yaml").write_text(
        f"role:\n  id: {ROLE}\n  name: {{en: Benchmark agent}}\n  languages: [en]\n"
        f"  competencies:\n{competencies}"
        "  rounds:\n    - id: panel\n      minutes: 60\n      questions_per_competency: 1\n",
        encoding="utf-8",
    )
    return folder


def fill_store(db: Path, n_candidates: int, seed: int = 5) -> None:
    """Bulk-insert the synthetic ratings (set-up, not timed)."""
    import numpy as np

    from hiring.store import open_store

    rng = np.random.default_rng(seed)
    now = "2026-01-01T00:00:00+00:00"
    leniency = rng.normal(0, 0.4, len(INTERVIEWERS))
    with open_store(str(db)) as store, store.write():
        store.executemany(
            "INSERT INTO candidates (id, name, role, status, created) "
            "VALUES (:id, :name, :role, 'active', :now)",
            [{"id": i + 1, "name": f"Candidate {i + 1:05d}", "role": ROLE, "now": now}
             for i in range(n_candidates)],
        )
        interviews: list[dict[str, object]] = []
        ratings: list[dict[str, object]] = []
        decisions: list[dict[str, object]] = []
        for i in range(n_candidates):
            ability = rng.normal(0, 1)
            for j in rng.choice(len(INTERVIEWERS), 3, replace=False):
                iid = len(interviews) + 1
                interviews.append({"id": iid, "cid": i + 1, "who": INTERVIEWERS[j], "role": ROLE,
                                   "now": now})
                for c in range(N_COMPETENCIES):
                    lo, hi = (0, 3) if c >= 12 else (1, 5)
                    raw = (lo + hi) / 2 + ability + leniency[j] + rng.normal(0, 0.7)
                    ratings.append({"iid": iid, "comp": f"skill-{c:02d}",
                                    "score": int(np.clip(round(raw), lo, hi)),
                                    "note": f"Evidence from {INTERVIEWERS[j]} on skill {c}.",
                                    "now": now})
                decisions.append({"iid": iid, "decision": ("no", "yes")[int(ability > 0)],
                                  "now": now})
        store.executemany(
            "INSERT INTO interviews (id, candidate_id, interviewer, role, round, date, created) "
            "VALUES (:id, :cid, :who, :role, 'panel', :now, :now)", interviews)
        store.executemany(
            "INSERT INTO ratings (interview_id, competency, score, note, created, updated) "
            "VALUES (:iid, :comp, :score, :note, :now, :now)", ratings)
        store.executemany(
            "INSERT INTO recommendations (interview_id, decision, created, updated) "
            "VALUES (:iid, :decision, :now, :now)", decisions)


def time_one(bank_dir: str, db: str, out: str) -> None:
    """Child process: load, score, render and write; print seconds and peak RSS as JSON."""
    start = time.perf_counter()
    from hiring.bank import load_bank
    from hiring.reports.build import build_compare_report
    from hiring.store import open_store

    bank = load_bank([Path(bank_dir)])
    with open_store(db) as store:
        result = build_compare_report(store, bank, ROLE, "panel", None, "en", "pdf", Path(out))
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "pages": result.pages}))


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bank_dir = write_bank(folder / "bank")
        times: dict[int, float] = {}
        for n in sizes:
            db = folder / f"bench-{n}.db"
            fill_store(db, n)
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.bench_reports", "--one", str(bank_dir),
                 str(db), str(folder / f"compare-{n}.pdf")],
                capture_output=True, text=True,
            )
            if done.returncode != 0:
                sys.exit(done.stderr)
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            times[n] = figures["seconds"]
            print(f"{n:>6} candidates x 3 interviewers x {N_COMPETENCIES} competencies: "
                  f"{figures['seconds']:.1f} s, peak RSS {figures['peak_mb']:.0f} MB, "
                  f"{figures['pages']} pages")
        if 500 in times and 1000 in times:
            ratio = times[1000] / times[500]
            print(f"1000 / 500 time ratio: {ratio:.2f} (target <= 2.3)")
        if 500 in times:
            verdict = "ok" if times[500] <= 30 else "TOO SLOW"
            print(f"500 candidates: {times[500]:.1f} s (target <= 30 s): {verdict}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        time_one(*sys.argv[2:5])
    else:
        main([int(arg) for arg in sys.argv[1:]] or [500, 1000])
