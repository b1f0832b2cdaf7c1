"""Which questions a guide asks: deterministic, and new questions in later rounds.

The choice depends only on (role, round, candidate, seed), through a SHA-256 seeded
``random.Random`` (Python's ``hash()`` is salted per process, so it would differ between
runs and batch workers). For one candidate, the rounds before the requested one are
selected first and their questions avoided wherever the bank has enough.
"""

from __future__ import annotations

import hashlib
import random

from hiring.bank.models import Bank, Question, Role


def _rng(*parts: str) -> random.Random:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def eligible_questions(role: Role, questions: list[Question]) -> list[Question]:
    """Agent roles skip questions marked ``level: senior``; senior roles use all."""
    return role.eligible_questions(questions)


def select_questions(
    bank: Bank, role_id: str, round_id: str | None, candidate: str | None, seed: int = 0
) -> dict[str, list[Question]]:
    """Competency id -> chosen questions (in bank order) for one round of one role."""
    role = bank.role(role_id)
    target = role.round(round_id)
    asked: dict[str, set[str]] = {}
    for round_ in role.rounds:
        chosen: dict[str, list[Question]] = {}
        for competency_id in role.competencies_of(round_.id):
            pool = role.questions_for(round_.id, bank.competency(competency_id).questions)
            rng = _rng(role.id, round_.id, candidate or "", str(seed), competency_id)
            before = asked.setdefault(competency_id, set())
            fresh = [q for q in pool if q.id not in before]
            repeat = [q for q in pool if q.id in before]
            rng.shuffle(fresh)
            rng.shuffle(repeat)
            picked = (fresh + repeat)[: round_.questions_per_competency]
            picked_ids = {q.id for q in picked}
            chosen[competency_id] = [q for q in pool if q.id in picked_ids]
            before.update(picked_ids)
        if round_.id == target.id:
            return chosen
    raise AssertionError("unreachable: role.round() found the round")
