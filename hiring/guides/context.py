"""A guide as plain data: everything the templates print, already in the guide's language."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from hiring.bank.models import LANGUAGE_NAMES, Bank, Competency, Question, Scale, localise
from hiring.errors import InputError
from hiring.guides.selection import DEFAULT_QUESTION_SET, select_questions
from hiring.render.catalogs import language_name

PAPER_SIZES = {"a4": "A4", "letter": "letter"}


@dataclass(frozen=True)
class GuideRequest:
    """What to build. ``round`` None means the role's first round."""

    role: str
    round: str | None = None
    candidate: str | None = None
    interviewer: str | None = None
    lang: str = "en"
    question_set: str = DEFAULT_QUESTION_SET
    date: dt.date | None = None
    paper: str = "a4"
    candidate_id: int | None = None  # the store's id, when the candidate was found there


@dataclass
class ScriptLine:
    speaker: str | None  # "Customer (irritated)"; None when the line names no speaker
    words: str


@dataclass
class ScalePoint:
    value: int
    label: str
    anchor: str | None  # None: an in-between step with no anchor of its own


@dataclass
class GuideQuestion:
    id: str
    type: str
    text: str
    setup: str | None
    probes: list[str]
    script: list[ScriptLine] = field(default_factory=list)  # role-plays: the customer's turns
    # Written work samples: the customer's message, "chat" or "email", the candidate's minutes
    # and the scale with the reply's anchors.
    channel: str | None = None
    minutes: int | None = None
    message: str | None = None
    reply_scale: list[ScalePoint] = field(default_factory=list)


_SPEAKER = re.compile(r"^(?P<speaker>[^:：]{1,40})[:：]\s*(?P<words>.+)$")


def script_lines(text: str) -> list[ScriptLine]:
    """A role-play's text, one turn per line: 'Customer (angry): words' -> speaker, words."""
    lines = []
    for line in text.splitlines():
        if not line.strip():
            continue
        found = _SPEAKER.match(line.strip())
        if found:
            lines.append(ScriptLine(found["speaker"].strip(), found["words"].strip()))
        else:
            lines.append(ScriptLine(None, line.strip()))
    return lines


@dataclass
class GuideCompetency:
    id: str
    kind: str
    name: str
    definition: str
    minutes: int
    questions: list[GuideQuestion]
    listen_for: list[str]
    red_flags: list[str]
    scale: list[ScalePoint]

    @property
    def written_question(self) -> GuideQuestion | None:
        """The competency's one question when it is a written work sample."""
        if len(self.questions) == 1 and self.questions[0].type == "written":
            return self.questions[0]
        return None

    @property
    def rating_scale(self) -> list[ScalePoint]:
        """The anchors its rating is made on: a written reply is rated on the reply's own
        anchors, which describe this exercise; otherwise the competency's."""
        written = self.written_question
        return written.reply_scale if written is not None else self.scale


@dataclass
class GuidePart:
    kind: str  # "strength" or "weakness"
    competencies: list[GuideCompetency]


@dataclass
class TimeSlot:
    key: str  # "opening", "closing" or a competency id
    name: str | None  # competency name; None for opening/closing (a UI string)
    minutes: int


@dataclass
class Guide:
    role_id: str
    role_name: str
    round_id: str
    round_name: str
    minutes: int
    candidate: str | None
    interviewer: str | None
    lang: str
    language_name: str
    date: str
    bank_version: str
    question_set: str
    paper: str
    parts: list[GuidePart]
    time_plan: list[TimeSlot]
    candidate_id: int | None = None
    created: str = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    )

    @property
    def date_text(self) -> str:
        """The date for the reader, in the guide's language ("7. dec. 2026"); ``date`` stays
        ISO 8601 for machines."""
        from hiring.render.formats import format_date

        return format_date(dt.date.fromisoformat(self.date), self.lang)

    def competencies(self) -> list[GuideCompetency]:
        return [c for part in self.parts for c in part.competencies]

    def questions(self) -> list[GuideQuestion]:
        return [q for c in self.competencies() for q in c.questions]

    @property
    def work_sample(self) -> bool:
        """A written work-sample round: the candidate writes replies, nobody is questioned,
        so the brief and the opening and closing scripts say so."""
        questions = self.questions()
        return bool(questions) and all(q.type == "written" for q in questions)

    def manifest(self) -> dict[str, Any]:
        """What was asked, so ratings can be tied to it (shape agreed with the store)."""
        return {
            "kind": "hiring-guide-manifest",
            "version": 1,
            "role": self.role_id,
            "round": self.round_id,
            "candidate": self.candidate,
            "candidate_id": self.candidate_id,
            "interviewer": self.interviewer,
            "language": self.lang,
            "bank_version": self.bank_version,
            "question_set": self.question_set,
            "competencies": [c.id for c in self.competencies()],
            "questions": [
                {"competency": c.id, "question": q.id}
                for c in self.competencies()
                for q in c.questions
            ],
            "created": self.created,
        }

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def split_minutes(total: int, weights: list[int]) -> list[int]:
    """Whole minutes proportional to ``weights`` that add up to ``total`` (largest remainder)."""
    whole = sum(weights)
    if not weights or whole <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    minutes = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (minutes[i] - exact[i], i))
    for index in order[: total - sum(minutes)]:
        minutes[index] += 1
    return minutes


