"""Results that are slow to parse or validate, kept in the user's cache folder.

An entry is named by a hash of everything it was made from (the exact bytes of the source
files, and hiring's version), so a changed source is a miss, never a stale hit. Entries are
written atomically; a corrupt or unreadable one is rebuilt; a read-only or full cache folder
only costs speed. Only what validated is cached.

Entries are data, never code: JSON holding plain values, with dataclass instances tagged by
class name and rebuilt only into the dataclasses of the expected type's own module (so a
replaced cache file can at worst be a miss, never run anything, unlike a pickle). Anything
unexpected in an entry (another class, another type, bad JSON) makes it a miss.

>>> path = cache_path("strings", [b"...the file's bytes..."])
>>> value = load_cached(path, dict)  # None on a miss
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import Any, TypeVar

T = TypeVar("T")

FORMAT = "hiring-cache-json-1"
# Tags: a JSON object is one of these, never a plain dict (plain dicts are stored tagged).
_DICT, _TUPLE, _PATH, _OBJECT = "d", "t", "p", "o"


class _Miss(Exception):
    """An entry that is not what this code writes."""


def cache_path(kind: str, parts: Iterable[bytes]) -> Path:
    """The cache file for a ``kind`` of result made from ``parts`` (bytes, in order)."""
    from hiring import __version__
    from hiring.paths import cache_dir

    digest = hashlib.sha256(f"{kind}\0{__version__}\0{FORMAT}\0".encode())
    for part in parts:
        # Length-prefixed, so two different lists of parts never hash alike.
        digest.update(len(part).to_bytes(8, "big") + part)
    return cache_dir() / f"{kind}-{digest.hexdigest()[:32]}.json"


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, tuple):
        return {_TUPLE: [_encode(item) for item in value]}
    if isinstance(value, dict):
        return {_DICT: [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, PurePath):
        return {_PATH: str(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = vars(value)
        if _OBJECT in fields:
            raise TypeError(f"a field named '{_OBJECT}' would read as the class tag")
        return {_OBJECT: type(value).__name__,
                **{name: _encode(item) for name, item in fields.items()}}
    raise TypeError(f"cannot cache a {type(value).__name__}")


class _Decoder:
    """Rebuilds tagged JSON objects as the C parser meets them (``object_hook``)."""

    def __init__(self, classes: dict[str, type]) -> None:
        self.classes = classes
        self.fields = {
            name: frozenset(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
            for name, cls in classes.items()
        }

    def __call__(self, value: dict[str, Any]) -> Any:
        name = value.pop(_OBJECT, None)
        if name is not None:
            cls = self.classes.get(name) if isinstance(name, str) else None
            if cls is None or not value.keys() <= self.fields[name]:
                raise _Miss  # another class, or attributes this class does not have
            instance: Any = object.__new__(cls)
            # Frozen dataclasses refuse setattr: fill the instance's dict directly, as
            # unpickling does, without calling any code of the class.
            instance.__dict__.update(value)
            return instance
        if len(value) != 1:
            raise _Miss
        ((tag, item),) = value.items()
        if tag == _DICT and isinstance(item, list):
            return {key: entry for key, entry in item if not isinstance(key, list | dict)}
        if tag == _TUPLE and isinstance(item, list):
            return tuple(item)
        if tag == _PATH and isinstance(item, str):
            return Path(item)
        raise _Miss


def _dataclasses_of(expected: type) -> dict[str, type]:
    """The dataclasses an entry of type ``expected`` may contain: those of its module."""
    module = sys.modules.get(expected.__module__)
    found = {
        name: value
        for name, value in vars(module).items()
        if isinstance(value, type) and dataclasses.is_dataclass(value)
        and value.__module__ == expected.__module__
    } if module is not None else {}
    return found


def load_cached(path: Path, expected: type[T]) -> T | None:
    """The cached value at ``path`` if there is one of the ``expected`` type, else None."""
    try:
        with path.open("rb") as stream:
            data = stream.read()
        header, _, body = data.partition(b"\n")
        if header != FORMAT.encode():
            return None
        value = json.loads(body, object_hook=_Decoder(_dataclasses_of(expected)))
    except Exception:  # noqa: BLE001 - a missing or broken entry is rebuilt, never fatal
        return None
    return value if isinstance(value, expected) else None


def store_cached(path: Path, value: object) -> None:
    """Keep ``value`` at ``path`` for next time; failing to is not an error."""
    from hiring.errors import HiringError
    from hiring.files import write_atomic

    try:
        text = FORMAT + "\n" + json.dumps(_encode(value), ensure_ascii=False,
                                           separators=(",", ":"))
        write_atomic(path, text)
    except (OSError, HiringError, TypeError, ValueError):
        pass
