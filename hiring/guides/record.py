"""Record in the store the interview a guide was built for.

A guide built for a named candidate and interviewer is the first sign of an interview:
recording it lets ``hiring score pending`` chase the scorecard, and ties later ratings to
exactly the questions asked (the manifest's question ids and bank version).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.bank.models import Bank
from hiring.errors import NotFoundError

if TYPE_CHECKING:
    from hiring.store import Candidate, Store
    from hiring.store.candidate_files import WrittenFile


def stored_candidate(store: Store, reference: str) -> Candidate | None:
    """The candidate a guide's ``--candidate`` names (id or exact name), or None when the
    store has no such candidate (the text is then printed as a name).

    An ambiguous name and an erased candidate are refused (``InputError``).
    """
    from hiring.store.candidates import find_active_candidate

    try:
        return find_active_candidate(store, reference)
    except NotFoundError:
        return None


def check_guide_interview(
    store: Store, bank: Bank, candidate: str, interviewer: str, role: str
) -> None:
    """Refuse, before any guide is written, what :func:`record_guide_interview` would refuse:
    an ambiguous or erased candidate, an invalid interviewer's name or role."""
    from hiring.store.candidates import find_active_candidate
    from hiring.user_text import check_name

    check_name(interviewer, "the interviewer's name")
    check_name(candidate, "the candidate's name")
    bank.role(role)
    try:
        find_active_candidate(store, candidate)  # two of that name: 'use the id'
    except NotFoundError:
        pass  # added when the interview is recorded


def record_guide_interview(
    store: Store,
    bank: Bank,
    manifest: dict[str, Any] | Path,
    files: list[WrittenFile] | list[tuple[Path, str]] | None = None,
) -> int | None:
    """Record the interview of a guide manifest; add the candidate if the store lacks them.

    ``files`` (``WrittenFile``s, or (path, "guide" | "manifest") pairs of files on disk:
    the guide and its manifest hold the name) are recorded for the candidate, so erasing
    them lists or deletes the files.
    Returns the interview id, or None when the guide names no candidate or no interviewer.
    """
    from hiring.store import add_candidate, find_candidate, read_manifest, record_interview

    data = read_manifest(manifest) if isinstance(manifest, Path) else manifest
    candidate, interviewer = data.get("candidate"), data.get("interviewer")
    if not candidate or not interviewer:
        return None
    candidate_id = data.get("candidate_id")  # the guide was built for a stored candidate
    if not isinstance(candidate_id, int):
        try:
            candidate_id = find_candidate(store, candidate).id
        except NotFoundError:
            candidate_id = add_candidate(
                store, candidate, role=data.get("role"), known_roles=set(bank.roles)
            ).id
    interview = record_interview(store, bank, candidate_id, interviewer, manifest=data)
    if files:
        from hiring.store.candidate_files import record_candidate_files

        record_candidate_files(store, candidate_id, files)
    return interview