def time_plan(total: int, competency_ids: list[str], question_counts: list[int]) -> list[int]:
    """Minutes for opening, each competency (by its number of questions), and closing."""
    # About a tenth of the round each for the welcome and the candidate's questions.
    frame = max(1, round(total * 0.1)) if total >= 10 else 0
    body = total - 2 * frame
    return [frame, *split_minutes(body, question_counts), frame]


def _scale_points(scale: Scale, competency: Competency, lang: str) -> list[ScalePoint]:
    return [
        ScalePoint(
            value=point,
            label=localise(scale.labels.get(point), lang),
            anchor=(
                localise(competency.anchors[point], lang) if point in competency.anchors else None
            ),
        )
        for point in scale.points
    ]


def _reply_scale(scale: Scale, question: Question, lang: str) -> list[ScalePoint]:
    anchors = question.reply_anchors or {}
    return [
        ScalePoint(
            value=point,
            label=localise(scale.labels.get(point), lang),
            anchor=localise(anchors[point], lang) if point in anchors else None,
        )
        for point in scale.points
    ]


def _question(question: Question, lang: str, scale: Scale) -> GuideQuestion:
    written = question.type == "written"
    return GuideQuestion(
        id=question.id,
        type=question.type,
        text=localise(question.text, lang),
        setup=localise(question.setup, lang) if question.setup else None,
        probes=[localise(p, lang) for p in question.probes],
        script=script_lines(localise(question.text, lang)) if question.type == "role_play" else [],
        channel=question.channel,
        minutes=question.minutes,
        message=localise(question.message, lang) if question.message else None,
        reply_scale=_reply_scale(scale, question, lang) if written else [],
    )


def build_guide(bank: Bank, request: GuideRequest) -> Guide:
    """Select the questions and gather every text the guide prints, in its language."""
    role = bank.role(request.role)
    round_ = role.round(request.round)
    if request.lang not in role.languages:
        raise InputError(
            f"role '{role.id}' is not offered in '{request.lang}' "
            f"(languages: {', '.join(role.languages)})"
        )
    if request.paper not in PAPER_SIZES:
        raise InputError(f"unknown paper '{request.paper}' (expected: a4, letter)")
    lang = request.lang
    chosen = select_questions(bank, role.id, round_.id, request.question_set)
    ids = list(chosen)
    minutes = time_plan(round_.minutes, ids, [len(chosen[c]) for c in ids])
    competencies: list[GuideCompetency] = []
    for competency_id, share in zip(ids, minutes[1:-1], strict=True):
        competency = bank.competency(competency_id)
        competencies.append(
            GuideCompetency(
                id=competency.id,
                kind=competency.kind,
                name=localise(competency.name, lang),
                definition=localise(competency.definition, lang),
                minutes=share,
                questions=[
                    _question(q, lang, bank.scale(competency.scale)) for q in chosen[competency_id]
                ],
                listen_for=[localise(t, lang) for t in competency.listen_for],
                red_flags=[localise(t, lang) for t in competency.red_flags],
                scale=_scale_points(bank.scale(competency.scale), competency, lang),
            )
        )
    parts = [
        GuidePart(kind, [c for c in competencies if c.kind == kind])
        for kind in ("strength", "weakness")
    ]
    parts = [part for part in parts if part.competencies]
    # The time plan follows the order the guide is printed in: strengths, then weaknesses.
    printed = [c for part in parts for c in part.competencies]
    plan = [
        TimeSlot("opening", None, minutes[0]),
        *(TimeSlot(c.id, c.name, c.minutes) for c in printed),
        TimeSlot("closing", None, minutes[-1]),
    ]
    return Guide(
        role_id=role.id,
        role_name=localise(role.name, lang),
        round_id=round_.id,
        round_name=localise(round_.name, lang) if round_.name else round_.id,
        minutes=round_.minutes,
        candidate=request.candidate,
        interviewer=request.interviewer,
        lang=lang,
        language_name=LANGUAGE_NAMES.get(lang) or language_name(lang),
        date=(request.date or dt.date.today()).isoformat(),
        bank_version=bank.version,
        question_set=request.question_set,
        candidate_id=request.candidate_id,
        paper=request.paper,
        parts=parts,
        time_plan=plan,
    )
