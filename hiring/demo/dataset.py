"""Realistic demo data: candidates, interviewers, scores and evidence notes.

Deterministic for a seed. Built so that the report has something to show: one lenient
interviewer, some disagreement, and one missing scorecard.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from hiring.bank.models import Bank, localise

CANDIDATES = [
    ("Anna Jensen", "anna.jensen@example.com"),
    ("Mikkel Sørensen", "mikkel.sorensen@example.com"),
    ("Olga Ivanova", "olga.ivanova@example.com"),
    ("Georgi Petrov", "georgi.petrov@example.com"),
    ("Li Wei", "li.wei@example.com"),
    ("Maria Dimitrova", "maria.dimitrova@example.com"),
    ("Jonas Madsen", "jonas.madsen@example.com"),
    ("Chen Jing", "chen.jing@example.com"),
]
INTERVIEWERS = ["Sofie Nielsen", "Dmitri Volkov", "Elena Georgieva"]
# The demo's team roster: whoever runs the demo is its recruiter (their login); the
# interviewers and a hiring manager get example logins and addresses (example.com).
RECRUITER = "Demo Recruiter"
MANAGER = "Karen Holm"
TEAM = [
    ("Sofie Nielsen", ("interviewer",), "sofie", "sofie.nielsen@example.com"),
    ("Dmitri Volkov", ("interviewer",), "dmitri", "dmitri.volkov@example.com"),
    ("Elena Georgieva", ("interviewer",), "elena", "elena.georgieva@example.com"),
    (MANAGER, ("manager",), "karen", "karen.holm@example.com"),
]
LENIENT = "Sofie Nielsen"  # rates about two thirds of a point above her co-interviewers
LENIENCY = 0.7
MISSING = ("Jonas Madsen", "Elena Georgieva")  # this scorecard was never handed in


@dataclass(frozen=True)
class DemoRating:
    candidate: str
    interviewer: str
    competency: str
    score: int
    note: str


@dataclass
class DemoData:
    role: str
    round: str
    candidates: list[tuple[str, str]]
    interviewers: list[str]
    ratings: list[DemoRating] = field(default_factory=list)
    recommendations: list[tuple[str, str, str]] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)


def recommendation(mean_normalised: float) -> str:
    """An interviewer's recommendation from their mean rating on 0..1."""
    if mean_normalised >= 0.78:
        return "strong-yes"
    if mean_normalised >= 0.55:
        return "yes"
    if mean_normalised >= 0.35:
        return "no"
    return "strong-no"


def demo_dataset(
    bank: Bank, role_id: str = "inbound-agent", round_id: str = "panel", seed: int = 7,
    lang: str = "en",
) -> DemoData:
    """Scores for 8 candidates by 3 interviewers on every competency of the round.

    Each candidate has a true level per competency; each interviewer sees it with some noise;
    the lenient interviewer adds about a point. Notes quote the bank's listen-for cues for
    high scores and red flags for low ones, so they read like real evidence.
    """
    role = bank.role(role_id)
    competencies = role.competencies_of(round_id)
    rng = random.Random(seed)
    data = DemoData(role=role_id, round=round_id, candidates=list(CANDIDATES),
                    interviewers=list(INTERVIEWERS), missing=[MISSING])
    for index, (name, _email) in enumerate(CANDIDATES):
        overall = 0.25 + 0.6 * ((len(CANDIDATES) - 1 - index) / (len(CANDIDATES) - 1))
        overall += rng.uniform(-0.12, 0.12)
        truth = {c: min(1.0, max(0.0, overall + rng.gauss(0, 0.18))) for c in competencies}
        for interviewer in INTERVIEWERS:
            if (name, interviewer) == MISSING:
                continue
            normalised_scores: list[float] = []
            for competency_id in competencies:
                competency = bank.competency(competency_id)
                scale = bank.scale(competency.scale)
                span = scale.max - scale.min
                noise = rng.gauss(0, 0.3)
                if competency_id == competencies[1] and index == 2:
                    noise += 1.8 if interviewer == INTERVIEWERS[1] else -0.6  # a real split
                bias = LENIENCY if interviewer == LENIENT else 0.0
                raw = scale.min + truth[competency_id] * span + noise + bias
                score = int(min(scale.max, max(scale.min, round(raw))))
                normalised_scores.append((score - scale.min) / span)
                data.ratings.append(DemoRating(
                    name, interviewer, competency_id, score,
                    _note(bank, competency_id, score, rng, lang),
                ))
            mean = sum(normalised_scores) / len(normalised_scores)
            data.recommendations.append((name, interviewer, recommendation(mean)))
    return data


def _note(bank: Bank, competency_id: str, score: int, rng: random.Random, lang: str) -> str:
    competency = bank.competency(competency_id)
    scale = bank.scale(competency.scale)
    if score > scale.midpoint and competency.listen_for:
        cue = localise(rng.choice(competency.listen_for), lang)
        return f"+ {cue}. {localise(competency.anchors.get(score) or {}, lang)}".strip()
    if score < scale.midpoint and competency.red_flags:
        cue = localise(rng.choice(competency.red_flags), lang)
        return f"- {cue}. {localise(competency.anchors.get(score) or {}, lang)}".strip()
    anchor = competency.anchors.get(score)
    return localise(anchor, lang) if anchor else "Mixed evidence; see the answers."
