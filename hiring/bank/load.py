"""Loading and validating a bank: every problem found, each with file:line:column."""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import types
import typing
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from hiring.bank.models import (
    FILE_KINDS,
    WRITTEN_FIELDS,
    Bank,
    BankFile,
    Competency,
    CompetencyFile,
    GlossaryFile,
    Question,
    Role,
    RoleFile,
    Scale,
    ScalesFile,
)
from hiring.bank.yaml_reader import (
    MAX_FILE_BYTES,
    Path_,
    Problem,
    ReadFile,
    format_path,
    read_yaml,
)
from hiring.errors import BankError
from hiring.paths import bundled_bank_dir


def bank_files(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """Every ``*.yaml`` / ``*.yml`` file under the given folders (or the files themselves)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
            )
            if not found:
                problems.append(Problem(path, 1, 1, "no *.yaml files in this bank folder"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(path, 1, 1, "no such file or folder"))
    return files, problems


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types inside Optional/Annotated/list/dict annotations."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def _is_schema_class(candidate: Any) -> bool:
    return isinstance(candidate, type) and dataclasses.is_dataclass(candidate)


def _class_at(root: type, loc: Sequence[str | int]) -> type | None:
    """The schema class found at ``loc`` inside ``root`` (None when it is not a class)."""
    current: Any = root
    for part in loc:
        next_type: Any = None
        for candidate in _unwrap(current):
            origin = typing.get_origin(candidate)
            if isinstance(part, str) and _is_schema_class(candidate):
                next_type = typing.get_type_hints(candidate, include_extras=True).get(part)
                if next_type is not None:
                    break
            elif origin in (list, dict):
                next_type = typing.get_args(candidate)[-1]
                break
        if next_type is None:
            return None
        current = next_type
    for candidate in _unwrap(current):
        if _is_schema_class(candidate):
            return typing.cast(type, candidate)
    return None


def _clean_loc(loc: Sequence[Any]) -> Path_:
    # pydantic adds union-member and key markers ('[key]', 'function-after[...]').
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and ("[" in part or part in ("int", "str")):
            continue
        out.append(part)
    return tuple(out)


def _describe(error: dict[str, Any], root: type, key_path: Path_) -> str:
    kind = error["type"]
    where = format_path(key_path)
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        parent = _class_at(root, key_path[:-1])
        allowed = sorted(field.name for field in dataclasses.fields(parent)) if parent else []
        key = key_path[-1]
        suggestion = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f"did you mean '{suggestion[0]}'? " if suggestion else ""
        return f"unknown key '{key}' ({where}; {hint}expected one of: {', '.join(allowed)})"
    if kind == "missing":
        return f"missing required key '{key_path[-1]}' ({where})"
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    given = error.get("input")
    shown = ""
    if kind.endswith("_type") and not isinstance(given, dict | list):
        shown = f", got {type(given).__name__} {given!r}"
    return f"{message[0].lower()}{message[1:]} ({where}{shown})"


def _validator(kind: str) -> Any:
    """The pydantic TypeAdapter of one kind of file, built once per process."""
    adapter = _VALIDATORS.get(kind)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _VALIDATORS[kind] = TypeAdapter(FILE_KINDS[kind])
    return adapter


_VALIDATORS: dict[str, Any] = {}


def _parse_file(read: ReadFile) -> tuple[BankFile | None, list[Problem]]:
    data = read.data
    if not isinstance(data, dict) or len(data) != 1 or next(iter(data)) not in FILE_KINDS:
        keys = ", ".join(f"{k}:" for k in FILE_KINDS)
        found = ", ".join(str(k) for k in data) if isinstance(data, dict) else type(data).__name__
        return None, [
            read.problem((), f"expected one top-level key, one of {keys} (found: {found})")
        ]
    from pydantic import ValidationError

    kind = next(iter(data))
    root = FILE_KINDS[kind]
    try:
        return _validator(kind).validate_python(data), []
    except ValidationError as failure:
        problems = []
        for error in failure.errors():
            key_path = _clean_loc(error["loc"])
            details = dict(error)
            problems.append(read.problem(key_path, _describe(details, root, key_path)))
        return None, problems


class _Builder:
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

    def where(self, kind: str, item_id: str) -> tuple[ReadFile, Path_]:
        return self.origins[f"{kind}:{item_id}"]

    # -- checks across files -------------------------------------------------

    def check(self) -> None:
        for scale in self.bank.scales.values():
            self.check_scale(scale)
        for competency in self.bank.competencies.values():
            self.check_competency(competency)
        for role in self.bank.roles.values():
            self.check_role(role)

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


def _declared_ids(data: Any) -> set[str]:
    """The ids a file that failed validation meant to define, when they can be read."""
    if not isinstance(data, dict):
        return set()
    body = data.get("competency") or data.get("role")
    if isinstance(body, dict) and isinstance(body.get("id"), str):
        return {body["id"]}
    scales = data.get("scales")
    if isinstance(scales, list):
        return {item["id"] for item in scales if isinstance(item, dict)
                and isinstance(item.get("id"), str)}
    return set()


def _version(files: list[tuple[Path, bytes]], roots: list[Path]) -> str:
    digest = hashlib.sha256()
    for path, raw in sorted(files, key=lambda item: _relative(item[0], roots)):
        digest.update(_relative(path, roots).encode())
        digest.update(b"\0")
        digest.update(raw)
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def _relative(path: Path, roots: list[Path]) -> str:
    for root in roots:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            continue
    return path.name


def check_bank(paths: Sequence[Path] | None = None) -> tuple[Bank | None, list[Problem]]:
    """Read and validate a bank. Returns the bank (None if any problem) and every problem.

    >>> bank, problems = check_bank([Path("question_banks")])
    """
    folders = [Path(p) for p in paths] if paths else [bundled_bank_dir()]
    files, problems = bank_files(folders)
    builder = _Builder()
    raw_files: list[tuple[Path, bytes]] = []
    for path in files:
        read, read_problems = read_yaml(path)
        problems.extend(read_problems)
        if read is None:
            builder.broken_ids.add(path.stem)
            builder.scales_file_broken |= path.stem == "scales"
            continue
        raw_files.append((path, read.raw))
        parsed, parse_problems = _parse_file(read)
        problems.extend(parse_problems)
        if parsed is not None:
            builder.add(read, parsed)
        else:
            builder.broken_ids.update(_declared_ids(read.data) or {path.stem})
            builder.scales_file_broken |= isinstance(read.data, dict) and "scales" in read.data
    builder.check()
    problems.extend(builder.problems)
    if problems:
        return None, problems
    bank = builder.bank
    bank.folders = folders
    bank.version = _version(raw_files, [f if f.is_dir() else f.parent for f in folders])
    return bank, []


def _cache_file(folders: list[Path], files: list[Path]) -> Path | None:
    """Where a validated bank with exactly this content, in these folders, is cached."""
    from hiring.bank import models
    from hiring.cache import cache_path

    # The schema's own source: an entry of other classes must not load into these ones, even
    # between two commits of one version.
    parts = [Path(models.__file__).read_bytes()]
    parts += [str(folder.resolve()).encode() for folder in folders]
    try:
        for path in files:
            if path.stat().st_size > MAX_FILE_BYTES:
                return None  # let validation report it
            parts += [str(path).encode(), path.read_bytes()]
    except OSError:
        return None
    return cache_path("bank", parts)


def load_bank(paths: Sequence[Path] | None = None) -> Bank:
    """Load a valid bank or raise ``BankError`` naming the first problem and the count.

    With no paths, loads the bank bundled with hiring. A bank that validated once is kept in
    the user's cache folder (``HIRING_CACHE_DIR`` overrides it), keyed by the exact bytes of
    every file, so an unchanged bank loads without parsing or validating again.
    """
    from hiring.cache import load_cached, store_cached

    folders = [Path(p) for p in paths] if paths else [bundled_bank_dir()]
    files, problems = bank_files(folders)
    cache = None if problems else _cache_file(folders, files)
    if cache is not None:
        cached = load_cached(cache, Bank)
        if cached is not None:
            return cached
    bank, problems = check_bank(folders)
    if bank is None:
        more = (
            f" (and {len(problems) - 1} more; run 'hiring bank validate')"
            if len(problems) > 1
            else ""
        )
        raise BankError(f"invalid question bank: {problems[0]}{more}", list(problems))
    if cache is not None:
        store_cached(cache, bank)
    return bank
