"""Files written for a candidate (guides and their manifests), so erase can find them.

A guide and its manifest hold the candidate's name; the store keeps their paths (absolute),
sizes and SHA-256 until the candidate is erased, when they are listed, or deleted with
``--delete-files``: only a file that is still what hiring wrote (a regular file of the
recorded size and checksum, named as hiring names its files) is deleted.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from hiring.store.db import Store, now_iso

FILE_KINDS = ("guide", "manifest")
# What hiring names the files of each kind (``hiring.guides.build``): a recorded path of
# another shape was not written by hiring, whatever the row says.
KIND_SUFFIXES = {"guide": (".pdf", ".html", ".md"), "manifest": (".manifest.json",)}


@dataclass(frozen=True)
class WrittenFile:
    """A file written for a candidate: where it is (or will be, once moved in), its kind
    ("guide" or "manifest"), and its size and SHA-256 (None: not known)."""

    path: Path
    kind: str
    size: int | None = None
    sha256: str | None = None

    @classmethod
    def of_data(cls, path: Path, kind: str, data: bytes | str) -> WrittenFile:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        return cls(Path(path), kind, len(payload), hashlib.sha256(payload).hexdigest())

    @classmethod
    def on_disk(cls, path: Path, kind: str) -> WrittenFile:
        """Size and checksum read from the file (None when it cannot be read)."""
        try:
            return cls.of_data(path, kind, Path(path).read_bytes())
        except OSError:
            return cls(Path(path), kind)


def path_problem(path: str, kind: str) -> str | None:
    """Why ``path`` cannot be a file hiring wrote for a candidate (None: it can)."""
    if kind not in KIND_SUFFIXES:
        return f"kind '{kind}' is not one of {', '.join(FILE_KINDS)}"
    if "\x00" in path or not os.path.isabs(path) or os.path.normpath(path) != path:
        return "the path is not absolute and normalised (no '..', no '//')"
    if not path.lower().endswith(KIND_SUFFIXES[kind]) or path.endswith(os.sep):
        return f"a {kind} file ends in {' or '.join(KIND_SUFFIXES[kind])}"
    return None


def record_candidate_files(
    store: Store, candidate_id: int, files: list[WrittenFile] | list[tuple[Path, str]]
) -> None:
    """Remember the files written for a candidate (``WrittenFile``s, or ``(path, kind)``
    pairs of files already on disk, read for their size and checksum)."""
    from hiring.store.candidates import lock_active_candidates

    records = [item if isinstance(item, WrittenFile) else WrittenFile.on_disk(*item)
               for item in files]
    now = now_iso()
    with store.write():
        lock_active_candidates(store, [candidate_id])  # none recorded after an erase
        store.executemany(
            "INSERT INTO candidate_files (candidate_id, path, kind, created, size, sha256) "
            "VALUES (:cid, :path, :kind, :now, :size, :sha256) "
            "ON CONFLICT (candidate_id, path) DO UPDATE SET "
            "kind = :kind, created = :now, size = :size, sha256 = :sha256",
            [
                {"cid": candidate_id, "path": str(Path(item.path).resolve()),
                 "kind": item.kind, "now": now, "size": item.size, "sha256": item.sha256}
                for item in records
            ],
        )


def candidate_files(store: Store, candidate_id: int) -> list[tuple[Path, str]]:
    """The files recorded for a candidate, oldest first."""
    return [
        (Path(row[0]), row[1])
        for row in store.all(
            "SELECT path, kind FROM candidate_files WHERE candidate_id = :cid ORDER BY id",
            {"cid": candidate_id},
        )
    ]


def recorded_files(store: Store, candidate_id: int) -> list[WrittenFile]:
    """The files recorded for a candidate with their sizes and checksums, oldest first."""
    return [
        WrittenFile(Path(row[0]), str(row[1]), None if row[2] is None else int(row[2]), row[3])
        for row in store.all(
            "SELECT path, kind, size, sha256 FROM candidate_files WHERE candidate_id = :cid "
            "ORDER BY id",
            {"cid": candidate_id},
        )
    ]


def delete_written_file(item: WrittenFile) -> str | None:
    """Delete ``item`` if it is still the file hiring wrote; None when deleted (or already
    gone), else why it was left alone."""
    problem = path_problem(str(item.path), item.kind)
    if problem is not None:
        return f"not a file hiring writes ({problem})"
    if item.size is None or item.sha256 is None:
        return ("its size and checksum were not recorded (written by an older hiring, or by "
                "a batch that was stopped): check it and delete it by hand")
    try:
        status = os.lstat(item.path)
    except FileNotFoundError:
        return None
    except OSError as error:
        return error.strerror or str(error)
    if not stat.S_ISREG(status.st_mode):
        return "it is not a regular file (a link, folder or device) any more"
    try:
        with open(item.path, "rb") as stream:
            data = stream.read(item.size + 1)
        if len(data) != item.size or hashlib.sha256(data).hexdigest() != item.sha256:
            return "it changed since hiring wrote it (size or checksum differ): not deleted"
        os.unlink(item.path)
    except FileNotFoundError:
        return None
    except OSError as error:
        return error.strerror or str(error)
    return None


def guides_by_interview(store: Store) -> dict[tuple[int, str, str], Path]:
    """(candidate, interviewer, round) -> the guide built for it (recorded and still
    there), read from the manifests beside the recorded guides."""
    import json

    found: dict[tuple[int, str, str], Path] = {}
    for cid, path in store.all(
        "SELECT candidate_id, path FROM candidate_files WHERE kind = 'guide' ORDER BY id"
    ):
        guide = Path(path)
        manifest = guide.with_name(guide.name + ".manifest.json")
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and guide.is_file():
            found[(int(cid), str(data.get("interviewer")), str(data.get("round")))] = guide
    return found
