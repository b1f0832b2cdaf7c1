"""Which questions a guide asks: the same for every candidate, new questions in later rounds.

The choice depends only on (role, round, question set), never on the candidate: every
candidate of a round hears the same questions (the method's first rule). A new question
set for a new hiring campaign rotates the questions to limit leakage. The draw goes through
a SHA-256 seeded ``random.Random`` (Python's ``hash()`` is salted per process, so it would
differ between runs and batch workers). The rounds before the requested one are selected
first, with the same set, and their questions avoided wherever the bank has enough.
"""

from __future__ import annotations

import hashlib
import random
import re
from typing import Any

from hiring.bank.models import Bank, Question
from hiring.errors import InputError

DEFAULT_QUESTION_SET = "default"
_SET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def check_question_set(name: str) -> str:
    """A question set's name: letters, digits, '.', '_' and '-', at most 64 characters."""
    if not _SET_NAME.match(name):
        raise InputError(
            f"question set '{name}' is not a valid name (letters, digits, '.', '_', '-'; "
            "e.g. 'spring-2027')"
        )
    return name


def _rng(*parts: str) -> random.Random:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def select_questions(
    bank: Bank, role_id: str, round_id: str | None, question_set: str = DEFAULT_QUESTION_SET
) -> dict[str, list[Question]]:
    """Competency id -> chosen questions (in bank order) for one round of one role.

    >>> a = select_questions(bank, "inbound-agent", "panel")  # doctest: +SKIP
    >>> a == select_questions(bank, "inbound-agent", "panel", "default")  # doctest: +SKIP
    True
    """
    check_question_set(question_set)
    role = bank.role(role_id)
    target = role.round(round_id)
    asked: dict[str, set[str]] = {}
    for round_ in role.rounds:
        chosen: dict[str, list[Question]] = {}
        for competency_id in role.competencies_of(round_.id):
            pool = role.questions_for(round_.id, bank.competency(competency_id).questions)
            rng = _rng(role.id, round_.id, question_set, competency_id)
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


def round_questions(
    bank: Bank,
    role_id: str,
    round_id: str | None,
    question_set: str = DEFAULT_QUESTION_SET,
    lang: str = "en",
) -> dict[str, Any]:
    """The questions of one round and set, as plain data (``hiring guide questions``)."""
    from hiring.bank.models import localise

    role = bank.role(role_id)
    round_ = role.round(round_id)
    chosen = select_questions(bank, role.id, round_.id, question_set)
    # In the order the guide prints them: strengths, then weaknesses.
    printed = sorted(chosen, key=lambda c: bank.competency(c).kind != "strength")
    return {
        "role": role.id,
        "round": round_.id,
        "question_set": question_set,
        "bank_version": bank.version,
        "questions": [
            {
                "competency": competency_id,
                "question": question.id,
                "type": question.type,
                "text": localise(question.text, lang),
            }
            for competency_id in printed
            for question in chosen[competency_id]
        ],
    }
