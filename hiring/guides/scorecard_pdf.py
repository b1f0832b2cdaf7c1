"""Read a filled fillable guide (PDF form) back into score rows.

The PDF carries its own manifest (an embedded file), so the filled file alone says which
role, round, candidate, bank version and questions it is about. The fields become the same
rows a score CSV holds (candidate, interviewer, competency, score, note, round, question),
which ``hiring.store.transfer.import_scores`` checks and writes with the CSV's rules.

Pitfalls handled (from pypdf's and WeasyPrint's own docs and trackers):
- radio values come back as positions (``/0``, ``/1``...); the HTML values are in ``/Opt``;
- macOS Preview saves a radio choice on the widget (``/AS``) but not on the group (``/V``),
  so each widget's state is read;
- a field another tool renamed with a suffix (``score__x_2``, ``score__x.1``) still counts,
  once; two different values for one field are refused;
- a checkbox is ``/on`` whatever its HTML value (the kit has none; one is refused);
- a printed or flattened PDF has no fields left: one line says so.
pypdf is imported only here, inside the functions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hiring.errors import InputError

MANIFEST_ATTACHMENT = "hiring-guide-manifest.json"
_SUFFIX = re.compile(r"(?:[._#-]\d+)$")
_RADIO_FLAG = 1 << 15


@dataclass
class FilledScorecard:
    """What one filled PDF says: its manifest, and each field's value ("" when empty)."""

    path: Path
    manifest: dict[str, Any]
    fields: dict[str, str]
    problems: list[str] = field(default_factory=list)


MAX_MANIFEST_BYTES = 1024 * 1024  # a real one is a few kB
MAX_WIDGETS = 10_000


_ENCRYPTED = ("{path} is encrypted (password-protected): hiring does not decrypt files; save "
              "an unprotected copy and import that")


class _Damaged(Exception):
    """A field or manifest value of the wrong type: said in one line with the field."""


def _resolved(value: Any) -> Any:
    """An indirect object's target (None when the reference leads nowhere)."""
    get = getattr(value, "get_object", None)
    return get() if callable(get) else value


def _dictionary(value: Any) -> dict[Any, Any] | None:
    value = _resolved(value)
    return value if isinstance(value, dict) else None


def _text(value: Any, what: str = "a field value") -> str:
    value = _resolved(value)
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):  # text, names and byte strings only
        raise _Damaged(f"{what} is a {type(value).__name__}, not text")
    return "" if value in ("/Off", "Off") else str(value)


def _inherited(annotation: Any, key: str) -> Any:
    node = _dictionary(annotation)
    for _ in range(16):  # fields nest; a loop in a hostile file must not hang us
        if node is None:
            return None
        if key in node:
            return _resolved(node[key])
        node = _dictionary(node.get("/Parent"))
    return None


def _full_name(annotation: Any) -> str:
    parts, node = [], _dictionary(annotation)
    for _ in range(16):
        if node is None:
            break
        if "/T" in node:
            parts.append(_text(node["/T"], "a field name"))
        node = _dictionary(node.get("/Parent"))
    names: list[str] = []
    for part in reversed(parts):
        if not names or names[-1] != part:  # WeasyPrint names a radio kid like its group
            names.append(part)
    return ".".join(names)


def _widget_value(widget: Any) -> tuple[str, str]:
    """(kind, value) of one widget: "radio", "checkbox", "text" or "choice"."""
    kind = _text(_inherited(widget, "/FT"), "its type (/FT)")
    if kind == "/Btn":
        flags = _inherited(widget, "/Ff")
        if flags is not None and (not isinstance(flags, int) or isinstance(flags, bool)):
            raise _Damaged("its flags (/Ff) are not a number")
        state = _text(widget.get("/AS"), "its state (/AS)")
        if not (flags or 0) & _RADIO_FLAG:
            return "checkbox", state
        # The group's /Opt lists the HTML values, in widget order; the state names a position.
        group = _dictionary(widget.get("/Parent"))
        options = _inherited(widget, "/Opt")
        if options is not None and not isinstance(options, list):
            raise _Damaged("its options (/Opt) are not a list")
        if not state:
            return "radio", ""
        position = state.lstrip("/")
        if options is not None and position.isdecimal() and int(position) < len(options):
            return "radio", _text(options[int(position)], "an option (/Opt)")
        if group is not None and options is not None:
            kids = _resolved(group.get("/Kids")) or []
            if not isinstance(kids, list):
                raise _Damaged("its group's widgets (/Kids) are not a list")
            for index, kid in enumerate(kids):
                if _resolved(kid) is widget and index < len(options):
                    return "radio", _text(options[index], "an option (/Opt)")
        return "radio", position  # a tool that names states by value
    value = _inherited(widget, "/V")
    if isinstance(value, list):  # a multiple choice: the kit has none
        value = ", ".join(_text(v) for v in value)
    return ("choice" if kind == "/Ch" else "text"), _text(value)


