"""Strict YAML reading for bank files.

PyYAML's ``safe_load`` keeps the last of two duplicate keys, expands aliases (the
"billion laughs" bomb blows up later, when the tree is walked) and reads YAML 1.1
surprises such as ``no`` (a boolean) and ``1:30`` (90) silently. Bank files are
edited by hand, so we build the tree ourselves from the parser's events and
refuse all of these, remembering where every key and item stands in the file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 1_000_000  # a bank file is a few tens of KB; anything near 1 MB is a mistake
MAX_DEPTH = 50  # a bank nests about 6 levels; deeper input is refused, not recursed into

Path_ = tuple[str | int, ...]

_TRUE_FALSE = {"true", "false"}
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
    "!",  # quoted scalars carry the non-specific tag
}


@dataclass(frozen=True)
class Mark:
    """A place in a file, 1-based as editors show it."""

    line: int
    column: int


@dataclass
class Problem:
    """One thing wrong with a bank, located in its file."""

    file: Path
    line: int
    column: int
    message: str
    key_path: str | None = None  # e.g. 'competency.questions[0].text', when known

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {"file": str(self.file), "line": self.line, "column": self.column,
                "key_path": self.key_path, "message": self.message}


@dataclass
class ReadFile:
    """A YAML file read into plain Python data, with the mark of every key path."""

    path: Path
    data: Any
    marks: dict[Path_, Mark] = field(default_factory=dict)
    raw: bytes = b""

    def mark_of(self, key_path: Path_) -> Mark:
        """Mark of the longest prefix of ``key_path`` that exists in the file."""
        for end in range(len(key_path), -1, -1):
            mark = self.marks.get(tuple(key_path[:end]))
            if mark is not None:
                return mark
        return Mark(1, 1)

    def problem(self, key_path: Path_, message: str) -> Problem:
        mark = self.mark_of(key_path)
        return Problem(self.path, mark.line, mark.column, message, format_path(key_path) or None)


class _Refused(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = Mark(mark.line + 1, mark.column + 1)
        self.message = message


def format_path(key_path: Path_) -> str:
    """``('competency', 'questions', 0, 'text')`` -> ``competency.questions[0].text``."""
    out = ""
    for part in key_path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


@functools.cache
def _yaml() -> tuple[Any, Any, Any, Any, Any]:
    """PyYAML, imported on first use: a cached bank is loaded without it."""
    import yaml
    from yaml.constructor import SafeConstructor
    from yaml.nodes import ScalarNode
    from yaml.resolver import Resolver

    try:  # the C parser is about 10x faster
        loader: Any = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - libyaml missing
        loader = yaml.SafeLoader
    return yaml, loader, Resolver(), SafeConstructor(), ScalarNode


def _scalar(event: Any) -> Any:
    _, _, _resolver, _constructor, ScalarNode = _yaml()
    tag = event.tag
    if tag not in (None, "!") and tag not in _STANDARD_TAGS:
        raise _Refused(event.start_mark, f"tag {tag} is not allowed in a bank file")
    plain = event.implicit[0] and tag in (None, "!") and not event.style
    if not plain:
        if tag in (None, "!", "tag:yaml.org,2002:str"):
            return event.value
        node = ScalarNode(tag, event.value)
        return _constructor.yaml_constructors[tag](_constructor, node)
    value = event.value
    resolved = _resolver.resolve(ScalarNode, value, (True, False))
    if resolved == "tag:yaml.org,2002:bool" and value.lower() not in _TRUE_FALSE:
        raise _Refused(
            event.start_mark,
            f"'{value}' is read by YAML as a boolean; quote it (\"{value}\") if you mean "
            "text, or write true/false",
        )
    if resolved in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and _SEXAGESIMAL.match(
        value
    ):
        raise _Refused(
            event.start_mark,
            f"'{value}' is read by YAML 1.1 as a base-60 number; quote it (\"{value}\")",
        )
    if resolved == "tag:yaml.org,2002:timestamp":
        return value  # keep dates as text; the schema decides what it wants
    if resolved not in _STANDARD_TAGS:
        return value
    node = ScalarNode(resolved, value)
    return _constructor.yaml_constructors[resolved](_constructor, node)


class _Builder:
    """Builds plain data from parser events, recording marks, refusing aliases."""

    def __init__(self, events: Any) -> None:
        self.events = iter(events)
        self.marks: dict[Path_, Mark] = {}

    def next(self) -> Any:
        return next(self.events)

    def node(self, event: Any, key_path: Path_) -> Any:
        yaml = _yaml()[0]
        if len(key_path) > MAX_DEPTH:
            raise _Refused(event.start_mark, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                event.start_mark,
                f"alias *{event.anchor} is not allowed in a bank file (write the text out; "
                "aliases can expand into huge documents)",
            )
        if getattr(event, "anchor", None):
            raise _Refused(
                event.start_mark, f"anchor &{event.anchor} is not allowed in a bank file"
            )
        if isinstance(event, yaml.ScalarEvent):
            return _scalar(event)
        if isinstance(event, yaml.SequenceStartEvent):
            self._check_tag(event, "tag:yaml.org,2002:seq")
            items: list[Any] = []
            while True:
                item = self.next()
                if isinstance(item, yaml.SequenceEndEvent):
                    return items
                index = len(items)
                self.marks[key_path + (index,)] = Mark(
                    item.start_mark.line + 1, item.start_mark.column + 1
                )
                items.append(self.node(item, key_path + (index,)))
        if isinstance(event, yaml.MappingStartEvent):
            self._check_tag(event, "tag:yaml.org,2002:map")
            mapping: dict[Any, Any] = {}
            while True:
                key_event = self.next()
                if isinstance(key_event, yaml.MappingEndEvent):
                    return mapping
                if not isinstance(key_event, yaml.ScalarEvent):
                    raise _Refused(key_event.start_mark, "a key must be a plain value")
                key = self.node(key_event, key_path)
                if isinstance(key, float) or key is None:
                    raise _Refused(key_event.start_mark, f"'{key_event.value}' is not a valid key")
                if key in mapping:
                    first = self.marks.get(key_path + (key,))
                    where = f" (first at line {first.line})" if first else ""
                    raise _Refused(
                        key_event.start_mark,
                        f"duplicate key '{key_event.value}' in {format_path(key_path)}{where}",
                    )
                start: Any = key_event.start_mark
                self.marks[key_path + (key,)] = Mark(start.line + 1, start.column + 1)
                mapping[key] = self.node(self.next(), key_path + (key,))
        raise _Refused(event.start_mark, f"unexpected YAML event {type(event).__name__}")

    @staticmethod
    def _check_tag(event: Any, expected: str) -> None:
        if event.tag not in (None, "!", expected):
            raise _Refused(event.start_mark, f"tag {event.tag} is not allowed in a bank file")


_CHARACTER_NAMES = {"\t": "a tab character", "\u00a0": "a no-break space", "\ufeff": "a BOM"}


def _name_the_character(what: str, text: str, line: int, column: int) -> str:
    """'found character that cannot start any token' says which one (a tab, most often)."""
    lines = text.splitlines()
    if "character" not in what or not 0 < line <= len(lines):
        return what
    row = lines[line - 1]
    if not 0 < column <= len(row):
        return what
    char = row[column - 1]
    name = _CHARACTER_NAMES.get(char)
    if name is None:
        name = f"the character {char!r}" if char.isprintable() else f"the character {ord(char):#x}"
    hint = " (indent with spaces, not tabs)" if char == "\t" else ""
    if name in what:
        return what + hint
    return what.replace("character", f"{name}", 1) + hint


def read_yaml(path: Path) -> tuple[ReadFile | None, list[Problem]]:
    """Read one bank file strictly. Returns the file, or None and the problems."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Problem(
                    path,
                    1,
                    1,
                    f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte cap "
                    "(split it: one competency per file)",
                )
            ]
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(path, 1, 1, f"cannot read file: {error.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [Problem(path, line, column, "file is not valid UTF-8 (save it as UTF-8)")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return None, [
            Problem(
                path, 1, 1, "file is empty (expected one of scales:, competency:, role:, "
                "glossary:, decision_reasons:)"
            )
        ]
    yaml, loader, *_ = _yaml()
    builder = _Builder(yaml.parse(text, Loader=loader))
    documents: list[Any] = []
    try:
        for event in builder.events:
            if isinstance(event, yaml.DocumentStartEvent):
                body = builder.next()
                documents.append(builder.node(body, ()))
                builder.next()  # DocumentEndEvent
    except _Refused as refused:
        return None, [Problem(path, refused.mark.line, refused.mark.column, refused.message)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = _name_the_character(error.problem or str(error), text, line, column)
        return None, [Problem(path, line, column, f"YAML syntax error: {what}")]
    except yaml.YAMLError as error:  # e.g. a control character the reader refuses
        first = str(error).strip().splitlines()[0] if str(error).strip() else "unreadable"
        return None, [Problem(path, 1, 1, f"YAML error: {first}")]
    if len(documents) != 1:
        return None, [Problem(path, 1, 1, f"expected one YAML document, found {len(documents)}")]
    return ReadFile(path=path, data=documents[0], marks=builder.marks, raw=raw), []
