"""Score import: all or nothing, every bad row reported (export: ``hiring.store.export``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.errors import HiringError, InputError
from hiring.files import from_spreadsheet_safe
from hiring.spreadsheets import TableOptions, read_table
from hiring.store.audit import audit_params, insert_audit_rows, record_audit, with_identity
from hiring.store.bulk import insert_rows, update_rows
from hiring.store.candidates import RowsError, lock_active_candidates
from hiring.store.db import Store, now_iso, placeholders
from hiring.store.interviews import choose_round
from hiring.store.ratings import (
    RatingText,
    check_competency_in_round,
    check_note,
    check_question,
    check_score,
    mark_change_after_submission,
    rating_changes,
)
from hiring.store.scorecards import check_decision, expected_competencies, scorecard_gaps
from hiring.store.team import RosterCheck, require, require_scorecard_writer
from hiring.user_text import check_name

if TYPE_CHECKING:
    from hiring.bank.models import Bank

SCORE_COLUMNS = (
    "candidate", "interviewer", "competency", "score", "note", "round", "question", "role",
    "recommendation",
)
# One value per scorecard: export repeats it on each of the scorecard's rows; import
# accepts it repeated or left empty on the other rows.
RECOMMENDATION_COLUMN = "recommendation"
REQUIRED_COLUMNS = SCORE_COLUMNS[:4]
# A note or question cell holding exactly this clears the stored value; an empty cell keeps
# it (a spreadsheet's blank is "nothing new", not "erase the evidence"), unless the import
# is asked to clear empty cells (``clear_empty``, ``--clear-empty``).
CLEAR_MARKER = "[clear]"
MAX_REPORTED_PROBLEMS = 200


def _read_rows(
    csv_path: Path, reading: TableOptions | None = None
) -> Iterable[tuple[int, dict[str, str]]]:
    table = read_table(csv_path, reading)  # CSV in any usual dialect, or .xlsx
    missing = [name for name in REQUIRED_COLUMNS if name not in table.columns]
    if missing:
        raise InputError(
            f"{csv_path}: the header lacks {', '.join(missing)} "
            f"(columns: {','.join(SCORE_COLUMNS)}; the last three optional)"
        )
    for row in table.rows:
        yield row.line, {key: from_spreadsheet_safe(value) for key, value in row.cells.items()}


def import_scores(
    store: Store,
    bank: Bank,
    csv_path: Path,
    create_candidates: bool = False,
    *,
    reading: TableOptions | None = None,
    submit: bool = False,
    role: str | None = None,
    rows: Iterable[tuple[int, dict[str, str]]] | None = None,
    progress: Callable[[str], None] | None = None,
    clear_empty: bool = False,
) -> dict[str, int]:
    """Import ``candidate,interviewer,competency,score[,note,round,question,recommendation]``
    rows. ``progress`` (for a long file) is told each step: checking, writing.

    ``rows`` (numbered records with the CSV's columns, e.g. read from a filled PDF
    scorecard) are checked and written by the same rules instead of reading ``csv_path``,
    which then only names the source in messages.

    All or nothing: every row is validated first; if any is bad, nothing is written and a
    ``RowsError`` lists each bad row as 'line N: reason'. Existing ratings for the same
    (candidate, interviewer, round, competency) are updated, and audited.

    A row's role: its ``role`` cell, else ``role`` (``--role``), else the bank's only role.
    A new candidate (``create_candidates``) without one is refused; a stored candidate
    without a role takes the row's (audited); a different role than stored is refused.
    ``submit``
    submits every scorecard the file touches, refusing the file if one would be incomplete.
    Evidence is kept: a row without a note (no column, or an empty cell) keeps the stored
    note, and likewise the question; a cell holding ``[clear]`` (``CLEAR_MARKER``) clears
    it, and so does an empty cell when ``clear_empty``.
    Returns counts: created, updated, unchanged, candidates_created, roles_given,
    recommendations, submitted, notes_kept (updates whose empty note cell kept the stored
    note), notes_cleared.
    """
    if role is not None:
        bank.role(role)  # NotFoundError listing the roles
    only_role = next(iter(bank.roles)) if len(bank.roles) == 1 else None
    step = progress or (lambda text: None)
    with store.write():
        if create_candidates:
            require(store, "candidate.write")
        roster = RosterCheck.of(store)
        unknown: dict[str, list[int]] = {}  # interviewer not on the roster -> lines
        step(f"checking the rows of {csv_path.name}")
        candidates = store.all("SELECT id, name, role, status FROM candidates")
        # The rounds each interviewer already has with each candidate: a row without a round
        # goes where 'score set' would put it (see choose_round).
        interview_rounds: dict[tuple[int, str], list[str]] = {}
        cancelled: set[tuple[int, str, str]] = set()
        for cid, who, round_name, when in store.all(
            "SELECT candidate_id, interviewer, round, cancelled FROM interviews"
        ):
            if when is None:
                interview_rounds.setdefault((cid, who), []).append(round_name)
            else:
                cancelled.add((int(cid), who, round_name))
        by_id = {str(row[0]): row for row in candidates}
        by_name: dict[str, list[tuple[Any, ...]]] = {}
        for row in candidates:
            by_name.setdefault(row[1], []).append(row)
        problems: list[str] = []
        valid: list[dict[str, Any]] = []
        new_names: dict[str, str] = {}  # name -> role
        placements: dict[int, str] = {}  # stored candidate without a role -> the rows' role
        seen: dict[tuple[str, str, str, str], int] = {}
        decisions: dict[tuple[str, str, str], tuple[str, int]] = {}  # scorecard -> (it, line)
        # Caches: a 100,000-row file names few distinct competencies and scores.
        score_cache: dict[tuple[str, str], int] = {}
        names_checked: dict[str, str] = {}  # raw name -> checked (interviewers, new names)
        places_checked: set[tuple[str | None, str, str]] = set()  # (role, round, competency)
        for line, record in _read_rows(csv_path, reading) if rows is None else rows:
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
                        if reference not in names_checked:
                            names_checked[reference] = check_name(reference, "the candidate's name")
                    else:
                        raise InputError(
                            f"no candidate '{reference}' (--create-candidates adds unknown names)"
                        )
                if candidate is not None and candidate[3] == "erased":
                    raise InputError(f"candidate {candidate[0]} was erased")
                raw_interviewer = record.get("interviewer") or ""
                if raw_interviewer not in names_checked:
                    names_checked[raw_interviewer] = roster.spelling(
                        check_name(raw_interviewer, "the interviewer"))
                interviewer = names_checked[raw_interviewer]
                if not roster.known(interviewer):
                    unknown.setdefault(interviewer, []).append(line)
                    continue
                competency = (record.get("competency") or "").strip()
                raw_score = (record.get("score") or "").strip()
                key = (competency, raw_score)
                if key not in score_cache:
                    score_cache[key] = check_score(bank, competency, raw_score)
                score = score_cache[key]
                row_role = (record.get("role") or "").strip() or role
                if row_role and row_role not in bank.roles:
                    bank.role(row_role)  # NotFoundError listing the roles
                if candidate is None:  # a new candidate: placed in a role, or refused
                    row_role = row_role or only_role
                    if not row_role:
                        raise InputError(
                            f"cannot place the new candidate '{reference}' in a role: add a "
                            f"role column or --role (roles: {', '.join(sorted(bank.roles))})"
                        )
                    if new_names.setdefault(reference, row_role) != row_role:
                        raise InputError(
                            f"role '{row_role}' differs from '{new_names[reference]}' given "
                            f"for '{reference}' on an earlier line"
                        )
                elif candidate[2] is None and row_role:
                    if placements.setdefault(int(candidate[0]), row_role) != row_role:
                        raise InputError(
                            f"role '{row_role}' differs from '{placements[int(candidate[0])]}' "
                            f"given for candidate {candidate[0]} on an earlier line"
                        )
                elif candidate[2] is not None and row_role and row_role != candidate[2]:
                    raise InputError(
                        f"candidate {candidate[0]} has role '{candidate[2]}', not '{row_role}' "
                        "(change it with 'hiring candidate edit')"
                    )
                if candidate is not None:
                    row_role = candidate[2] or placements.get(int(candidate[0]))
                round_id = (record.get("round") or "").strip()
                if not round_id:
                    known = (
                        interview_rounds.get((candidate[0], interviewer), []) if candidate else []
                    )
                    round_id = choose_round(bank, row_role, interviewer, known, reference)
                place = (row_role, round_id, competency)
                if place not in places_checked:
                    if row_role and row_role in bank.roles:
                        bank.role(row_role).round(round_id)
                    else:
                        check_name(round_id, "the round")
                    check_competency_in_round(bank, row_role, round_id, competency)  # as 'set'
                    places_checked.add(place)
                card = (int(candidate[0]), interviewer, round_id) if candidate else None
                if card is not None and card in cancelled:
                    raise InputError(
                        f"{interviewer}'s interview with candidate {card[0]} in round "
                        f"{round_id} was cancelled: 'hiring interview add' re-opens it"
                    )
                # No column or an empty cell: keep what is stored; the marker (or an empty
                # cell with clear_empty) clears it.
                keep_question, raw_question = _kept_or_given(record.get("question"), clear_empty)
                question = check_question(bank, competency, raw_question)
                keep_note, raw_note = _kept_or_given(record.get("note"), clear_empty)
                note = check_note(raw_note)
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
                raw_decision = (record.get(RECOMMENDATION_COLUMN) or "").strip()
                if raw_decision:
                    decision = check_decision(raw_decision)
                    earlier = decisions.setdefault(identity[:3], (decision, line))
                    if earlier[0] != decision:
                        raise InputError(
                            f"recommendation '{decision}' differs from '{earlier[0]}' on line "
                            f"{earlier[1]} for the same scorecard"
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
                    "role": row_role,
                    "comp": competency,
                    "score": score,
                    "question": question,
                    "note": note,
                    "keep_question": keep_question,
                    "keep_note": keep_note,
                }
            )
        if unknown:
            problems.insert(0, roster.refusal(unknown))
        if submit and not problems:
            problems = _unsubmittable(store, bank, valid, decisions, seen)
        if problems:
            shown = problems[:MAX_REPORTED_PROBLEMS]
            if len(problems) > len(shown):
                shown.append(f"... and {len(problems) - len(shown)} more")
            raise RowsError(
                f"{len(problems)} invalid row(s) in {csv_path}; nothing was imported", shown,
                csv_path,
            )
        for name in sorted({row["who"] for row in valid}):
            require_scorecard_writer(store, name)
        step(f"writing {len(valid)} rating(s)")
        return _write_rows(
            store,
            valid,
            new_names,
            placements,
            {card: decision for card, (decision, _) in decisions.items()},
            submit,
        )


def _kept_or_given(cell: str | None, clear_empty: bool) -> tuple[bool, str]:
    """(keep the stored value, the new one) for a note or question cell."""
    text = (cell or "").strip()
    if text == CLEAR_MARKER:
        return False, ""
    if not text:
        return cell is None or not clear_empty, ""
    return False, text


def _unsubmittable(
    store: Store,
    bank: Bank,
    rows: list[dict[str, Any]],
    decisions: dict[tuple[str, str, str], tuple[str, int]],
    lines: dict[tuple[str, str, str, str], int],
) -> list[str]:
    """For ``--submit``: every scorecard of the file that would still lack something after
    the import (stored ratings and recommendation count), as 'line N: ...'."""
    stored: dict[tuple[str, str, str], dict[str, Any]] = {}
    for cid, who, rnd, role, comps, decision in store.all(
        "SELECT i.candidate_id, i.interviewer, i.round, i.role, i.competencies, "
        "(SELECT d.decision FROM recommendations d WHERE d.interview_id = i.id) FROM interviews i"
    ):
        stored[(str(cid), who, rnd)] = {
            "role": role, "comps": comps, "decision": decision, "rated": set()
        }
    for cid, who, rnd, comp in store.all(
        "SELECT i.candidate_id, i.interviewer, i.round, r.competency FROM ratings r "
        "JOIN interviews i ON i.id = r.interview_id"
    ):
        stored[(str(cid), who, rnd)]["rated"].add(comp)
    cards: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in rows:
        card = (row["ref"], row["who"], row["round"])
        known = stored.get(card, {"role": None, "comps": None, "decision": None, "rated": set()})
        entry = cards.setdefault(card, {
            "role": known["role"] or row["role"],
            "comps": known["comps"],
            "decision": known["decision"],
            "rated": set(known["rated"]),
            "line": lines[(*card, row["comp"])],
        })
        entry["rated"].add(row["comp"])
    problems = []
    for card, entry in cards.items():
        decided = card in decisions or entry["decision"] is not None
        gaps = scorecard_gaps(
            expected_competencies(bank, entry["role"], card[2], entry["comps"]),
            entry["rated"],
            decided,
        )
        if gaps:
            problems.append(
                f"line {entry['line']}: cannot submit the scorecard of {card[1]} for "
                f"{card[0]}, round {card[2]}: missing {', '.join(gaps)}"
            )
    return problems


def _create_candidates(store: Store, names: dict[str, str], now: str) -> dict[str, int]:
    """The new candidates (name -> role), ids given in the file's order: one statement on
    PostgreSQL."""
    if not names:
        return {}
    if store.dialect == "postgresql":
        rows = store.all(
            "INSERT INTO candidates (name, role, status, created) "
            "SELECT u.name, u.role, 'active', :now FROM unnest(CAST(:names AS text[]), "
            "CAST(:roles AS text[])) WITH ORDINALITY AS u(name, role, n) ORDER BY u.n "
            "RETURNING id, name",
            {"names": list(names), "roles": list(names.values()), "now": now},
        )
        return {str(name): int(cid) for cid, name in rows}
    return {
        name: store.insert_id(
            "INSERT INTO candidates (name, role, status, created) "
            "VALUES (:name, :role, 'active', :now) RETURNING id",
            {"name": name, "role": role, "now": now},
        )
        for name, role in names.items()
    }


def _write_rows(
    store: Store,
    rows: list[dict[str, Any]],
    new_names: dict[str, str],
    placements: dict[int, str],
    decisions: dict[tuple[str, str, str], str],
    submit: bool,
) -> dict[str, int]:
    # Lock the existing candidates and re-read their status: a candidate erased since the
    # rows were checked refuses the import (nothing is written about them after an erase).
    lock_active_candidates(store, [int(row["ref"]) for row in rows if not row["new"]])
    now = now_iso()
    new_ids = _create_candidates(store, new_names, now)
    for cid, role in placements.items():  # stored candidates without a role take the rows'
        store.execute("UPDATE candidates SET role = :role WHERE id = :id AND role IS NULL",
                      {"role": role, "id": cid})
        store.execute(
            "UPDATE interviews SET role = :role WHERE candidate_id = :id AND role IS NULL",
            {"role": role, "id": cid},
        )
        record_audit(store, "candidate.role", "hiring score import", cid, new=role, at=now)
    for row in rows:
        row["cid"] = new_ids[row["ref"]] if row["new"] else int(row["ref"])
    # COPY and one set-based statement on PostgreSQL (hiring.store.bulk): same checks,
    # policies and audit trigger as single INSERTs, in this transaction.
    insert_rows(
        store, "interviews", ("candidate_id", "interviewer", "role", "round", "date", "created"),
        [(cid, who, role, rnd, now, now)
         for cid, who, rnd, role in dict.fromkeys(
             (r["cid"], r["who"], r["round"], r["role"]) for r in rows)],
        on_conflict="ON CONFLICT (candidate_id, round, interviewer) DO NOTHING",
    )
    interviews: dict[tuple[int, str, str], int] = {}
    submitted: set[int] = set()
    stored_decisions: dict[int, str] = {}
    existing: dict[tuple[int, str], tuple[int, int, str | None, str | None]] = {}
    candidate_ids = sorted({row["cid"] for row in rows})
    for start in range(0, len(candidate_ids), 500):
        chunk = candidate_ids[start : start + 500]
        marks, params = placeholders("c", chunk)
        for iid, cid, who, rnd, when in store.all(
            f"SELECT id, candidate_id, interviewer, round, submitted FROM interviews "
            f"WHERE candidate_id IN ({marks})" + store.for_update,
            params,
        ):
            interviews[(int(cid), who, rnd)] = int(iid)
            if when is not None:
                submitted.add(int(iid))
        if decisions:
            for iid, decision in store.all(
                "SELECT d.interview_id, d.decision FROM recommendations d JOIN interviews i "
                f"ON i.id = d.interview_id WHERE i.candidate_id IN ({marks})",
                params,
            ):
                stored_decisions[int(iid)] = decision
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
    notes_kept = notes_cleared = 0
    late: list[tuple[int, str, int, str, str]] = []  # changes to submitted scorecards
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
            changes = rating_changes(None, (row["score"], row["note"], row["question"]))
        else:
            question, note = RatingText(
                row["question"], row["note"], row["keep_question"], row["keep_note"]
            ).resolve(old[3], old[2])
            values.update(question=question, note=note)
            if old[2] is not None and row["keep_note"]:
                notes_kept += 1
            elif old[2] is not None and note is None:
                notes_cleared += 1
            changes = rating_changes(old[1:], (row["score"], note, question))
            if not changes:
                unchanged += 1
                continue
            updates.append({**values, "id": old[0]})
        if iid in submitted:
            late.append((row["cid"], row["who"], iid, row["round"], row["comp"]))
        audits.extend(
            {
                "at": now,
                "actor": row["who"],
                "action": action,
                "cid": row["cid"],
                "iid": iid,
                "round": row["round"],
                "comp": row["comp"],
                "old": old_value,
                "new": new_value,
            }
            for action, old_value, new_value in changes
        )
    insert_rows(
        store, "ratings",
        ("interview_id", "competency", "question", "score", "note", "created", "updated"),
        [(v["iid"], v["comp"], v["question"], v["score"], v["note"], v["now"], v["now"])
         for v in inserts],
    )
    update_rows(
        store, "ratings", "id", ("score", "note", "question", "updated"),
        [(v["id"], v["score"], v["note"], v["question"], v["now"]) for v in updates],
    )
    insert_audit_rows(store, with_identity(store, audits))
    recommended = 0
    cid_of = {row["ref"]: row["cid"] for row in rows}
    for (ref, who, rnd), decision in decisions.items():
        cid = cid_of[ref]
        iid = interviews[(cid, who, rnd)]
        if stored_decisions.get(iid) == decision:
            continue
        store.execute(
            "INSERT INTO recommendations (interview_id, decision, created, updated) "
            "VALUES (:iid, :decision, :now, :now) ON CONFLICT (interview_id) DO UPDATE "
            "SET decision = :decision, updated = :now",
            {"iid": iid, "decision": decision, "now": now},
        )
        record_audit(store, "recommendation.set", who, cid, interview_id=iid, round_id=rnd,
                     old=stored_decisions.get(iid), new=decision, at=now)
        recommended += 1
        if iid in submitted:
            late.append((cid, who, iid, rnd, ""))
    for cid, who, iid, rnd, comp in late:
        mark_change_after_submission(store, cid, who, iid, rnd, comp or None, now)
    to_submit = sorted(
        {interviews[(r["cid"], r["who"], r["round"])] for r in rows} - submitted
    ) if submit else []
    update_rows(store, "interviews", "id", ("submitted",), [(iid, now) for iid in to_submit])
    by_interview = {iid: key for key, iid in interviews.items()}
    insert_audit_rows(
        store,
        with_identity(store, [
            audit_params("scorecard.submit", by_interview[iid][1], by_interview[iid][0],
                         interview_id=iid, round_id=by_interview[iid][2], at=now)
            for iid in to_submit
        ]),
    )
    return {
        "created": len(inserts),
        "updated": len(updates),
        "unchanged": unchanged,
        "candidates_created": len(new_names),
        "roles_given": len(placements),
        "recommendations": recommended,
        "submitted": len(to_submit),
        "notes_kept": notes_kept,
        "notes_cleared": notes_cleared,
    }