def read_filled_pdf(path: Path) -> FilledScorecard:
    """The manifest and field values of a filled guide; ``InputError`` if it is not one.

    Every value is type-checked (a hostile file may put a number where a list belongs);
    an encrypted PDF is refused; pypdf caps each decompressed stream (75 MB) and the
    manifest may be at most 1 MB. Whatever pypdf still raises on a broken file is one line.
    """
    try:
        return _read_filled_pdf(path)
    except InputError:
        raise
    except _Damaged as damage:
        raise InputError(f"{path}: {damage}") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    except RecursionError:
        raise InputError(f"{path} is not a readable PDF: its objects nest too deeply") from None
    except Exception as error:  # noqa: BLE001 - pypdf on a hostile file: never a traceback
        name = type(error).__name__
        if name in ("DependencyError", "FileNotDecryptedError", "WrongPasswordError"):
            # pypdf tries an empty password while opening; AES needs a crypto library.
            raise InputError(_ENCRYPTED.format(path=path)) from None
        said = str(error).strip().splitlines()[0][:160] if str(error).strip() else ""
        if name == "LimitReachedError":
            said = "a compressed stream unpacks past pypdf's limit"
        raise InputError(
            f"{path} is not a readable PDF ({name}{': ' + said if said else ''})"
        ) from None


