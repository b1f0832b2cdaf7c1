"""The interactive walk of ``hiring score enter``: each competency with the question that
was asked and its anchors, a score, the evidence, then the recommendation and the offer to
submit. Prompts are in the guide's language (``--lang``); text wraps to the terminal's width
in cells: at spaces, and between Chinese characters (which have none)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from hiring.bank.models import Bank
    from hiring.store import Store
    from hiring.store.scorecards import ScorecardPlan

MAX_WIDTH = 100


def _width() -> int:
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH))


def echo_wrapped(text: str, indent: str = "  ", hanging: str = "") -> None:
    """One paragraph, wrapped by terminal cells: at spaces (never inside a word), and
    between Chinese characters (a Chinese sentence has no spaces; each character takes two
    cells)."""
    from hiring.cli.cells import wrap

    for line in wrap(text, _width(), indent, hanging):
        typer.echo(line)


def ask_yes_no(t: dict[str, str], question: str, default: bool) -> bool:
    """A yes/no question answered in the prompts' language (or in English)."""
    yes, no = set(t["enter_yes_words"].split()), set(t["enter_no_words"].split())
    yes_label, no_label = t["enter_yes_no"].split("/")
    choices = f"{yes_label.upper()}/{no_label}" if default else f"{yes_label}/{no_label.upper()}"
    while True:
        answer = typer.prompt(f"{question} [{choices}]", default="", show_default=False)
        answer = answer.strip().lower()
        if not answer:
            return default
        if answer in yes or answer in no:
            return answer in yes
        typer.echo(f"  {t['enter_yes_no']}")


def ask_score(t: dict[str, str], low: int, high: int) -> int:
    """A whole number on the scale; anything else is said in one style and asked again."""
    while True:
        answer = typer.prompt(f"{t['enter_score']} ({low}-{high})").strip()
        if answer.lstrip("-").isdecimal() and low <= int(answer) <= high:
            return int(answer)
        typer.echo("  " + t["enter_bad_score"].format(min=low, max=high))


def ask_note(t: dict[str, str]) -> str:
    """The evidence; an empty one only after saying so (evidence is what the method rests on)."""
    while True:
        note = typer.prompt(t["enter_evidence"], default="", show_default=False).strip()
        if note or ask_yes_no(t, t["enter_no_note"], default=False):
            return note


def ask_decision(t: dict[str, str], lang: str) -> str:
    """A recommendation: the guide's word for it in the prompts' language (shown), or in any
    other of the five languages, or an id; anything else is said and asked again."""
    from hiring.decisions import decision_labels, parse_decision

    words = [label.lower() for label in decision_labels(lang).values()]
    while True:
        answer = typer.prompt(f"{t['enter_recommendation']} ({'/'.join(words)})")
        decision = parse_decision(answer)
        if decision is not None:
            return decision
        typer.echo("  " + t["enter_bad_decision"].format(choices=", ".join(words)))


@dataclass
class Progress:
    saved: int = 0  # new scores saved so far (each is committed at once)


def walk_scorecard(
    store: Store, bank: Bank, plan: ScorecardPlan, t: dict[str, str], progress: Progress
) -> None:
    """Ask for every competency not yet rated, then the recommendation; each answer is saved
    at once and counted in ``progress``. ``typer.Abort`` (Ctrl-C, end of input) propagates
    to the caller, with what was entered already committed."""
    from hiring.bank.models import localise
    from hiring.store import set_recommendation, set_score

    lang = plan.language
    for competency_id in [c for c in plan.competencies if c not in plan.entered]:
        competency = bank.competency(competency_id)
        scale = bank.scale(competency.scale)
        typer.echo("")
        typer.echo(f"{localise(competency.name, lang)} ({competency_id})")
        echo_wrapped(localise(competency.definition, lang))
        asked = plan.questions.get(competency_id, [])
        for question_id in asked:
            _, question = bank.question(question_id)
            echo_wrapped(f"{t['enter_asked']}: {localise(question.text, lang)}", hanging="  ")
        for point in scale.points:
            label = localise(scale.labels.get(point), lang)
            anchor = localise(competency.anchors.get(point), lang)
            echo_wrapped(f"{point} {label}" + (f": {anchor}" if anchor else ""), hanging="  ")
        value = ask_score(t, scale.min, scale.max)
        note = ask_note(t)
        set_score(
            store, bank, plan.candidate.id, plan.interviewer, competency_id, value,
            question=asked[0] if asked else None, note=note, round_id=plan.round,
        )
        progress.saved += 1
    if plan.recommendation is None:
        typer.echo("")
        decision = ask_decision(t, lang)
        set_recommendation(store, bank, plan.candidate.id, plan.interviewer, plan.round, decision)
