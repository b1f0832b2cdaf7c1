"""Run the demo: a database, candidates, guides, ratings and the comparison report."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hiring.bank.models import Bank
from hiring.demo.dataset import DemoData, demo_dataset
from hiring.demo.history import HISTORY_ROLE, QA_MEASURE, History
from hiring.errors import InputError

if TYPE_CHECKING:
    from hiring.store.db import Store

MARKER = ".hiring-demo"  # marks a folder the demo made, so it may clear it on the next run


@dataclass
class DemoResult:
    folder: Path
    database: Path
    guides: list[Path] = field(default_factory=list)
    report: Path | None = None
    data: DemoData | None = None
    # The synthetic history of another role, for the fairness and validity reports.
    fairness_report: Path | None = None
    validity_report: Path | None = None
    history: History | None = None
    history_skipped: str | None = None  # why there is no history (a bank without the role)


def prepare_folder(folder: Path) -> None:
    """Create ``folder``, or clear it if an earlier demo made it; never touch anything else."""
    if folder.is_symlink():
        # rmtree refuses a link, and clearing its target would touch another folder.
        raise InputError(f"{folder} is a symbolic link; choose a real folder (--out DIR)")
    if folder.exists():
        if not folder.is_dir():
            raise InputError(f"{folder} is a file; choose a folder for the demo (--out DIR)")
        if any(folder.iterdir()) and not (folder / MARKER).exists():
            raise InputError(
                f"{folder} is not empty and was not made by 'hiring demo'; choose another --out"
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("made by 'hiring demo'; safe to delete\n", encoding="utf-8")


def run_demo(
    bank: Bank, folder: Path, role_id: str = "inbound-agent", round_id: str = "panel",
    lang: str = "en",
) -> DemoResult:
    """Build the whole demo in ``folder`` on an embedded SQLite database.

    A team roster (whoever runs it is the recruiter), 8 candidates, 3 interviewers (one
    lenient), some disagreement, one missing scorecard; every candidate advanced from the
    rounds before ``round_id`` (stage decisions); one interview guide per candidate; the
    comparison report as PDF. Then a synthetic history of 300 applicants for another role
    (``hiring.demo.history``: stage decisions, group data, outcomes) and its fairness and
    validity reports as PDF.
    """
    bank.role(role_id).round(round_id)  # an unknown role or round fails before any deletion
    prepare_folder(folder)
    from hiring.guides.batch_rows import file_stem
    from hiring.guides.build import write_guide
    from hiring.guides.context import GuideRequest
    from hiring.reports.build import build_compare_report
    from hiring.store import (
        add_candidate,
        open_store,
        record_interview,
        set_recommendation,
        set_score,
        submit_scorecard,
    )
    from hiring.store.candidate_files import record_candidate_files
    from hiring.store.stages import record_decision

    role_rounds = [item.id for item in bank.role(role_id).rounds]
    rounds_before = role_rounds[: role_rounds.index(round_id)]
    database = folder / "hiring.db"
    data = demo_dataset(bank, role_id, round_id, lang=lang)
    result = DemoResult(folder=folder, database=database, data=data)
    store = open_store(database)
    try:
        from hiring.demo.dataset import RECRUITER, TEAM
        from hiring.store.roster import add_member

        # The first member gets the login of whoever runs the demo: the recruiter.
        add_member(store, RECRUITER, ["recruiter"], email="recruiter@example.com")
        for member, roles, login, address in TEAM:
            add_member(store, member, list(roles), email=address, login=login)
        guides = folder / "guides"
        guides.mkdir()
        for name, email in data.candidates:
            added = add_candidate(
                store, name, email=email, role=role_id, known_roles=set(bank.roles)
            )
            stem = file_stem(name)
            request = GuideRequest(
                role=role_id, round=round_id, candidate=name, interviewer=None, lang=lang
            )
            output = write_guide(bank, request, guides / f"{stem}.pdf")
            result.guides.append(output.path)
            # The guide holds the name: erasing the candidate lists (or deletes) it.
            record_candidate_files(
                store, added.id, [(output.path, "guide"), (output.manifest_path, "manifest")]
            )
            # They reached this round: each earlier round ended with "advance".
            for earlier in rounds_before:
                record_decision(store, added.id, earlier, "advance", actor=data.interviewers[-1],
                                bank=bank)
            for interviewer in data.interviewers:
                record_interview(
                    store, bank, name, interviewer, role=role_id, round_id=round_id,
                    language=lang, manifest=output.manifest_path,
                )
        for rating in data.ratings:
            set_score(
                store, bank, rating.candidate, rating.interviewer, rating.competency,
                rating.score, note=rating.note, round_id=round_id,
            )
        for candidate, interviewer, decision in data.recommendations:
            set_recommendation(store, bank, candidate, interviewer, round_id, decision)
        # Complete scorecards are submitted; the dataset's incomplete ones stay drafts.
        for name, _ in data.candidates:
            for interviewer in data.interviewers:
                try:
                    submit_scorecard(store, bank, name, interviewer, round_id)
                except InputError:
                    pass
        result.report = folder / "comparison-report.pdf"
        build_compare_report(
            store, bank, role_id=role_id, round_id=round_id, candidates=None, lang=lang,
            fmt="pdf", out=result.report,
        )
        _history_reports(store, bank, folder, lang, result)
    finally:
        store.close()
    return result


def _history_reports(store: Store, bank: Bank, folder: Path, lang: str,
                     result: DemoResult) -> None:
    """The synthetic history (CSV files in ``synthetic-history/``) and both reports."""
    if HISTORY_ROLE not in bank.roles or len(bank.role(HISTORY_ROLE).rounds) < 2:
        result.history_skipped = (
            f"the bank has no role '{HISTORY_ROLE}' with two rounds for the synthetic history"
        )
        return
    from hiring.demo.history import synthetic_history, write_history
    from hiring.reports.fairness_page import build_fairness_report
    from hiring.reports.validity_page import build_validity_report

    result.history = synthetic_history(bank, HISTORY_ROLE)
    write_history(store, bank, result.history, folder / "synthetic-history")
    result.fairness_report = folder / "fairness-report.pdf"
    build_fairness_report(store, bank, HISTORY_ROLE, None, lang, "pdf",
                          result.fairness_report)
    result.validity_report = folder / "validity-report.pdf"
    build_validity_report(store, bank, HISTORY_ROLE, QA_MEASURE, lang, "pdf",
                          result.validity_report)
