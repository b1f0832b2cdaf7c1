"""A synthetic hiring history for the fairness and validity reports: clearly made up.

``synthetic_history(bank, role_id, n, seed)`` makes ``n`` applicants ("Synthetic applicant
0001"...) for one role, deterministic for the seed (the default seed is one where chance
alone flags no gender comparison, so the demo shows only the difference it was built
with):

* each has a latent ability; every competency's true level follows it with noise, and
  each interviewer rates the level with noise of their own, on the competency's scale,
  and recommends from their mean rating (the scorecards are submitted);
* the screening round rates the round's competencies (two interviewers), asking each
  competency's first question; the best ~55% advance, except that "group C" of the
  attribute ``synthetic_group`` is held to a higher bar at this step (made up, so the
  fairness report has an adverse impact to show; their interview scores are drawn like
  everyone else's); a few who advanced withdraw;
* the panel rates every competency of the role (three interviewers), asking the second
  question where the competency has one, so competencies asked in both rounds have an
  item-rest correlation; the best ~35% of the panel are hired, the rest rejected;
* group data: ``synthetic_gender`` (woman, man, and a small non-binary group the reports merge or
  leave out; 8% gave none) drawn independently of everything else, and
  ``synthetic_group`` (A, B, C);
* outcomes of the hired, from a job performance that follows the latent ability with
  noise (correlation about 0.65): ``synthetic_qa_score`` (about 60-95) and
  ``synthetic_retained_90d`` (0/1); the last ~15% hired have no outcome yet.

``write_history(store, bank, history, folder)`` writes the CSV files a team would import
(scores, group data, outcomes) into ``folder`` and loads them with the same library
functions as ``hiring score import``, ``hiring candidate decide``, ``hiring fairness
import`` and ``hiring outcome import``.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.demo.dataset import recommendation

if TYPE_CHECKING:
    from hiring.bank.models import Bank
    from hiring.store.db import Store

HISTORY_ROLE = "chat-email-agent"
INTERVIEWERS = ["Demo Interviewer 1", "Demo Interviewer 2", "Demo Interviewer 3",
                "Demo Interviewer 4", "Demo Interviewer 5", "Demo Interviewer 6"]
SCREEN_SHARE = 0.55  # advance after the screen
HIRE_SHARE = 0.35  # of the panel
GROUP_C_PENALTY = 0.12  # on the 0..1 screen score, in the screening decision only
WITHDRAW_SHARE = 0.04
NO_OUTCOME_YET = 0.15  # the latest hires
ACTOR = "demo (synthetic)"
# Attributes and outcome measures carry "synthetic" in their names: the fairness and
# validity reports name them on the page, so nobody reads the demo's figures as a team's.
QA_MEASURE = "synthetic_qa_score"
RETENTION_MEASURE = "synthetic_retained_90d"


@dataclass
class History:
    role: str
    names: list[str]
    scores: list[dict[str, Any]] = field(default_factory=list)  # score import rows
    decisions: list[tuple[str, str, str]] = field(default_factory=list)  # name, round, dec.
    groups: list[tuple[str, str, str]] = field(default_factory=list)  # name, attribute, group
    outcomes: list[tuple[str, str, str, str]] = field(default_factory=list)  # name, m, v, date


def _rate(rng: random.Random, level: float, low: int, high: int) -> int:
    """An interviewer's whole-number rating of a true level (a z-score) on low..high."""
    middle, spread = (low + high) / 2, (high - low) / 4
    return int(min(high, max(low, round(middle + spread * level + rng.gauss(0, 0.55)))))


