"""The question-bank schema, declared once.

A bank is a folder of YAML files; each file holds one top-level key saying what it
is: ``scales:``, ``competency:``, ``role:`` or ``glossary:``. Localised text is a
mapping from a language code to a string. See ``question_banks/README.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr

SUPPORTED_LANGUAGES = ("en", "da", "ru", "bg", "zh")
LANGUAGE_NAMES = {
    "en": "English",
    "da": "Dansk",
    "ru": "Русский",
    "bg": "Български",
    "zh": "中文",
}

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            "an id is lower-case letters, digits and single hyphens, e.g. 'staying-calm'"
        )
    return value


def _check_local_text(value: dict[str, str]) -> dict[str, str]:
    for code, text in value.items():
        if not _LANGUAGE_CODE.match(code):
            raise ValueError(f"'{code}' is not a language code (expected e.g. en, da, ru, bg, zh)")
        if not text.strip():
            raise ValueError(f"the '{code}' text is empty")
    if not value:
        raise ValueError("expected at least one language, e.g. {en: ...}")
    return value


Id = Annotated[StrictStr, AfterValidator(_check_id)]
LocalText = Annotated[dict[StrictStr, StrictStr], AfterValidator(_check_local_text)]
"""Localised text: ``{en: Teamwork, da: Samarbejde, ...}``."""


class _Strict(BaseModel):
    # defer_build: schemas are built on first validation, so a cached bank loads without them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Scale(_Strict):
    id: Id
    min: StrictInt
    max: StrictInt
    labels: dict[StrictInt, LocalText]
    anchored: list[StrictInt] | None = Field(
        default=None, description="Points that need an anchor; default every point."
    )

    @property
    def points(self) -> list[int]:
        return list(range(self.min, self.max + 1))

    @property
    def anchored_points(self) -> list[int]:
        return sorted(self.anchored) if self.anchored is not None else self.points

    @property
    def midpoint(self) -> float:
        return (self.min + self.max) / 2


QuestionType = Literal["behavioural", "situational", "role_play"]
Level = Literal["agent", "senior"]


class Question(_Strict):
    id: Id
    type: QuestionType
    level: Level | None = None
    text: LocalText
    probes: list[LocalText] = []
    setup: LocalText | None = Field(
        default=None,
        description="Role-plays: what the interviewer tells the candidate before playing "
        "the customer.",
    )


class Competency(_Strict):
    id: Id
    kind: Literal["strength", "weakness"]
    scale: Id
    name: LocalText
    definition: LocalText
    anchors: dict[StrictInt, LocalText]
    listen_for: list[LocalText] = []
    red_flags: list[LocalText] = []
    questions: list[Question]


class RoleCompetency(_Strict):
    id: Id
    weight: Annotated[float, Field(gt=0)] = 1.0


class Round(_Strict):
    id: Id
    name: LocalText | None = None
    minutes: Annotated[StrictInt, Field(gt=0)]
    competencies: list[Id] | None = None
    questions_per_competency: Annotated[StrictInt, Field(ge=1)] = 1


class Role(_Strict):
    id: Id
    name: LocalText
    description: LocalText | None = None
    level: Level = Field(
        default="agent",
        description="agent roles skip questions marked level: senior; senior roles use both.",
    )
    languages: list[StrictStr]
    competencies: list[RoleCompetency]
    rounds: list[Round]

    def round(self, round_id: str | None) -> Round:
        """The round called ``round_id``, or the first round when None."""
        if round_id is None:
            return self.rounds[0]
        for candidate in self.rounds:
            if candidate.id == round_id:
                return candidate
        from hiring.errors import NotFoundError

        known = ", ".join(r.id for r in self.rounds)
        raise NotFoundError(f"role '{self.id}' has no round '{round_id}' (rounds: {known})")

    def competencies_of(self, round_id: str | None) -> list[str]:
        chosen = self.round(round_id)
        if chosen.competencies is not None:
            return list(chosen.competencies)
        return [item.id for item in self.competencies]

    def eligible_questions(self, questions: list[Question]) -> list[Question]:
        """Agent roles skip questions marked ``level: senior``; senior roles use all."""
        if self.level == "senior":
            return list(questions)
        return [q for q in questions if q.level != "senior"]

    def weight_of(self, competency_id: str) -> float:
        for item in self.competencies:
            if item.id == competency_id:
                return item.weight
        return 0.0


class GlossaryTerm(_Strict):
    id: Id
    text: LocalText
    note: StrictStr | None = None


class ScalesFile(_Strict):
    scales: list[Scale]


class CompetencyFile(_Strict):
    competency: Competency


class RoleFile(_Strict):
    role: Role


class GlossaryFile(_Strict):
    glossary: list[GlossaryTerm]


FILE_KINDS: dict[str, type[_Strict]] = {
    "scales": ScalesFile,
    "competency": CompetencyFile,
    "role": RoleFile,
    "glossary": GlossaryFile,
}


@dataclass
class Bank:
    """A loaded, validated bank. Look things up with ``competency``, ``role``, ``scale``."""

    folders: list[Path]
    scales: dict[str, Scale] = field(default_factory=dict)
    competencies: dict[str, Competency] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    glossary: dict[str, GlossaryTerm] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # "competency:teamwork" -> file
    # Where things stand in their files, for lint messages:
    # "competency:teamwork", "question:teamwork-01", "anchor:teamwork:3" -> (file, line, column)
    locations: dict[str, tuple[Path, int, int]] = field(default_factory=dict)
    version: str = ""  # short hash of the bank's content

    def competency(self, competency_id: str) -> Competency:
        try:
            return self.competencies[competency_id]
        except KeyError:
            from hiring.errors import NotFoundError

            raise NotFoundError(
                f"no competency '{competency_id}' in the bank (see 'hiring bank list' for the ids)"
            ) from None

    def role(self, role_id: str) -> Role:
        try:
            return self.roles[role_id]
        except KeyError:
            from hiring.errors import NotFoundError

            known = ", ".join(sorted(self.roles)) or "none"
            raise NotFoundError(f"no role '{role_id}' in the bank (roles: {known})") from None

    def scale(self, scale_id: str) -> Scale:
        return self.scales[scale_id]

    def scale_of(self, competency_id: str) -> Scale:
        """The scale a competency is rated on."""
        return self.scales[self.competency(competency_id).scale]

    def question(self, question_id: str) -> tuple[Competency, Question]:
        for competency in self.competencies.values():
            for question in competency.questions:
                if question.id == question_id:
                    return competency, question
        from hiring.errors import NotFoundError

        raise NotFoundError(f"no question '{question_id}' in the bank")

    def languages(self) -> list[str]:
        seen: dict[str, None] = {}
        for role in self.roles.values():
            for code in role.languages:
                seen[code] = None
        return list(seen)


def localise(text: dict[str, str] | None, lang: str, fallback: str = "en") -> str:
    """Pick ``lang`` from localised text, falling back to English, then any."""
    if not text:
        return ""
    if lang in text:
        return text[lang]
    if fallback in text:
        return text[fallback]
    return next(iter(text.values()))
