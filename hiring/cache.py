"""Results that are slow to parse or validate, kept in the user's cache folder.

An entry is named by a hash of everything it was made from (the exact bytes of the source
files, and hiring's version), so a changed source is a miss, never a stale hit. Entries are
written atomically; a corrupt or unreadable one is rebuilt; a read-only, missing or full
cache folder only costs speed. Only what validated is cached.

Entries are data, never code: JSON holding plain values, with dataclass instances tagged by
class name and rebuilt only into the dataclasses of the expected type's own module (so a
replaced cache file can at worst be a miss, never run anything, unlike a pickle). Each entry
is checked before it is used, and is a miss when any check fails:

- its first line names this format and the SHA-256 of the rest of the file (and of its own
  file name, so an entry copied over another is a miss too): an edited or damaged entry;
- the file and its folder belong to the user running hiring and nobody else may write them
  (as ssh treats ``~/.ssh``): an entry someone else planted;
- every value has the type its dataclass field declares (``Scale.min`` is an int, ...), and
  every field is there: an entry this code did not write.

>>> path = cache_path("strings", [b"...the file's bytes..."])
>>> value = load_cached(path, dict[str, dict[str, str]])  # None on a miss
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
import sys
import types
import typing
from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import Any, TypeVar

T = TypeVar("T")

FORMAT = "hiring-cache-json-2"
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
        names = [f.name for f in dataclasses.fields(value)]
        if _OBJECT in names:
            raise TypeError(f"a field named '{_OBJECT}' would read as the class tag")
        return {_OBJECT: type(value).__name__,
                **{name: _encode(getattr(value, name)) for name in names}}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _conforms(value: Any, hint: Any, depth: int = 0) -> bool:
    """Whether ``value`` is of the type ``hint`` (a field's annotation), all the way down.

    Knows what cached values are made of: None, str, int, float, bool, Path, list[X],
    tuple[X, ...], tuple[X, Y], dict[K, V], X | None, Literal[...], Annotated[X, ...],
    dataclasses (whose own fields were checked when they were rebuilt) and Any.
    """
    if depth > 64:
        return False
    if hint is Any:
        return True
    if hint is None or hint is type(None):
        return value is None
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        return _conforms(value, typing.get_args(hint)[0], depth + 1)
    if origin is typing.Union or origin is types.UnionType:
        return any(_conforms(value, arg, depth + 1) for arg in typing.get_args(hint))
    if origin is typing.Literal:
        return any(type(value) is type(arg) and value == arg for arg in typing.get_args(hint))
    if origin in (list, tuple, dict):
        if not isinstance(value, origin):
            return False
        args = typing.get_args(hint)
        if not args:
            return True
        if origin is list:
            return all(_conforms(item, args[0], depth + 1) for item in value)
        if origin is dict:
            return all(_conforms(k, args[0], depth + 1) and _conforms(v, args[1], depth + 1)
                       for k, v in value.items())
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_conforms(item, args[0], depth + 1) for item in value)
        return len(value) == len(args) and all(
            _conforms(item, arg, depth + 1) for item, arg in zip(value, args, strict=True)
        )
    if hint is float:
        return type(value) in (float, int)
    if hint is int:
        return type(value) is int
    if isinstance(hint, type):
        if issubclass(hint, PurePath):
            return isinstance(value, PurePath)
        return isinstance(value, hint)
    return False  # an annotation this checker does not know: never trust it


class _Decoder:
    """Rebuilds tagged JSON objects as the C parser meets them (``object_hook``), each
    dataclass only when every field is there with the type it declares."""

    def __init__(self, classes: dict[str, type]) -> None:
        self.classes = classes
        self.hints: dict[str, dict[str, Any]] = {}
        for name, cls in classes.items():
            try:
                hints = typing.get_type_hints(cls)
            except Exception:  # noqa: BLE001 - an annotation we cannot read: never a hit
                continue
            self.hints[name] = {
                f.name: hints.get(f.name, Any)
                for f in dataclasses.fields(cls)  # type: ignore[arg-type]
            }

    def __call__(self, value: dict[str, Any]) -> Any:
        name = value.pop(_OBJECT, None)
        if name is not None:
            cls = self.classes.get(name) if isinstance(name, str) else None
            fields = self.hints.get(name) if cls is not None else None
            if cls is None or fields is None or value.keys() != fields.keys():
                raise _Miss  # another class, or not exactly the fields of this one
            for field_name, hint in fields.items():
                if not _conforms(value[field_name], hint):
                    raise _Miss  # "min": "x" where Scale.min is an int
            instance: Any = object.__new__(cls)
            # Frozen dataclasses refuse setattr: fill the instance's dict directly, as
            # unpickling does, without calling any code of the class.
            instance.__dict__.update(value)
            return instance
        if len(value) != 1:
            raise _Miss
        ((tag, item),) = value.items()
        if tag == _DICT and isinstance(item, list):
            if not all(isinstance(pair, list) and len(pair) == 2
                       and not isinstance(pair[0], list | dict) for pair in item):
                raise _Miss
            return {key: entry for key, entry in item}
        if tag == _TUPLE and isinstance(item, list):
            return tuple(item)
        if tag == _PATH and isinstance(item, str):
            return Path(item)
        raise _Miss


def _dataclasses_of(expected: Any) -> dict[str, type]:
    """The dataclasses an entry of type ``expected`` may contain: those of its module."""
    if not isinstance(expected, type):
        return {}  # e.g. dict[str, dict[str, str]]: plain values only
    module = sys.modules.get(expected.__module__)
    found = {
        name: value
        for name, value in vars(module).items()
        if isinstance(value, type) and dataclasses.is_dataclass(value)
        and value.__module__ == expected.__module__
    } if module is not None else {}
    return found


def _owned_by_me_alone(status: os.stat_result) -> bool:
    """Owned by the user running hiring, and writable by nobody else."""
    if not hasattr(os, "geteuid"):  # pragma: no cover - Windows: ACLs, not modes
        return True
    return status.st_uid == os.geteuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _checksum(path: Path, body: bytes) -> str:
    return hashlib.sha256(path.name.encode() + b"\0" + body).hexdigest()


def load_cached(path: Path, expected: type[T] | Any) -> T | None:
    """The cached value at ``path`` if there is a valid one of the ``expected`` type (a
    class, or an annotation such as ``dict[str, dict[str, str]]``), else None."""
    try:
        status = os.lstat(path)
        if not stat.S_ISREG(status.st_mode) or not _owned_by_me_alone(status):
            return None
        if not _owned_by_me_alone(os.stat(path.parent)):
            return None
        with path.open("rb") as stream:
            data = stream.read()
        header, _, body = data.partition(b"\n")
        name, _, checksum = header.decode("ascii").partition(" ")
        if name != FORMAT or checksum != _checksum(path, body):
            return None
        value = json.loads(body, object_hook=_Decoder(_dataclasses_of(expected)))
    except Exception:  # noqa: BLE001 - a missing or broken entry is rebuilt, never fatal
        return None
    return value if _conforms(value, expected) else None


def private_folder(folder: Path) -> Path:
    """``folder`` made if needed, readable and writable by its owner only (``OSError`` if
    it cannot be); an existing folder of ours that others may write is closed to them."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = os.stat(folder)
    if hasattr(os, "geteuid") and status.st_uid == os.geteuid() and not _owned_by_me_alone(
        status
    ):
        os.chmod(folder, stat.S_IMODE(status.st_mode) & ~(stat.S_IWGRP | stat.S_IWOTH))
    return folder


def write_private(path: Path, payload: bytes) -> None:
    """Write a cache file atomically, readable by its owner only (``OSError`` on failure)."""
    import tempfile

    private_folder(path.parent)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                         dir=path.parent)  # mode 0600
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def store_cached(path: Path, value: object) -> None:
    """Keep ``value`` at ``path`` for next time; failing to is not an error."""
    try:
        body = json.dumps(_encode(value), ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
        header = f"{FORMAT} {_checksum(path, body)}\n".encode("ascii")
        write_private(path, header + body)
    except (OSError, TypeError, ValueError):
        pass
