"""Nothing lost on re-import: every import path (CSV, .xlsx, filled PDF) keeps a stored
evidence note when the incoming value is empty and clears it only when asked
(--clear-empty, or a CSV cell holding [clear]); a PDF's warnings name the competency and
the question in the guide's language, never field ids."""

from __future__ import annotations

import json
from pathlib import Path

from hiring.spreadsheets import csv_to_xlsx
from tests.conftest import invoke
from tests.test_scorecard_pdf import _manifest, fill_with_pypdf, kit  # noqa: F401 - fixture

SCORES = {"teamwork": 4, "avoiding-arguments": 2}


def _notes(runner, base: list[str]) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    listed = invoke(runner, *base, "score", "list", "--candidate", "1", "--json")
    assert listed.exit_code == 0, listed.output
    return {r["competency"]: r["note"] for r in json.loads(listed.output)["scores"]}


def _questions(pdf: Path) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for item in _manifest(pdf)["questions"]:
        grouped.setdefault(item["competency"], []).append(item["question"])
    return grouped


def test_pdf_reimport_with_empty_evidence_keeps_the_notes(runner, kit) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    base, folder = kit
    source = folder / "anna.pdf"
    asked = _questions(source)
    first = folder / "first.pdf"
    written = {f"evidence__{q}": f"said {q}" for qs in asked.values() for q in qs}
    fill_with_pypdf(source, first, {**written, "recommendation": "yes"}, SCORES)
    assert invoke(runner, *base, "score", "import", str(first)).exit_code == 0
    stored = _notes(runner, base)
    assert all(stored[c] for c in SCORES)

    # The same kit filled again with scores only: the notes stay.
    again = folder / "again.pdf"
    fill_with_pypdf(source, again, {"recommendation": "yes"}, {**SCORES, "teamwork": 5})
    result = invoke(runner, *base, "score", "import", str(again))
    assert result.exit_code == 0, result.output
    assert _notes(runner, base) == stored
    # One line per question, in the guide's language (Danish): the competency's name and
    # the question's words, no field ids.
    lines = [line for line in result.stderr.splitlines() if line]
    assert len(lines) == 4, result.stderr
    assert "evidence__" not in result.stderr and "score__" not in result.stderr
    assert lines[0].startswith(f"{again}: ingen dokumentation for Samarbejde, spørgsmål 1 (»")
    assert lines[0].endswith("«): den gemte note beholdes")
    assert any("Undgår diskussioner med kunder, spørgsmål 2" in line for line in lines)

    # One question filled, the other empty: the empty one keeps its stored paragraph.
    partial = folder / "partial.pdf"
    first_q, second_q = asked["teamwork"]
    fill_with_pypdf(source, partial, {f"evidence__{first_q}": "new words",
                                      "recommendation": "yes"}, SCORES)
    assert invoke(runner, *base, "score", "import", str(partial)).exit_code == 0
    assert _notes(runner, base)["teamwork"] == (
        f"{first_q}: new words\n\n{second_q}: said {second_q}"
    )

    # --clear-empty clears what is left empty, and says so.
    cleared = invoke(runner, *base, "score", "import", str(again), "--clear-empty")
    assert cleared.exit_code == 0, cleared.output
    assert _notes(runner, base) == {"teamwork": None, "avoiding-arguments": None}
    assert "den gemte note er slettet (--clear-empty)" in cleared.stderr


def test_csv_and_xlsx_empty_cells_keep_notes(runner, kit) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    base, folder = kit
    set_note = ["score", "set", "--candidate", "1", "--interviewer", "Ole Holm", "--round",
                "panel", "--competency", "teamwork", "--score", "3", "--note", "calm and kind"]
    assert invoke(runner, *base, *set_note).exit_code == 0
    text = ("candidate,interviewer,competency,score,round,note,question\n"
            "1,Ole Holm,teamwork,4,panel,,\n")
    for name, data in (("s.csv", text.encode()), ("s.xlsx", csv_to_xlsx(text))):
        path = folder / name
        path.write_bytes(data)
        result = invoke(runner, *base, "score", "import", str(path))
        assert result.exit_code == 0, result.output
        assert "1 stored note(s) kept" in result.stderr
        assert _notes(runner, base)["teamwork"] == "calm and kind"
    marker = folder / "clear.csv"
    marker.write_text(text.replace(",,\n", ",[clear],\n"), encoding="utf-8")
    assert invoke(runner, *base, "score", "import", str(marker)).exit_code == 0
    assert _notes(runner, base)["teamwork"] is None


def test_a_pdf_recommendation_in_a_guide_language_word(runner, kit) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """A script fills the recommendation with the kit's own word ('Klart ja'), as 'score
    recommend --decision' takes it."""
    base, folder = kit
    filled = folder / "word.pdf"
    fill_with_pypdf(folder / "anna.pdf", filled, {"recommendation": "Klart ja"}, SCORES)
    result = invoke(runner, *base, "score", "import", str(filled))
    assert result.exit_code == 0, result.output
    exported = json.loads(invoke(runner, *base, "score", "export", "--format", "json").output)
    assert [r["decision"] for r in exported["recommendations"]] == ["strong-yes"]
