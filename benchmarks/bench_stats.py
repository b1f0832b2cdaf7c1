"""Time the full statistics for 10,000 candidates x 3 interviewers x 14 competencies.

Run: python -m benchmarks.bench_stats [candidates] [interviewer pool size]
Target: under 2 s for building the table and computing everything.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from hiring.scoring.rating_table import CompetencySpec, RatingTable
from hiring.scoring.statistics import compute_statistics


def synthetic_ratings(
    n_candidates: int, pool: int, seed: int = 7
) -> tuple[list[str], list[str], list[str], np.ndarray, list[CompetencySpec]]:
    """Each candidate meets 3 distinct interviewers from ``pool``, rated on 14
    competencies (12 on 1-5, two on 0-3, one of them a weakness)."""
    rng = np.random.default_rng(seed)
    specs = [CompetencySpec(f"c{c:02d}", 1, 5, "strength", 1.0 + c % 3) for c in range(12)]
    specs += [CompetencySpec("c12", 0, 3, "weakness", 2.0), CompetencySpec("c13", 0, 3)]
    panel = np.argsort(rng.random((n_candidates, pool)), axis=1)[:, :3]
    ability = rng.normal(0, 1, n_candidates)
    leniency = rng.normal(0, 0.4, pool)
    candidate = np.repeat(np.arange(n_candidates), 3 * len(specs))
    interviewer = np.tile(np.repeat(panel, len(specs), axis=1).reshape(-1), 1)
    competency = np.tile(np.arange(len(specs)), n_candidates * 3)
    lo = np.array([s.scale_min for s in specs])[competency]
    hi = np.array([s.scale_max for s in specs])[competency]
    latent = (hi + lo) / 2 + ability[candidate] + leniency[interviewer]
    score = np.clip(np.round(latent + rng.normal(0, 0.7, candidate.size)), lo, hi)
    return ([f"cand-{i}" for i in candidate], [f"int-{j}" for j in interviewer],
            [specs[c].id for c in competency], score.astype(int), specs)


def main() -> None:
    n_candidates = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    pool = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    candidates, interviewers, competencies, scores, specs = synthetic_ratings(n_candidates, pool)
    start = time.perf_counter()
    table = RatingTable.build(candidates, interviewers, competencies, scores, specs)
    built = time.perf_counter()
    stats = compute_statistics(table)
    done = time.perf_counter()
    print(f"{table.n_ratings} ratings, {n_candidates} candidates, pool of {pool} interviewers")
    print(f"build table: {built - start:.3f} s")
    print(f"statistics:  {done - built:.3f} s")
    print(f"total:       {done - start:.3f} s")
    overall = [r for r in stats.reliability if r["competency"] == "overall"]
    for row in overall:
        print(f"  overall {row['measure']}: {row['value']} ({row['targets']} targets)")


if __name__ == "__main__":
    main()
