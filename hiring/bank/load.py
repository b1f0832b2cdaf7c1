"""A bank from its folders: its files found, checked (``check_bank``) and loaded, cached."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from hiring.bank.models import Bank
from hiring.bank.yaml_reader import MAX_FILE_BYTES, Problem, read_yaml
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


# A team's own language: ``strings.<lang>.po`` at the top of a bank folder (see
# hiring.render.catalogs); ``<lang>`` as bank texts spell it (de, pt-BR).
TEAM_STRINGS_FILE = re.compile(r"^strings\.([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.po$")


def team_language_files(paths: Sequence[Path]) -> dict[str, Path]:
    """The languages the bank folders add, each with its ``strings.<lang>.po`` (the first
    folder that has one wins). Names only: nothing is read."""
    found: dict[str, Path] = {}
    for folder in paths:
        try:
            names = sorted(entry.name for entry in Path(folder).iterdir()) if Path(
                folder).is_dir() else []
        except OSError:
            continue
        for name in names:
            match = TEAM_STRINGS_FILE.match(name)
            if match and (Path(folder) / name).is_file():
                found.setdefault(match.group(1), Path(folder) / name)
    return found


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
    # Imported here: a bank loaded from the cache is neither parsed nor built.
    from hiring.bank.build import BankBuilder
    from hiring.bank.parse import declared_ids, parse_file

    folders = [Path(p) for p in paths] if paths else [bundled_bank_dir()]
    files, problems = bank_files(folders)
    builder = BankBuilder()
    builder.languages += [lang for lang in team_language_files(folders)
                          if lang not in builder.languages]
    raw_files: list[tuple[Path, bytes]] = []
    for path in files:
        read, read_problems = read_yaml(path)
        problems.extend(read_problems)
        if read is None:
            builder.broken_ids.add(path.stem)
            builder.scales_file_broken |= path.stem == "scales"
            continue
        raw_files.append((path, read.raw))
        parsed, parse_problems = parse_file(read)
        problems.extend(parse_problems)
        if parsed is not None:
            builder.add(read, parsed)
        else:
            builder.broken_ids.update(declared_ids(read.data) or {path.stem})
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
    # The languages the folders add decide which language keys are valid.
    parts += [f"strings.{lang}.po".encode() for lang in team_language_files(folders)]
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