def _read_filled_pdf(path: Path) -> FilledScorecard:
    from pypdf import PdfReader

    from hiring.store.interviews import check_manifest

    reader = PdfReader(str(path))
    if reader.is_encrypted:
        raise InputError(_ENCRYPTED.format(path=path))
    attachments = reader.attachments
    pages = list(reader.pages)
    embedded = attachments.get(MANIFEST_ATTACHMENT)
    if not embedded:
        raise InputError(
            f"{path} has no embedded guide manifest: only a guide built with "
            "'hiring guide build --fillable' imports"
        )
    raw = embedded[0]
    if not isinstance(raw, bytes) or len(raw) > MAX_MANIFEST_BYTES:
        raise InputError(f"{path}: the embedded manifest is over {MAX_MANIFEST_BYTES:,} bytes")
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise InputError(f"{path}: the embedded manifest is not JSON: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != "hiring-guide-manifest":
        raise InputError(f"{path}: the embedded file is not a guide manifest")
    manifest = check_manifest(manifest, f"{path} (embedded)")
    widgets = []
    for number, page in enumerate(pages, start=1):
        annotations = _resolved(page.get("/Annots")) or []
        if not isinstance(annotations, list):
            raise _Damaged(f"page {number}: its annotations (/Annots) are not a list")
        for reference in annotations:
            annotation = _dictionary(reference)
            if annotation is None:
                raise _Damaged(f"page {number}: an annotation is not a dictionary")
            if annotation.get("/Subtype") == "/Widget":
                widgets.append(annotation)
        if len(widgets) > MAX_WIDGETS:
            raise _Damaged(f"it has over {MAX_WIDGETS:,} form fields")
    if not widgets:
        raise InputError(
            f"{path} has no form fields left (printed or flattened?): enter its scores with "
            "'hiring score enter' or a CSV"
        )
    fields: dict[str, str] = {}
    problems: list[str] = []
    for widget in widgets:
        name = _full_name(widget)
        try:
            kind, value = _widget_value(widget)
        except _Damaged as damage:
            raise _Damaged(f"field '{name}': {damage}") from None
        if kind == "checkbox":
            if value:
                problems.append(f"field '{name}' is a checkbox (it carries no value)")
            continue
        if kind == "radio" and not value and name in fields:
            continue  # an unticked button of a group already read
        known = fields.get(name)
        if known and value and known != value:
            problems.append(f"field '{name}' has two values: '{known}' and '{value}'")
            continue
        if value or name not in fields:
            fields[name] = value
    return FilledScorecard(path, manifest, fields, problems)


def _fold_suffixed(
    fields: dict[str, str], expected: set[str], problems: list[str]
) -> dict[str, str]:
    """Fold 'name_2', 'name.1', 'name#0' (duplicates some tools rename) into 'name'."""
    merged: dict[str, str] = {}
    for name in sorted(fields, key=len):
        base = name
        while base not in expected and _SUFFIX.search(base):
            base = _SUFFIX.sub("", base)
        if base not in expected:
            base = name
        value = fields[name]
        if merged.get(base) and value and merged[base] != value:
            problems.append(f"field '{base}' has two values: '{merged[base]}' and '{value}'")
        elif value or base not in merged:
            merged[base] = value
    return merged


@dataclass
class ScorecardRows:
    rows: list[dict[str, str]]
    decision: str | None
    candidate: str  # the id (when the manifest has one) or the name, as the CSV would say
    interviewer: str
    empty: list[str]  # names of fields left empty
    # competency -> (question id, evidence written) for each question asked, in order
    evidence: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def scorecard_rows(card: FilledScorecard, bank: Any) -> ScorecardRows:
    """The score rows of one filled PDF, checked against its manifest and the bank.

    Raises ``InputError`` naming each mismatch: another bank version, a role or round the
    bank lacks, fields the manifest does not list, empty scores.
    """
    manifest = card.manifest
    problems = list(card.problems)
    if manifest.get("bank_version") != bank.version:
        problems.append(
            f"it was built from bank version {manifest.get('bank_version')}; this bank is "
            f"{bank.version} (build a new guide)"
        )
    role_id, round_id = str(manifest.get("role")), str(manifest.get("round"))
    if role_id not in bank.roles:
        problems.append(f"its role '{role_id}' is not in the bank")
    elif not bank.role(role_id).has_round(round_id):
        problems.append(f"role '{role_id}' has no round '{round_id}'")
    competencies = [str(c) for c in manifest.get("competencies") or []]
    questions: dict[str, list[str]] = {}
    for item in manifest.get("questions") or []:
        questions.setdefault(str(item.get("competency")), []).append(str(item.get("question")))
    expected = {f"score__{c}" for c in competencies}
    expected |= {f"evidence__{q}" for qs in questions.values() for q in qs}
    expected |= {"recommendation", "interviewer", "date"}
    fields = _fold_suffixed(card.fields, expected, problems)
    if fields.get("recommendation", "").strip() == "-":  # the "choose..." placeholder
        fields["recommendation"] = ""
    for name in sorted(set(fields) - expected):
        problems.append(f"field '{name}' is not in the guide's manifest")
    interviewer = fields.get("interviewer", "").strip() or str(manifest.get("interviewer") or "")
    if not interviewer:
        problems.append("the interviewer's name is empty")
    candidate_id = manifest.get("candidate_id")
    candidate = str(candidate_id) if candidate_id else str(manifest.get("candidate") or "")
    if not candidate:
        problems.append("the guide names no candidate")
    empty = [name for name in sorted(expected & set(fields)) if not fields[name].strip()]
    empty += sorted(expected - set(fields))
    from hiring.decisions import DECISIONS, parse_decision

    chosen = fields.get("recommendation", "").strip()
    if chosen and parse_decision(chosen) is None:  # an id, or a word of any language
        choices = ", ".join(DECISIONS)
        problems.append(f"field 'recommendation': '{chosen}' is not one of {choices}")
    missing_scores = [name for name in empty if name.startswith("score__")]
    if missing_scores:
        problems.append(f"empty score field(s): {', '.join(missing_scores)}")
    if problems:
        from hiring.store.candidates import RowsError

        raise RowsError(
            f"{card.path}: {len(problems)} problem(s); nothing was imported", problems, card.path
        )
    rows = []
    evidence: dict[str, list[tuple[str, str]]] = {}
    for competency in competencies:
        asked = questions.get(competency, [])
        evidence[competency] = [(q, fields.get(f"evidence__{q}", "").strip()) for q in asked]
        rows.append(
            {
                "candidate": candidate,
                "interviewer": interviewer,
                "competency": competency,
                "score": fields[f"score__{competency}"],
                "note": _note_text(evidence[competency]),
                "round": round_id,
                "question": asked[0] if len(asked) == 1 else "",
            }
        )
    decision = parse_decision(chosen) if chosen else None
    return ScorecardRows(rows, decision, candidate, interviewer, empty, evidence)


def _note_text(evidence: list[tuple[str, str]]) -> str:
    """One question's evidence as it is; several as 'question-id: text' paragraphs."""
    if len(evidence) == 1:
        return evidence[0][1]
    return "\n\n".join(f"{q}: {text}" for q, text in evidence if text)


def _stored_paragraphs(note: str, asked: list[str]) -> tuple[str, dict[str, str]]:
    """A stored note split as ``_note_text`` wrote it: the text before the first
    'question-id: ' paragraph (a note from 'score set', say) and each question's text."""
    marks = sorted(
        (found.start(), found.end(), question)
        for question in asked
        for found in re.finditer(rf"(?:^|\n\n){re.escape(question)}: ", note)
    )
    if not marks:
        return note.strip(), {}
    parts: dict[str, str] = {}
    for index, (_, end, question) in enumerate(marks):
        stop = marks[index + 1][0] if index + 1 < len(marks) else len(note)
        parts.setdefault(question, note[end:stop].strip())
    return note[: marks[0][0]].strip(), parts


EvidenceGap = tuple[str, str, int, str]  # competency, question id, position (1-), outcome


def merge_evidence(
    competency: str, evidence: list[tuple[str, str]], stored: str | None, clear_empty: bool
) -> tuple[str | None, list[EvidenceGap]]:
    """The note to store for one competency of a filled PDF, and each empty question's
    outcome: "kept" (the stored evidence for it stays), "none" (nothing was stored) or
    "cleared" (``clear_empty``). ``None``: keep the stored note as it is.

    An update without evidence keeps the evidence: a question left empty keeps what the
    stored note says for it, whether the whole competency is empty or only one question.
    """
    empty = [(n, q) for n, (q, text) in enumerate(evidence, start=1) if not text]
    if not empty:
        return _note_text(evidence), []
    if clear_empty:
        outcome = "cleared" if stored else "none"
        return _note_text(evidence), [(competency, q, n, outcome) for n, q in empty]
    if len(empty) == len(evidence):
        outcome = "kept" if stored else "none"
        return None, [(competency, q, n, outcome) for n, q in empty]
    preamble, stored_parts = _stored_paragraphs(stored or "", [q for q, _ in evidence])
    paragraphs = [preamble] if preamble else []
    gaps: list[EvidenceGap] = []
    for position, (question, text) in enumerate(evidence, start=1):
        if text:
            paragraphs.append(f"{question}: {text}")
        elif stored_parts.get(question):
            paragraphs.append(f"{question}: {stored_parts[question]}")
            gaps.append((competency, question, position, "kept"))
        else:
            gaps.append((competency, question, position, "kept" if preamble else "none"))
    return "\n\n".join(paragraphs), gaps


def describe_evidence_gaps(bank: Any, path: str, language: str, gaps: list[EvidenceGap]) -> list[
    str
]:
    """One line per question left without evidence, in the guide's language: the
    competency's name and the question's words (not field ids), and what became of the
    stored note."""
    from hiring.bank.models import localise
    from hiring.errors import NotFoundError
    from hiring.render.catalogs import speaks
    from hiring.render.strings import ui_strings

    lang = language if speaks(language) else "en"
    t = ui_strings(lang)
    lines = []
    for competency_id, question_id, position, outcome in gaps:
        try:
            competency = localise(bank.competency(competency_id).name, lang)
            words = localise(bank.question(question_id)[1].text, lang)
        except NotFoundError:
            competency, words = competency_id, question_id
        if len(words) > 70:
            words = words[:69].rstrip() + "…"
        lines.append(t[f"import_evidence_{outcome}"].format(
            file=path, competency=competency, n=position, question=words
        ))
    return lines


def _line_to_field(problem: str, rows: list[dict[str, str]]) -> str:
    """'line 3: ...' from the CSV rules, said as the PDF field it came from."""
    found = re.match(r"line (\d+): (.*)", problem)
    if found and 1 <= int(found[1]) <= len(rows):
        return f"field 'score__{rows[int(found[1]) - 1]['competency']}': {found[2]}"
    return problem


def import_scorecard_pdfs(
    store: Any,
    bank: Any,
    paths: list[Path],
    candidate: str | None = None,
    submit: bool = False,
    clear_empty: bool = False,
) -> dict[str, Any]:
    """Import filled PDF scorecards: all files or none, by the CSV import's rules.

    Each file's ratings, its interview (questions and bank version from the embedded
    manifest) and its recommendation are recorded in one transaction. ``candidate`` (id or
    name), when given, must be the candidate of every file. ``submit`` submits each
    scorecard (refused, for all files, while one lacks a score or the recommendation).
    Empty evidence keeps the stored note (see ``merge_evidence``) unless ``clear_empty``.
    Returns counts and, per file, the fields left empty (``empty``), its language and each
    question without evidence with what became of its note (``evidence_gaps``).
    """
    from hiring.store import find_candidate, record_interview, set_recommendation, submit_scorecard
    from hiring.store.candidates import RowsError
    from hiring.store.transfer import import_scores

    cards = [read_filled_pdf(Path(path)) for path in paths]
    prepared = [scorecard_rows(card, bank) for card in cards]
    seen: dict[tuple[str, str, str], Path] = {}
    totals: dict[str, int] = {"created": 0, "updated": 0, "unchanged": 0,
                              "candidates_created": 0, "recommendations": 0, "submitted": 0}
    empty: dict[str, list[str]] = {}
    gaps: dict[str, list[EvidenceGap]] = {}
    languages: dict[str, str] = {}
    with store.write():
        expected = find_candidate(store, candidate) if candidate else None
        for card, rows in zip(cards, prepared, strict=True):
            found = find_candidate(store, rows.candidate)
            name = str(card.manifest.get("candidate") or "")
            if card.manifest.get("candidate_id") and found.name != name:
                raise InputError(
                    f"{card.path}: the guide is for '{name}', but candidate {found.id} is "
                    f"'{found.name}'"
                )
            if expected is not None and found.id != expected.id:
                raise InputError(
                    f"{card.path}: the guide is for '{name}' (candidate {found.id}), not for "
                    f"'{expected.name}' (candidate {expected.id})"
                )
            role = card.manifest.get("role")
            if found.role and found.role != role:
                raise InputError(
                    f"{card.path}: the guide is for role '{role}'; candidate {found.id} "
                    f"applies for '{found.role}'"
                )
            key = (str(found.id), rows.interviewer, str(card.manifest.get("round")))
            if key in seen:
                raise InputError(
                    f"{card.path}: same candidate, interviewer and round as {seen[key]}"
                )
            seen[key] = card.path
            stored = {
                competency: note
                for competency, note in store.all(
                    "SELECT r.competency, r.note FROM ratings r JOIN interviews i "
                    "ON i.id = r.interview_id WHERE i.candidate_id = :cid "
                    "AND i.interviewer = :who AND i.round = :round",
                    {"cid": found.id, "who": rows.interviewer, "round": key[2]},
                )
            }
            file_gaps: list[EvidenceGap] = []
            for row in rows.rows:
                note, row_gaps = merge_evidence(
                    row["competency"], rows.evidence.get(row["competency"], []),
                    stored.get(row["competency"]), clear_empty,
                )
                file_gaps += row_gaps
                if note is None:
                    del row["note"]  # no note: the stored one is kept
                else:
                    row["note"] = note
            try:
                counts = import_scores(
                    store, bank, card.path, rows=list(enumerate(rows.rows, start=1)),
                    clear_empty=clear_empty,
                )
            except RowsError as error:
                raise RowsError(
                    str(error), [_line_to_field(p, rows.rows) for p in error.problems],
                    card.path,
                ) from None
            for count_key in ("created", "updated", "unchanged", "candidates_created"):
                totals[count_key] += counts[count_key]
            record_interview(store, bank, found.id, rows.interviewer, manifest=card.manifest)
            if rows.decision:
                set_recommendation(store, bank, found.id, rows.interviewer,
                                   str(card.manifest.get("round")), rows.decision)
                totals["recommendations"] += 1
            if submit:
                submit_scorecard(store, bank, found.id, rows.interviewer,
                                 str(card.manifest.get("round")))
                totals["submitted"] += 1
            empty[str(card.path)] = rows.empty
            gaps[str(card.path)] = file_gaps
            languages[str(card.path)] = str(card.manifest.get("language") or "en")
    return {**totals, "empty": empty, "evidence_gaps": gaps, "languages": languages}
