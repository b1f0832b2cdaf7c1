"""Score import (all or nothing, every bad row reported) and export (CSV round-trips)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.errors import HiringError, InputError
from hiring.files import from_spreadsheet_safe, spreadsheet_safe
from hiring.store.candidates import RowsError, check_name
from hiring.store.db import Store, now_iso, placeholders
from hiring.store.scores import (
    check_competency_in_role,
    check_note,
    check_question,
    check_score,
    choose_round,
)

if TYPE_CHECKING:
    from hiring.bank.models import Bank

SCORE_COLUMNS = ("candidate", "interviewer", "competency", "score", "note", "round", "question")
REQUIRED_COLUMNS = SCORE_COLUMNS[:4]
MAX_REPORTED_PROBLEMS = 200


def _read_rows(csv_path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    try:
        handle = csv_path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise InputError(f"cannot read {csv_path}: {error.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise InputError(
                f"{csv_path}: the header lacks {', '.join(missing)} "
                f"(columns: {','.join(SCORE_COLUMNS)}; the last three optional)"
            )
        try:
            end_of_previous = reader.line_num
            for record in reader:
                # A quoted field may span lines: report the line the record starts on.
                yield end_of_previous + 1, {
                    key: from_spreadsheet_safe(value) if isinstance(value, str) else value
                    for key, value in record.items()
                }
                end_of_previous = reader.line_num
        except UnicodeDecodeError:
            raise InputError(f"{csv_path} is not UTF-8 text") from None
        except csv.Error as error:
            raise InputError(f"{csv_path}: line {reader.line_num}: {error}") from None


def import_scores(
    store: Store,
    bank: Bank,
    csv_path: Path,
    create_candidates: bool = False,
    rows: Iterable[tuple[int, dict[str, str]]] | None = None,
) -> dict[str, int]:
    """Import ``candidate,interviewer,competency,score[,note,round,question]`` rows.

    ``rows`` (numbered records with the CSV's columns, e.g. read from a filled PDF
    scorecard) are checked and written by the same rules instead of reading ``csv_path``,
    which then only names the source in messages.

    All or nothing: every row is validated first; if any is bad, nothing is written and a
    ``RowsError`` lists each bad row as 'line N: reason'. Existing ratings for the same
    (candidate, interviewer, round, competency) are updated, and audited.
    Returns counts: created, updated, unchanged, candidates_created.
    """
    with store.write():
        candidates = store.all("SELECT id, name, role, status FROM candidates")
        # The rounds each interviewer already has with each candidate: a row without a round
        # goes where 'score set' would put it (see choose_round).
        interview_rounds: dict[tuple[int, str], list[str]] = {}
        for cid, who, round_name in store.all(
            "SELECT candidate_id, interviewer, round FROM interviews"
        ):
            interview_rounds.setdefault((cid, who), []).append(round_name)
        by_id = {str(row[0]): row for row in candidates}
        by_name: dict[str, list[tuple[Any, ...]]] = {}
        for row in candidates:
            by_name.setdefault(row[1], []).append(row)
        problems: list[str] = []
        valid: list[dict[str, Any]] = []
        new_names: dict[str, None] = {}
        seen: dict[tuple[str, str, str, str], int] = {}
        # Caches: a 100,000-row file names few distinct competencies and scores.
        score_cache: dict[tuple[str, str], int] = {}
        for line, record in _read_rows(csv_path) if rows is None else rows:
            try:
                reference = (record.get("candidate") or "").strip()
                if not reference:
                    raise InputError("the candidate is empty")
                candidate = by_id.get(reference) if reference.isdecimal() else None
                if candidate is None:
                    matches = by_name.get(reference, [])
                    if len(matches) > 1:
                        ids = ", ".join(str(m[0]) for m in matches)
                        raise InputError(
                            f"{len(matches)} candidates are called '{reference}' "
                            f"(ids {ids}): use the id"
                        )
                    if matches:
                        candidate = matches[0]
                    elif create_candidates:
                        check_name(reference, "the candidate's name")
                        new_names[reference] = None
                    else:
                        raise InputError(
                            f"no candidate '{reference}' (--create-candidates adds unknown names)"
                        )
                if candidate is not None and candidate[3] == "erased":
                    raise InputError(f"candidate {candidate[0]} was erased")
                interviewer = check_name(record.get("interviewer") or "", "the interviewer")
                competency = (record.get("competency") or "").strip()
                raw_score = (record.get("score") or "").strip()
                key = (competency, raw_score)
                if key not in score_cache:
                    score_cache[key] = check_score(bank, competency, raw_score)
                score = score_cache[key]
                role = candidate[2] if candidate is not None else None
                check_competency_in_role(bank, role, competency)  # as 'score set' does
                round_id = (record.get("round") or "").strip()
                if not round_id:
                    known = (
                        interview_rounds.get((candidate[0], interviewer), []) if candidate else []
                    )
                    round_id = choose_round(bank, role, interviewer, known)
                elif role and role in bank.roles:
                    bank.role(role).round(round_id)
                else:
                    check_name(round_id, "the round")
                question = check_question(bank, competency, (record.get("question") or "").strip())
                note = check_note(record.get("note"))
                identity = (
                    reference if candidate is None else str(candidate[0]),
                    interviewer,
                    round_id,
                    competency,
                )
                if identity in seen:
                    raise InputError(
                        f"same candidate, interviewer, round and competency as "
                        f"line {seen[identity]}"
                    )
                seen[identity] = line
            except HiringError as error:
                problems.append(f"line {line}: {error}")
                continue
            valid.append(
                {
                    "ref": identity[0],
                    "new": candidate is None,
                    "who": interviewer,
                    "round": round_id,
                    "role": role,
                    "comp": competency,
                    "score": score,
                    "question": question,
                    "note": note,
                }
            )
        if problems:
            shown = problems[:MAX_REPORTED_PROBLEMS]
            if len(problems) > len(shown):
                shown.append(f"... and {len(problems) - len(shown)} more")
            raise RowsError(
                f"{len(problems)} invalid row(s) in {csv_path}; nothing was imported", shown,
                csv_path,
            )
        return _write_rows(store, valid, list(new_names))


def _write_rows(store: Store, rows: list[dict[str, Any]], new_names: list[str]) -> dict[str, int]:
    now = now_iso()
    new_ids: dict[str, int] = {}
    for name in new_names:
        new_ids[name] = store.insert_id(
            "INSERT INTO candidates (name, status, created) VALUES (:name, 'active', :now) "
            "RETURNING id",
            {"name": name, "now": now},
        )
    for row in rows:
        row["cid"] = new_ids[row["ref"]] if row["new"] else int(row["ref"])
    store.executemany(
        "INSERT INTO interviews (candidate_id, interviewer, role, round, date, created) "
        "VALUES (:cid, :who, :role, :round, :now, :now) "
        "ON CONFLICT (candidate_id, round, interviewer) DO NOTHING",
        [
            {"cid": cid, "who": who, "role": role, "round": rnd, "now": now}
            for cid, who, rnd, role in {(r["cid"], r["who"], r["round"], r["role"]) for r in rows}
        ],
    )
    interviews: dict[tuple[int, str, str], int] = {}
    existing: dict[tuple[int, str], tuple[int, int, str | None, str | None]] = {}
    candidate_ids = sorted({row["cid"] for row in rows})
    for start in range(0, len(candidate_ids), 500):
        chunk = candidate_ids[start : start + 500]
        marks, params = placeholders("c", chunk)
        for iid, cid, who, rnd in store.all(
            f"SELECT id, candidate_id, interviewer, round FROM interviews "
            f"WHERE candidate_id IN ({marks})" + store.for_update,
            params,
        ):
            interviews[(int(cid), who, rnd)] = int(iid)
        for rid, iid, comp, score, note, question in store.all(
            "SELECT r.id, r.interview_id, r.competency, r.score, r.note, r.question FROM ratings r "
            f"JOIN interviews i ON i.id = r.interview_id WHERE i.candidate_id IN ({marks})",
            params,
        ):
            existing[(int(iid), comp)] = (int(rid), int(score), note, question)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    unchanged = 0
    for row in rows:
        iid = interviews[(row["cid"], row["who"], row["round"])]
        values = {
            "iid": iid,
            "comp": row["comp"],
            "question": row["question"],
            "score": row["score"],
            "note": row["note"],
            "now": now,
        }
        old = existing.get((iid, row["comp"]))
        if old is None:
            inserts.append(values)
            action, old_value = "rating.create", None
        elif old[1:] == (row["score"], row["note"], row["question"]):
            unchanged += 1
            continue
        else:
            updates.append({**values, "id": old[0]})
            action, old_value = "rating.update", str(old[1])
        audits.append(
            {
                "at": now,
                "actor": row["who"],
                "action": action,
                "cid": row["cid"],
                "iid": iid,
                "round": row["round"],
                "comp": row["comp"],
                "old": old_value,
                "new": str(row["score"]),
            }
        )
    store.executemany(
        "INSERT INTO ratings (interview_id, competency, question, score, note, created, updated) "
        "VALUES (:iid, :comp, :question, :score, :note, :now, :now)",
        inserts,
    )
    store.executemany(
        "UPDATE ratings SET score = :score, note = :note, question = :question, updated = :now "
        "WHERE id = :id",
        updates,
    )
    store.executemany(
        "INSERT INTO audit (at, actor, action, candidate_id, interview_id, round, competency, "
        "old_value, new_value) "
        "VALUES (:at, :actor, :action, :cid, :iid, :round, :comp, :old, :new)",
        audits,
    )
    return {
        "created": len(inserts),
        "updated": len(updates),
        "unchanged": unchanged,
        "candidates_created": len(new_names),
    }


def score_rows(store: Store) -> list[dict[str, Any]]:
    """Every rating as a dict (export order: candidate id, round, interviewer, competency)."""
    rows = store.all(
        "SELECT c.id, c.name, i.interviewer, r.competency, r.score, r.note, i.round, r.question, "
        "r.created, r.updated FROM ratings r JOIN interviews i ON i.id = r.interview_id "
        "JOIN candidates c ON c.id = i.candidate_id "
        "ORDER BY c.id, i.round, i.interviewer, r.competency"
    )
    keys = (
        "candidate_id",
        "candidate",
        "interviewer",
        "competency",
        "score",
        "note",
        "round",
        "question",
        "created",
        "updated",
    )
    return [dict(zip(keys, row, strict=True)) for row in rows]


def export_scores(store: Store, output_format: str = "csv") -> str:
    """All ratings as CSV (the import columns: round-trips through ``import_scores``) or
    JSON (ratings with ids and timestamps, plus recommendations and consensus)."""
    if output_format not in ("csv", "json"):
        raise InputError(f"format '{output_format}' is not csv or json")
    with store.read():
        rows = score_rows(store)
        names = [row["candidate"] for row in rows]
        duplicated = {name for name in set(names) if names.count(name) > 1}
        if duplicated:
            # Ambiguous names would not import back: export those candidates by id.
            ambiguous = {
                row[0]
                for row in store.all(
                    "SELECT name FROM candidates GROUP BY name HAVING COUNT(*) > 1"
                )
            }
        else:
            ambiguous = set()
        if output_format == "json":
            recommendations = store.all(
                "SELECT c.id, c.name, i.interviewer, i.round, d.decision, d.updated "
                "FROM recommendations d JOIN interviews i ON i.id = d.interview_id "
                "JOIN candidates c ON c.id = i.candidate_id ORDER BY c.id, i.round, i.interviewer"
            )
            consensus = store.all(
                "SELECT c.id, c.name, k.round, k.competency, k.score, k.note, k.decided_by, "
                "k.updated FROM consensus k JOIN candidates c ON c.id = k.candidate_id "
                "ORDER BY c.id, k.round, k.competency"
            )
    if output_format == "json":
        return json.dumps(
            {
                "ratings": rows,
                "recommendations": [
                    dict(
                        zip(
                            (
                                "candidate_id",
                                "candidate",
                                "interviewer",
                                "round",
                                "decision",
                                "updated",
                            ),
                            r,
                            strict=True,
                        )
                    )
                    for r in recommendations
                ],
                "consensus": [
                    dict(
                        zip(
                            (
                                "candidate_id",
                                "candidate",
                                "round",
                                "competency",
                                "score",
                                "note",
                                "decided_by",
                                "updated",
                            ),
                            r,
                            strict=True,
                        )
                    )
                    for r in consensus
                ],
            },
            ensure_ascii=False,
            indent=2,
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SCORE_COLUMNS)
    for row in rows:
        candidate = str(row["candidate_id"]) if row["candidate"] in ambiguous else row["candidate"]
        writer.writerow(
            [
                spreadsheet_safe(candidate),
                spreadsheet_safe(row["interviewer"]),
                row["competency"],
                row["score"],
                spreadsheet_safe(row["note"] or ""),
                spreadsheet_safe(row["round"]),  # free text for a candidate without a role
                row["question"] or "",
            ]
        )
    return buffer.getvalue()


def write_atomically(path: Path, text: str) -> None:
    """Write a file whole or not at all (see ``hiring.files.write_atomic``)."""
    from hiring.files import write_atomic

    write_atomic(path, text)
