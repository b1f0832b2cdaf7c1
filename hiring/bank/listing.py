"""Summaries of a bank for listing and showing (plain data, ready for JSON)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from hiring.bank.models import Bank, Competency, Role, localise
from hiring.errors import InputError, NotFoundError
from hiring.paths import bundled_bank_dir


def _languages_of(competency: Competency) -> list[str]:
    # The languages every text of the competency is written in.
    texts: list[dict[str, str]] = [competency.name, competency.definition]
    texts += list(competency.anchors.values()) + competency.listen_for + competency.red_flags
    for question in competency.questions:
        texts.append(question.text)
        texts += question.probes
        texts += [question.message] if question.message else []
        texts += list((question.reply_anchors or {}).values())
    common = set(texts[0])
    for text in texts[1:]:
        common &= set(text)
    order = ["en", "da", "ru", "bg", "zh"]
    return sorted(common, key=lambda code: (order.index(code) if code in order else 99, code))


def list_bank(bank: Bank, lang: str = "en") -> dict[str, Any]:
    """Competencies (kind, question counts, languages) and roles, as plain data."""
    competencies = []
    for competency in sorted(
        bank.competencies.values(), key=lambda c: (c.kind != "strength", c.id)
    ):
        types = Counter(question.type for question in competency.questions)
        competencies.append(
            {
                "id": competency.id,
                "kind": competency.kind,
                "name": localise(competency.name, lang),
                "scale": competency.scale,
                "questions": len(competency.questions),
                "question_types": dict(sorted(types.items())),
                "languages": _languages_of(competency),
            }
        )
    roles = [
        {
            "id": role.id,
            "name": localise(role.name, lang),
            "languages": role.languages,
            "competencies": [item.id for item in role.competencies],
            "rounds": [{"id": r.id, "minutes": r.minutes} for r in role.rounds],
        }
        for role in sorted(bank.roles.values(), key=lambda r: r.id)
    ]
    reasons = [
        {"id": reason.id, "decisions": list(reason.decisions),
         "text": localise(reason.text, lang)}
        for reason in bank.decision_reasons.values()
    ]
    return {"version": bank.version, "competencies": competencies, "roles": roles,
            "decision_reasons": reasons}


def show_item(bank: Bank, item_id: str) -> tuple[str, Competency | Role]:
    """The competency or role called ``item_id`` (competencies win on a clash)."""
    if item_id in bank.competencies:
        return "competency", bank.competencies[item_id]
    if item_id in bank.roles:
        return "role", bank.roles[item_id]
    raise NotFoundError(
        f"no competency or role '{item_id}' in the bank (see 'hiring bank list' for the ids)"
    )


def init_bank(target: Path, source: Path | None = None) -> list[Path]:
    """Copy the bundled bank (or ``source``) into ``target`` as a team's starting point."""
    source = source or bundled_bank_dir()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError(f"{target} exists and is not an empty folder; choose a new folder")
    temporary = target.with_name(f".{target.name}.tmp")
    if temporary.exists():
        shutil.rmtree(temporary)
    shutil.copytree(source, temporary)
    if target.exists():
        target.rmdir()
    temporary.rename(target)
    return sorted(p for p in target.rglob("*") if p.is_file())
