"""One bank file checked against the schema: its object, or each problem at file:line:column."""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Sequence
from typing import Any

from hiring.bank.models import FILE_KINDS, BankFile
from hiring.bank.yaml_reader import Path_, Problem, ReadFile, format_path


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


def parse_file(read: ReadFile) -> tuple[BankFile | None, list[Problem]]:
    """The file as its schema class, or None and every problem found in it."""
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


def declared_ids(data: Any) -> set[str]:
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
