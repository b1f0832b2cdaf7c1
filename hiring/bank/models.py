"""The question-bank schema, declared once.

A bank is a folder of YAML files; each file holds one top-level key saying what it
is: ``scales:``, ``competency:``, ``role:``, ``glossary:`` or ``decision_reasons:``.
Localised text is a
mapping from a language code to a string. See ``question_banks/README.md``.

The classes are plain frozen dataclasses, so a command that loads a cached bank never
imports pydantic (80 ms, about as much as ``import typer`` itself). Validation hands the
same classes to pydantic (``hiring.bank.parse``): the markers in their annotations say
what to check, and do nothing otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

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


class _Constraint:
    """Annotation marker: settings added to the type's pydantic schema (strict, gt)."""

    def __init__(self, **settings: Any) -> None:
        self.settings = settings

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        schema = handler(source)
        schema.update(self.settings)
        return schema


class _After:
    """Annotation marker: ``check`` runs on the value once its type is validated."""

    def __init__(self, check: Callable[[Any], Any]) -> None:
        self.check = check

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.check, handler(source))


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


# Strict: YAML's "3" is not the number 3, nor is 3 a piece of text.
StrictStr = Annotated[str, _Constraint(strict=True)]
StrictInt = Annotated[int, _Constraint(strict=True)]
PositiveInt = Annotated[int, _Constraint(strict=True, gt=0)]
Id = Annotated[StrictStr, _After(_check_id)]
LocalText = Annotated[dict[StrictStr, StrictStr], _After(_check_local_text)]
"""Localised text: ``{en: Teamwork, da: Samarbejde, ...}``."""

# pydantic's configuration of every class below: a key the schema does not know is an error.
_CONFIG = {"extra": "forbid"}


@dataclass(frozen=True, kw_only=True)
class Scale:
    __pydantic_config__ = _CONFIG

    id: Id
    min: StrictInt
    max: StrictInt
    labels: dict[StrictInt, LocalText]
    anchored: list[StrictInt] | None = None  # points that need an anchor; default every point

    @property
    def points(self) -> list[int]:
        return list(range(self.min, self.max + 1))

    @property
    def anchored_points(self) -> list[int]:
        return sorted(self.anchored) if self.anchored is not None else self.points

    @property
    def midpoint(self) -> float:
        return (self.min + self.max) / 2


QuestionType = Literal["behavioural", "situational", "role_play", "written"]
Level = Literal["agent", "senior"]
Channel = Literal["chat", "email"]
# A round asks every type but written work samples unless it names its types.
DEFAULT_ROUND_TYPES: tuple[str, ...] = ("behavioural", "situational", "role_play")
WRITTEN_FIELDS = ("channel", "minutes", "message", "reply_anchors")


@dataclass(frozen=True, kw_only=True)
class Question:
    __pydantic_config__ = _CONFIG

    id: Id
    type: QuestionType
    level: Level | None = None
    text: LocalText
    probes: list[LocalText] = field(default_factory=list)
    # Role-plays: what the interviewer tells the candidate before playing the customer.
    setup: LocalText | None = None
    # Written work samples (type: written): the customer's message, the channel it came by,
    # the minutes the candidate has to write a reply, and what a reply at each point sounds like.
    channel: Channel | None = None
    minutes: PositiveInt | None = None
    message: LocalText | None = None
    reply_anchors: dict[StrictInt, LocalText] | None = None


@dataclass(frozen=True, kw_only=True)
class Competency:
    __pydantic_config__ = _CONFIG

    id: Id
    kind: Literal["strength", "weakness"]
    scale: Id
    name: LocalText
    definition: LocalText
    anchors: dict[StrictInt, LocalText]
    listen_for: list[LocalText] = field(default_factory=list)
    red_flags: list[LocalText] = field(default_factory=list)
    questions: list[Question]


@dataclass(frozen=True, kw_only=True)
class RoleCompetency:
    __pydantic_config__ = _CONFIG

    id: Id
    weight: Annotated[float, _Constraint(gt=0)] = 1.0


@dataclass(frozen=True, kw_only=True)
class Round:
    __pydantic_config__ = _CONFIG

    id: Id
    name: LocalText | None = None
    minutes: PositiveInt
    competencies: list[Id] | None = None  # default: all of the role's
    questions_per_competency: PositiveInt = 1
    types: list[QuestionType] | None = None  # default: all but written (DEFAULT_ROUND_TYPES)

    @property
    def question_types(self) -> tuple[str, ...]:
        return tuple(self.types) if self.types else DEFAULT_ROUND_TYPES


