"""The bank built from its parsed files, with the checks that span files."""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Iterable, Iterator
from typing import Any

from hiring.bank.models import (
    SUPPORTED_LANGUAGES,
    WRITTEN_FIELDS,
    Bank,
    BankFile,
    Competency,
    CompetencyFile,
    DecisionReasonsFile,
    GlossaryFile,
    LocalText,
    Question,
    Role,
    RoleFile,
    Scale,
    ScalesFile,
)
from hiring.bank.yaml_reader import Path_, Problem, ReadFile, format_path


class BankBuilder:
    """Collects parsed files into a bank, checking what spans files."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.origins: dict[str, tuple[ReadFile, Path_]] = {}
        self.bank = Bank(folders=[])
        self._reported: set[str] = set()
        # Ids whose own file is broken: already reported, so not "unknown" elsewhere.
        self.broken_ids: set[str] = set()
        # Scales already reported as broken: the competencies on them are not checked
        # against them again (one broken scale is one problem, not one per competency).
        self.broken_scales: set[str] = set()
        self.scales_file_broken = False
        # The languages a text may be in: the bundled ones and those the bank's folders add
        # with strings.<lang>.po (check_bank sets them).
        self.languages: list[str] = list(SUPPORTED_LANGUAGES)

    def claim(self, kind: str, item_id: str, read: ReadFile, key_path: Path_) -> bool:
        key = f"{kind}:{item_id}"
        if key in self.origins:
            first, first_path = self.origins[key]
            mark = first.mark_of(first_path)
            self.problems.append(
                read.problem(
                    key_path,
                    f"duplicate {kind} id '{item_id}' ({format_path(key_path)}; "
                    f"already defined at {first.path}:{mark.line})",
                )
            )
            return False
        self.origins[key] = (read, key_path)
        self.bank.files[key] = read.path
        self.locate(key, read, key_path)
        return True

    def locate(self, key: str, read: ReadFile, key_path: Path_) -> None:
        mark = read.mark_of(key_path)
        self.bank.locations[key] = (read.path, mark.line, mark.column)

    def add(self, read: ReadFile, parsed: BankFile) -> None:
        if isinstance(parsed, ScalesFile):
            for index, scale in enumerate(parsed.scales):
                if self.claim("scale", scale.id, read, ("scales", index, "id")):
                    self.bank.scales[scale.id] = scale
        elif isinstance(parsed, CompetencyFile):
            competency = parsed.competency
            if self.claim("competency", competency.id, read, ("competency", "id")):
                self.bank.competencies[competency.id] = competency
            for point in competency.anchors:
                anchor_path: Path_ = ("competency", "anchors", point)
                self.locate(f"anchor:{competency.id}:{point}", read, anchor_path)
            for index, question in enumerate(competency.questions):
                self.claim("question", question.id, read, ("competency", "questions", index, "id"))
        elif isinstance(parsed, RoleFile):
            if self.claim("role", parsed.role.id, read, ("role", "id")):
                self.bank.roles[parsed.role.id] = parsed.role
        elif isinstance(parsed, GlossaryFile):
            for index, term in enumerate(parsed.glossary):
                if self.claim("glossary term", term.id, read, ("glossary", index, "id")):
                    self.bank.glossary[term.id] = term
        elif isinstance(parsed, DecisionReasonsFile):
            for index, reason in enumerate(parsed.decision_reasons):
                path: Path_ = ("decision_reasons", index, "id")
                if self.claim("decision reason", reason.id, read, path):
                    self.bank.decision_reasons[reason.id] = reason

    def where(self, kind: str, item_id: str) -> tuple[ReadFile, Path_]:
        return self.origins[f"{kind}:{item_id}"]

    # -- checks across files -------------------------------------------------

    def check(self) -> None:
        self.check_language_keys()
        for scale in self.bank.scales.values():
            self.check_scale(scale)
        for competency in self.bank.competencies.values():
            self.check_competency(competency)
        for role in self.bank.roles.values():
            self.check_role(role)
        self.check_decision_reasons()

    def check_language_keys(self) -> None:
        """A text in a language hiring does not know (``dk:`` for ``da:``) is named, with the
        closest known language; otherwise it would only show up as another one missing."""
        for key, (read, key_path) in self.origins.items():
            if key.startswith("question:"):
                continue  # walked with its competency
            item = self._item(key)
            if item is None:
                continue
            for text_path, text in _local_texts(item, type(item), key_path[:-1]):
                for code in text:
                    # A real language with no UI strings yet (texts drafted ahead of the
                    # catalog) is allowed here; a role offering it is not (check_role).
                    if code not in self.languages and not _is_language(code):
                        self.problems.append(read.problem(
                            text_path + (code,),
                            f"unknown language '{code}' ({format_path(text_path)}) — "
                            f"{self._language_hint(code)}"))

    def _item(self, key: str) -> object | None:
        kind, _, item_id = key.partition(":")
        items: dict[str, dict[str, Any]] = {
            "scale": self.bank.scales, "competency": self.bank.competencies,
            "role": self.bank.roles, "glossary term": self.bank.glossary,
            "decision reason": self.bank.decision_reasons,
        }
        return items.get(kind, {}).get(item_id)

    def _language_hint(self, code: str) -> str:
        close = difflib.get_close_matches(code, self.languages, n=1, cutoff=0.5)
        if close and not _is_language(code):
            return f"did you mean '{close[0]}'?"
        return (f"hiring knows {', '.join(self.languages)}; a bank adds a language with "
                f"strings.{code}.po in its folder (see 'hiring strings export')")

    def check_decision_reasons(self) -> None:
        """A reason is shown in the language of any role's report: it needs all of them."""
        wanted = self.bank.languages()
        for reason in self.bank.decision_reasons.values():
            read, key_path = self.where("decision reason", reason.id)
            missing = [code for code in wanted if code not in reason.text]
            if missing:
                text_path = key_path[:-1] + ("text",)
                self.problems.append(
                    read.problem(
                        text_path,
                        f"missing language {', '.join(missing)} ({format_path(text_path)}; the "
                        f"bank's roles are offered in {', '.join(wanted)})",
                    )
                )

    def check_scale(self, scale: Scale) -> None:
        before = len(self.problems)
        self._check_scale(scale)
        if len(self.problems) > before:
            self.broken_scales.add(scale.id)

    def _check_scale(self, scale: Scale) -> None:
        read, base = self.where("scale", scale.id)
        base = base[:-1]
        if scale.min >= scale.max:
            self.problems.append(
                read.problem(
                    base + ("max",),
                    f"max must be above min ({format_path(base)}: "
                    f"min {scale.min}, max {scale.max})",
                )
            )
            return
        points = set(scale.points)
        for point in scale.labels:
            if point not in points:
                self.problems.append(
                    read.problem(
                        base + ("labels", point),
                        f"label for {point}, outside the scale {scale.min}-{scale.max} "
                        f"({format_path(base + ('labels', point))})",
                    )
                )
        for point in scale.points:
            if point not in scale.labels:
                self.problems.append(
                    read.problem(
                        base + ("labels",),
                        f"missing label for point {point} ({format_path(base + ('labels',))}; "
                        f"expected every point {scale.min}-{scale.max})",
                    )
                )
        if scale.meets is not None and scale.meets not in points:
            self.problems.append(
                read.problem(
                    base + ("meets",),
                    f"meets {scale.meets} is outside the scale {scale.min}-{scale.max} "
                    f"({format_path(base + ('meets',))})",
                )
            )
        for point in scale.anchored or []:
            if point not in points:
                self.problems.append(
                    read.problem(
                        base + ("anchored",),
                        f"anchored point {point} is outside the scale {scale.min}-{scale.max} "
                        f"({format_path(base + ('anchored',))})",
                    )
                )

    def check_competency(self, competency: Competency) -> None:
        read, _ = self.where("competency", competency.id)
        if competency.scale in self.broken_scales or competency.scale in self.broken_ids:
            return  # its scale's own problem is reported where the scale is defined
        scale = self.bank.scales.get(competency.scale)
        if scale is None and self.scales_file_broken:
            return  # the scales file did not load: reported there, once
        if scale is None:
            known = ", ".join(sorted(self.bank.scales)) or "none defined"
            self.problems.append(
                read.problem(
                    ("competency", "scale"),
                    f"unknown scale '{competency.scale}' (competency.scale; scales: {known})",
                )
            )
            return
        for point in competency.anchors:
            if not scale.min <= point <= scale.max:
                self.problems.append(
                    read.problem(
                        ("competency", "anchors", point),
                        f"anchor for point {point}, outside the scale '{scale.id}' "
                        f"{scale.min}-{scale.max} (competency.anchors.{point})",
                    )
                )
        for point in scale.anchored_points:
            if point not in competency.anchors:
                self.problems.append(
                    read.problem(
                        ("competency", "anchors"),
                        f"missing anchor for point {point} (competency.anchors; scale '{scale.id}' "
                        f"needs anchors on {', '.join(map(str, scale.anchored_points))})",
                    )
                )
        for index, question in enumerate(competency.questions):
            self.check_question_kind(read, ("competency", "questions", index), question, scale)

    def check_question_kind(
        self, read: ReadFile, base: Path_, question: Question, scale: Scale
    ) -> None:
        """Written work samples carry a message, channel, time limit and reply anchors; the
        other types carry none of them."""
        where = format_path(base)
        if question.type != "written":
            for name in WRITTEN_FIELDS:
                if getattr(question, name) is not None:
                    self.problems.append(
                        read.problem(
                            base + (name,),
                            f"'{name}' belongs to written work samples, not a {question.type} "
                            f"question ({where}.{name}; set type: written or remove it)",
                        )
                    )
            return
        for name in WRITTEN_FIELDS:
            if getattr(question, name) is None:
                self.problems.append(
                    read.problem(
                        base,
                        f"written question {question.id} needs '{name}' ({where}; a written "
                        "work sample has channel, minutes, message and reply_anchors)",
                    )
                )
        anchors = question.reply_anchors or {}
        for point in anchors:
            if not scale.min <= point <= scale.max:
                self.problems.append(
                    read.problem(
                        base + ("reply_anchors", point),
                        f"reply anchor for point {point}, outside the scale '{scale.id}' "
                        f"{scale.min}-{scale.max} ({where}.reply_anchors.{point})",
                    )
                )
        if question.reply_anchors is not None:
            for point in scale.anchored_points:
                if point not in anchors:
                    self.problems.append(
                        read.problem(
                            base + ("reply_anchors",),
                            f"missing reply anchor for point {point} ({where}.reply_anchors; "
                            f"scale '{scale.id}' needs anchors on "
                            f"{', '.join(map(str, scale.anchored_points))})",
                        )
                    )

    def check_role(self, role: Role) -> None:
        read, _ = self.where("role", role.id)
        role_competencies: list[str] = []
        for index, item in enumerate(role.competencies):
            if item.id in role_competencies:
                self.problems.append(
                    read.problem(
                        ("role", "competencies", index, "id"),
                        f"competency '{item.id}' is listed twice (role.competencies[{index}])",
                    )
                )
            role_competencies.append(item.id)
            if item.id not in self.bank.competencies and item.id not in self.broken_ids:
                self.problems.append(
                    read.problem(
                        ("role", "competencies", index, "id"),
                        f"unknown competency '{item.id}' (role.competencies[{index}].id; "
                        f"{self._suggest(item.id, self.bank.competencies)})",
                    )
                )
        round_ids: set[str] = set()
        for index, round_ in enumerate(role.rounds):
            if round_.id in round_ids:
                self.problems.append(
                    read.problem(
                        ("role", "rounds", index, "id"),
                        f"duplicate round id '{round_.id}' (role.rounds[{index}].id)",
                    )
                )
            round_ids.add(round_.id)
            for position, competency_id in enumerate(round_.competencies or []):
                if competency_id not in role_competencies:
                    self.problems.append(
                        read.problem(
                            ("role", "rounds", index, "competencies", position),
                            f"round '{round_.id}' names competency '{competency_id}', which "
                            f"the role does not list (role.rounds[{index}].competencies"
                            f"[{position}]; expected one of the role's competencies)",
                        )
                    )
        for index, round_ in enumerate(role.rounds):
            subset = round_.competencies if round_.competencies is not None else role_competencies
            for competency_id in subset:
                competency = self.bank.competencies.get(competency_id)
                if competency is None or role.questions_for(round_.id, competency.questions):
                    continue
                types = ", ".join(round_.question_types)
                self.problems.append(read.problem(("role", "rounds", index),
                    f"round '{round_.id}' has no question it may ask for '{competency_id}' "
                    f"(role.rounds[{index}]; the round asks {types} questions and a "
                    f"{role.level}-level role skips level: senior questions: add a question, "
                    "change the round's types or make the role senior)"))
        if not role.rounds:
            self.problems.append(
                read.problem(("role", "rounds"), "a role needs at least one round (role.rounds)")
            )
        for index, code in enumerate(role.languages):
            if not code or not code.isalpha() or not code.islower():
                self.problems.append(
                    read.problem(
                        ("role", "languages", index),
                        f"'{code}' is not a language code (role.languages[{index}])",
                    )
                )
            elif code not in self.languages:
                self.problems.append(read.problem(
                    ("role", "languages", index),
                    f"no UI strings for the language '{code}' (role.languages[{index}]): "
                    f"{self._language_hint(code)}"))
        self.check_languages(role, read)

    def check_languages(self, role: Role, role_file: ReadFile) -> None:
        wanted = list(role.languages)
        self._need(role_file, ("role", "name"), role.name, wanted, role.id)
        for index, round_ in enumerate(role.rounds):
            if round_.name is not None:
                self._need(
                    role_file, ("role", "rounds", index, "name"), round_.name, wanted, role.id
                )
        scales_seen: set[str] = set()
        for item in role.competencies:
            competency = self.bank.competencies.get(item.id)
            if competency is None:
                continue
            read, _ = self.where("competency", competency.id)
            base: Path_ = ("competency",)
            for key in ("name", "definition"):
                self._need(read, base + (key,), getattr(competency, key), wanted, role.id)
            for point, text in competency.anchors.items():
                self._need(read, base + ("anchors", point), text, wanted, role.id)
            for key in ("listen_for", "red_flags"):
                for index, text in enumerate(getattr(competency, key)):
                    self._need(read, base + (key, index), text, wanted, role.id)
            for q_index, question in enumerate(competency.questions):
                q_base = base + ("questions", q_index)
                self._need(read, q_base + ("text",), question.text, wanted, role.id)
                if question.setup is not None:
                    self._need(read, q_base + ("setup",), question.setup, wanted, role.id)
                if question.message is not None:
                    self._need(read, q_base + ("message",), question.message, wanted, role.id)
                for point, reply in (question.reply_anchors or {}).items():
                    path = q_base + ("reply_anchors", point)
                    self._need(read, path, reply, wanted, role.id)
                for p_index, probe in enumerate(question.probes):
                    self._need(read, q_base + ("probes", p_index), probe, wanted, role.id)
            scale = self.bank.scales.get(competency.scale)
            if scale is not None and scale.id not in scales_seen:
                scales_seen.add(scale.id)
                scale_read, scale_path = self.where("scale", scale.id)
                for point, label in scale.labels.items():
                    self._need(
                        scale_read, scale_path[:-1] + ("labels", point), label, wanted, role.id
                    )

    def _need(
        self, read: ReadFile, key_path: Path_, text: dict[str, str], wanted: list[str], role_id: str
    ) -> None:
        missing = [code for code in wanted if code not in text]
        if missing:
            key = f"{read.path}:{key_path}"
            if key in self._reported:
                return
            self._reported.add(key)
            self.problems.append(
                read.problem(
                    key_path,
                    f"missing language {', '.join(missing)} ({format_path(key_path)}; role "
                    f"'{role_id}' is offered in {', '.join(wanted)})",
                )
            )

    @staticmethod
    def _suggest(item_id: str, known: Iterable[str]) -> str:
        close = difflib.get_close_matches(item_id, list(known), n=1)
        return f"did you mean '{close[0]}'?" if close else "see 'hiring bank list'"


def _local_texts(value: Any, hint: Any, path: Path_) -> Iterator[tuple[Path_, dict[str, str]]]:
    """Every localised text (``LocalText``) in a bank item, with its key path."""
    if hint == LocalText:
        if isinstance(value, dict):
            yield path, value
        return
    if value is None:
        return
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Annotated:
        yield from _local_texts(value, args[0], path)
    elif origin is typing.Union or origin is types.UnionType:
        for arg in args:
            if arg is not type(None):
                yield from _local_texts(value, arg, path)
    elif origin is list and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _local_texts(item, args[0], path + (index,))
    elif origin is dict and isinstance(value, dict):
        for key, item in value.items():
            yield from _local_texts(item, args[1], path + (key,))
    elif isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = _hints(hint)
        for field in dataclasses.fields(hint):
            yield from _local_texts(getattr(value, field.name), hints[field.name],
                                    path + (field.name,))


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


def _is_language(code: str) -> bool:
    """Whether CLDR knows ``code`` as a language ('de', 'pt-BR'; not 'dk')."""
    from babel import localedata  # only on this error path

    return bool(localedata.exists(code.replace("-", "_")))
