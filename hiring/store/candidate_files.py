"""Files written for a candidate (guides and their manifests), so erase can find them.

A guide and its manifest hold the candidate's name; the store keeps their paths (absolute)
until the candidate is erased, when they are listed, or deleted with ``--delete-files``.
"""

from __future__ import annotations

from pathlib import Path

from hiring.store.db import Store, now_iso


def record_candidate_files(store: Store, candidate_id: int, files: list[tuple[Path, str]]) -> None:
    """Remember ``(path, kind)`` pairs for a candidate (kind: "guide" or "manifest")."""
    from hiring.store.candidates import lock_active_candidates

    now = now_iso()
    with store.write():
        lock_active_candidates(store, [candidate_id])  # none recorded after an erase
        store.executemany(
            "INSERT INTO candidate_files (candidate_id, path, kind, created) "
            "VALUES (:cid, :path, :kind, :now) ON CONFLICT (candidate_id, path) DO NOTHING",
            [
                {"cid": candidate_id, "path": str(Path(path).resolve()), "kind": kind, "now": now}
                for path, kind in files
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
