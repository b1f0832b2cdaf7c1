"""Atomic file output: a killed run never leaves a half-written file under the real name."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# mkstemp creates files readable by the owner only; outputs get the usual mode instead.
_FILE_MODE = 0o666 & ~_umask()


# Files and folders no output may land on: the open database (and its -wal/-shm), the bank
# and templates folders in use. Registered by whoever opens them (see ``protect``).
_PROTECTED_FILES: dict[Path, str] = {}
_PROTECTED_FOLDERS: dict[Path, str] = {}


def _resolved(path: Path) -> Path:
    try:
        return Path(path).expanduser().resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare as written
        return Path(os.path.abspath(Path(path).expanduser()))


def protect_file(path: Path, what: str) -> None:
    """Refuse any later output to ``path`` (e.g. ``what`` = 'the database in use')."""
    path = Path(path).expanduser()
    _PROTECTED_FILES[_resolved(path)] = what
    _PROTECTED_FILES[_resolved(path.parent) / path.name] = what  # the name, if a symlink


def protect_folder(path: Path, what: str) -> None:
    """Refuse any later output inside ``path`` (e.g. 'the question bank folder in use')."""
    _PROTECTED_FOLDERS[_resolved(path)] = what


def _bundled_folders() -> dict[Path, str]:
    from hiring.paths import bundled_bank_dir, bundled_templates_dir

    return {
        _resolved(bundled_bank_dir()): "the bundled question bank",
        _resolved(bundled_templates_dir()): "the bundled templates folder",
    }


def check_output(path: Path, option: str = "--out") -> Path:
    """Refuse an output path that would clobber something: call before producing output.

    Allowed: a new file, or an existing regular file that is none of the protected ones.
    Refused: a folder, a device (/dev/null), FIFO or socket; the database in use and its
    -wal/-shm; any file inside a bank or templates folder in use.
    """
    from hiring.errors import InputError

    path = Path(path).expanduser()
    try:
        # Not following a symlink: the rename replaces the link itself, never its target.
        status = os.lstat(path)
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None
    if status is not None and not stat.S_ISREG(status.st_mode) and not stat.S_ISLNK(
        status.st_mode
    ):
        kind = _KINDS.get(stat.S_IFMT(status.st_mode), "not a regular file")
        if stat.S_ISDIR(status.st_mode):
            raise InputError(f"cannot write {path}: it is a folder")
        raise InputError(
            f"cannot write {path}: it is {kind}; {option} must be a regular file or a new one"
        )
    target = _resolved(path.parent) / path.name
    for protected, what in _PROTECTED_FILES.items():
        if target == protected:
            raise InputError(f"cannot write {path}: it is {what}; choose another {option}")
    for folder, what in {**_bundled_folders(), **_PROTECTED_FOLDERS}.items():
        if target.is_relative_to(folder):
            raise InputError(
                f"cannot write {path}: it is inside {what} ({folder}); choose another {option}"
            )
    return path


_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
}


# Temporary files carry the id of the process that owns them (a batch's workers use their
# parent's), so files a killed run left behind can be told from those of a running one.
_OWNER_PID = os.getpid()
_STAGED_NAME = re.compile(r"^\..+\.hiring-(\d+)-[A-Za-z0-9_]+\.tmp$")


def set_owner(pid: int) -> None:
    """Name temporary files after process ``pid`` (a batch worker: its parent)."""
    global _OWNER_PID
    _OWNER_PID = pid


@dataclass(frozen=True)
class StagedFile:
    """Bytes written under a temporary name beside ``path``, not yet moved in."""

    temporary: Path
    path: Path
    size: int
    sha256: str


def stage_file(path: Path, data: bytes | str) -> StagedFile:
    """Write ``data`` (text is UTF-8) to a temporary file beside ``path`` (checked with
    :func:`check_output` first); :func:`publish` moves it in, :func:`discard` removes it.

    The temporary name is ``.<name>.hiring-<pid>-<random>.tmp``: hidden, and removed by
    :func:`remove_stale_staged` once its process has gone."""
    import hashlib

    from hiring.errors import InputError

    path = check_output(Path(path).expanduser())
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        existing = os.lstat(path)
        mode = _FILE_MODE if stat.S_ISLNK(existing.st_mode) else stat.S_IMODE(existing.st_mode)
    except OSError:
        mode = _FILE_MODE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.hiring-{_OWNER_PID}-", suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return StagedFile(Path(temporary), path, len(payload), hashlib.sha256(payload).hexdigest())


def publish(staged: list[StagedFile]) -> None:
    """Move staged files in (each rename atomic); on a failure the rest are removed."""
    from hiring.errors import InputError

    for index, item in enumerate(staged):
        try:
            os.replace(item.temporary, item.path)
        except OSError as error:
            discard(staged[index:])
            raise InputError(f"cannot write {item.path}: {error.strerror or error}") from None


def discard(staged: list[StagedFile]) -> None:
    """Remove staged files that will not be moved in."""
    for item in staged:
        try:
            item.temporary.unlink(missing_ok=True)
        except OSError:
            pass


def remove_stale_staged(folder: Path) -> int:
    """Remove temporary files a killed run left in ``folder`` (their process is gone);
    returns how many."""
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        found = _STAGED_NAME.match(name)
        if found is None or _alive(int(found[1])):
            continue
        try:
            os.unlink(Path(folder) / name)
            removed += 1
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write ``data`` (text is UTF-8) to ``path`` via a temporary file in the same folder.

    The rename is atomic on one file system, so readers see the old file or the complete new
    one, never a truncated one. A file that exists keeps its mode (a symlink is replaced by
    the file, its target left alone); :func:`check_output` refuses paths that must not be
    replaced.
    """
    staged = stage_file(path, data)
    publish([staged])
    return staged.path


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _quoted_formula(text: str) -> bool:
    """Quotes, then a formula start: ``=x``, ``'=x``, ``''=x`` ..."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def spreadsheet_safe(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula: ``=1+1`` -> ``'=1+1``.

    Text that already starts with quotes before a formula start (a note ``'=x``) gets one
    more, so :func:`from_spreadsheet_safe` gives back exactly what was stored:
    ``'=x`` -> ``''=x`` -> ``'=x``."""
    return "'" + text if _quoted_formula(text) else text


def from_spreadsheet_safe(text: str) -> str:
    """Undo :func:`spreadsheet_safe` on a cell read back from a CSV file we exported."""
    return text[1:] if text.startswith("'") and _quoted_formula(text[1:]) else text