def synthetic_history(bank: Bank, role_id: str = HISTORY_ROLE, n: int = 300,
                      seed: int = 36) -> History:
    """Applicants, ratings, decisions, group data and outcomes (module docstring)."""
    rng = random.Random(seed)
    role = bank.role(role_id)
    screen, panel = role.rounds[0], role.rounds[1]
    width = max(4, len(str(n)))
    names = [f"Synthetic applicant {i:0{width}d}" for i in range(1, n + 1)]
    history = History(role=role_id, names=names)
    ability = [rng.gauss(0, 1) for _ in names]
    synthetic_group = [rng.choices(("group A", "group B", "group C"), (45, 40, 15))[0]
                       for _ in names]
    levels = [{c.id: 0.75 * a + 0.66 * rng.gauss(0, 1) for c in role.competencies}
              for a in ability]

    def rate(i: int, round_id: str, competencies: list[str], panel_size: int,
             question_index: int) -> float:
        """Add the ratings of candidate i in a round; their mean on 0..1."""
        start = (i * 7 + question_index) % len(INTERVIEWERS)
        who = [INTERVIEWERS[(start + k) % len(INTERVIEWERS)] for k in range(panel_size)]
        card: dict[str, list[dict[str, Any]]] = {name: [] for name in who}
        for competency_id in competencies:
            competency = bank.competency(competency_id)
            scale = bank.scale(competency.scale)
            questions = competency.questions
            question = questions[min(question_index, len(questions) - 1)].id if questions else ""
            for interviewer in who:
                score = _rate(rng, levels[i][competency_id], scale.min, scale.max)
                card[interviewer].append({
                    "candidate": names[i], "interviewer": interviewer,
                    "competency": competency_id, "score": score, "round": round_id,
                    "question": question, "role": role_id,
                    "normalised": (score - scale.min) / (scale.max - scale.min),
                })
        total = 0.0
        for rows in card.values():  # each scorecard complete, with its recommendation
            mean = sum(row.pop("normalised") for row in rows) / len(rows)
            total += mean
            for row in rows:
                row["recommendation"] = recommendation(mean)
            history.scores.extend(rows)
        return total / panel_size

    screen_competencies = role.competencies_of(screen.id)
    screen_scores = [rate(i, screen.id, screen_competencies, 2, 0) for i in range(n)]
    bar = [s - (GROUP_C_PENALTY if synthetic_group[i] == "group C" else 0.0)
           for i, s in enumerate(screen_scores)]
    ranked = sorted(range(n), key=lambda i: -bar[i])
    advanced = set(ranked[:round(SCREEN_SHARE * n)])
    panel_people = []
    for i in range(n):
        history.decisions.append((names[i], screen.id,
                                  "advance" if i in advanced else "reject"))
        if i in advanced:
            if rng.random() < WITHDRAW_SHARE:
                history.decisions.append((names[i], panel.id, "withdrew"))
            else:
                panel_people.append(i)
    panel_competencies = role.competencies_of(panel.id)
    panel_scores = {i: rate(i, panel.id, panel_competencies, 3, 1) for i in panel_people}
    ranked_panel = sorted(panel_people, key=lambda i: -panel_scores[i])
    hired = ranked_panel[:round(HIRE_SHARE * len(panel_people))]
    for i in panel_people:
        history.decisions.append((names[i], panel.id, "hired" if i in hired else "reject"))
    for i, name in enumerate(names):
        draw = rng.random()
        if draw >= 0.08:
            gender = "non-binary" if draw >= 0.98 else "woman" if draw >= 0.52 else "man"
            history.groups.append((name, "synthetic_gender", gender))
        history.groups.append((name, "synthetic_group", synthetic_group[i]))
    with_outcome = sorted(hired)[: round((1 - NO_OUTCOME_YET) * len(hired))]
    for number, i in enumerate(with_outcome):
        job = 0.65 * ability[i] + 0.76 * rng.gauss(0, 1)
        date = f"2026-{1 + number % 9:02d}-{1 + number % 27:02d}"
        qa = min(99.0, max(40.0, 78 + 7 * job + rng.gauss(0, 3)))
        retained = int(rng.random() < 1 / (1 + math.exp(-(1.1 + 0.9 * job))))
        history.outcomes.append((names[i], QA_MEASURE, f"{qa:.1f}", date))
        history.outcomes.append((names[i], RETENTION_MEASURE, str(retained), date))
    return history


def _write_csv(path: Path, header: list[str], rows: list[Any]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_history(store: Store, bank: Bank, history: History, folder: Path) -> dict[str, Path]:
    """Write the history's CSV files into ``folder`` and import them (module docstring)."""
    from hiring.store.group_data import import_group_data
    from hiring.store.outcomes import import_outcomes
    from hiring.store.stages import record_decision
    from hiring.store.transfer import SCORE_COLUMNS, import_scores

    folder.mkdir(parents=True, exist_ok=True)
    columns = [c for c in SCORE_COLUMNS if c != "note"]
    files = {
        "scores": _write_csv(folder / "synthetic-scores.csv", columns,
                             [[row[c] for c in columns] for row in history.scores]),
        "groups": _write_csv(folder / "synthetic-group-data.csv",
                             ["candidate", "attribute", "group"], history.groups),
        "outcomes": _write_csv(folder / "synthetic-outcomes.csv",
                               ["candidate", "measure", "value", "date"], history.outcomes),
    }
    from hiring.store.roster import add_member
    from hiring.store.team import roster_is_empty, roster_names

    if not roster_is_empty(store):  # the history's interviewers join the team's roster
        known = set(roster_names(store))
        for name in INTERVIEWERS:
            if name not in known:
                add_member(store, name, ["interviewer"])
    import_scores(store, bank, files["scores"], create_candidates=True, submit=True)
    ids = {name: int(cid) for cid, name in store.all(
        "SELECT id, name FROM candidates WHERE role = :role", {"role": history.role})}
    for name, round_id, decision in history.decisions:
        record_decision(store, ids[name], round_id, decision, actor=ACTOR, bank=bank)
    import_group_data(store, files["groups"], actor=ACTOR)
    import_outcomes(store, files["outcomes"], actor=ACTOR)
    return files