@dataclass(frozen=True, kw_only=True)
class Role:
    __pydantic_config__ = _CONFIG

    id: Id
    name: LocalText
    description: LocalText | None = None
    # agent roles skip questions marked level: senior; senior roles use both.
    level: Level = "agent"
    languages: list[StrictStr]
    competencies: list[RoleCompetency]
    rounds: list[Round]

    def has_round(self, round_id: str) -> bool:
        """Whether the role (still) has this round: ratings may outlive a renamed one."""
        return any(candidate.id == round_id for candidate in self.rounds)

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

    def scorecard_competencies(
        self, round_id: str, manifest_competencies: list[str] | None = None
    ) -> list[str] | None:
        """What a complete scorecard of this round rates: the guide manifest's competencies,
        else the round's; None when neither is known (a round the bank no longer has)."""
        if manifest_competencies:
            return list(manifest_competencies)
        return self.competencies_of(round_id) if self.has_round(round_id) else None

    def eligible_questions(self, questions: list[Question]) -> list[Question]:
        """Agent roles skip questions marked ``level: senior``; senior roles use all."""
        if self.level == "senior":
            return list(questions)
        return [q for q in questions if q.level != "senior"]

    def questions_for(self, round_id: str | None, questions: list[Question]) -> list[Question]:
        """The questions a round may ask: eligible for the role, of the round's types."""
        types = self.round(round_id).question_types
        return [q for q in self.eligible_questions(questions) if q.type in types]

    def weight_of(self, competency_id: str) -> float:
        for item in self.competencies:
            if item.id == competency_id:
                return item.weight
        return 0.0


@dataclass(frozen=True, kw_only=True)
class GlossaryTerm:
    __pydantic_config__ = _CONFIG

    id: Id
    text: LocalText
    note: StrictStr | None = None
    # Other wordings the glossary check accepts, per language: forms its word stems miss
    # (bg "върнете парите" for "връщане на парите") or the everyday word used when reading aloud.
    forms: dict[StrictStr, list[StrictStr]] | None = None


# What a hiring manager decides about a candidate after a round (``hiring candidate decide``).
StageDecisionId = Literal["advance", "reject", "offer", "hired", "withdrew"]


@dataclass(frozen=True, kw_only=True)
class DecisionReason:
    """One reason from the bank's short list, for the decisions it may explain."""

    __pydantic_config__ = _CONFIG

    id: Id
    decisions: Annotated[list[StageDecisionId], _Constraint(min_length=1)]
    text: LocalText


# One class per kind of file: the file's one top-level key and what it holds.


@dataclass(frozen=True, kw_only=True)
class ScalesFile:
    __pydantic_config__ = _CONFIG

    scales: list[Scale]


@dataclass(frozen=True, kw_only=True)
class CompetencyFile:
    __pydantic_config__ = _CONFIG

    competency: Competency


@dataclass(frozen=True, kw_only=True)
class RoleFile:
    __pydantic_config__ = _CONFIG

    role: Role


@dataclass(frozen=True, kw_only=True)
class GlossaryFile:
    __pydantic_config__ = _CONFIG

    glossary: list[GlossaryTerm]


@dataclass(frozen=True, kw_only=True)
class DecisionReasonsFile:
    __pydantic_config__ = _CONFIG

    decision_reasons: list[DecisionReason]


BankFile = ScalesFile | CompetencyFile | RoleFile | GlossaryFile | DecisionReasonsFile

FILE_KINDS: dict[str, type[BankFile]] = {
    "scales": ScalesFile,
    "competency": CompetencyFile,
    "role": RoleFile,
    "glossary": GlossaryFile,
    "decision_reasons": DecisionReasonsFile,
}


@dataclass
class Bank:
    """A loaded, validated bank. Look things up with ``competency``, ``role``, ``scale``."""

    folders: list[Path]
    scales: dict[str, Scale] = field(default_factory=dict)
    competencies: dict[str, Competency] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    glossary: dict[str, GlossaryTerm] = field(default_factory=dict)
    # The reasons a stage decision may give (``decision_reasons:``), by id, in file order.
    decision_reasons: dict[str, DecisionReason] = field(default_factory=dict)
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

    def reasons_for(self, decision: str) -> list[DecisionReason]:
        """The reasons the bank lists for one stage decision (``reject``...), in file order."""
        return [item for item in self.decision_reasons.values() if decision in item.decisions]

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
