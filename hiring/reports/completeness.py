"""Which scorecards a report rests on, and which it lacks: one count everywhere.

Every interview of the report (recorded, not cancelled) is in one state:

* ``submitted``: handed in (a scorecard is final only once submitted);
* ``draft``: some ratings entered, not submitted (``missing`` lists what is not rated);
* ``missing``: the interview took place (its date has passed) and nothing is entered;
* ``scheduled``: nothing entered and its date is still to come: not a missing scorecard.

A candidate of the report with no rating and no interview that took place is *not
interviewed yet*: not a missing scorecard either (the old report called them "no scorecard
at all" and counted them as missing beside "25 of 25 scorecards handed in").

``scorecard_states(data, bank, competency_ids)`` -> ``Completeness``: the rows (one per
interview, plus one per candidate not interviewed yet) and their counts. Page 1, the "Before
you decide" list, the ranking's flags, the table of missing scorecards and ``--json`` all
read these counts, so they cannot disagree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from hiring.reports.data import ReportData

if TYPE_CHECKING:
    from hiring.bank.models import Bank

STATES = ("submitted", "draft", "missing", "scheduled", "not-interviewed")


@dataclass(frozen=True)
class ScorecardState:
    candidate_id: int
    interviewer: str | None  # None: a candidate not interviewed yet
    round: str | None
    state: str  # one of STATES
    missing: tuple[str, ...] = ()  # competency ids not rated (drafts and missing ones)

    def to_json(self) -> dict[str, Any]:
        return {"candidate_id": self.candidate_id, "interviewer": self.interviewer,
                "round": self.round, "state": self.state, "not_rated": list(self.missing)}


@dataclass
class Completeness:
    rows: list[ScorecardState] = field(default_factory=list)
    # Rows by candidate, made on the first ``of`` after rows change: a report asks once per
    # candidate, and a scan of every row each time cost 11 s at 10,000 candidates.
    _by_candidate: dict[int, Counter[str]] = field(default_factory=dict, init=False,
                                                   repr=False, compare=False)
    _indexed: int = field(default=-1, init=False, repr=False, compare=False)

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def held(self) -> int:
        """Scorecards of interviews that took place: submitted + draft + missing."""
        return sum(1 for row in self.rows if row.state in ("submitted", "draft", "missing"))

    def of(self, candidate_id: int) -> Counter[str]:
        """One candidate's rows by state."""
        if self._indexed != len(self.rows):
            index: dict[int, Counter[str]] = defaultdict(Counter)
            for row in self.rows:
                index[row.candidate_id][row.state] += 1
            self._by_candidate, self._indexed = dict(index), len(self.rows)
        return Counter(self._by_candidate.get(candidate_id, {}))

    def open_rows(self) -> list[ScorecardState]:
        """What is not handed in: drafts, missing scorecards, candidates not interviewed."""
        return [row for row in self.rows if row.state in ("draft", "missing", "not-interviewed")]

    def counts(self) -> dict[str, int]:
        return {
            "held": self.held,
            "submitted": self.count("submitted"),
            "draft": self.count("draft"),
            "missing": self.count("missing"),
            "scheduled": self.count("scheduled"),
            "not_interviewed": self.count("not-interviewed"),
        }


def _has_taken_place(date: str, now: datetime) -> bool:
    """An interview's date (ISO text) is today or earlier; unknown dates count as held."""
    if not date:
        return True
    try:
        when = datetime.fromisoformat(date)
    except ValueError:
        return True
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.date() <= now.date()


def scorecard_states(
    data: ReportData, bank: Bank, competency_ids: list[str], now: datetime | None = None
) -> Completeness:
    """Every interview's scorecard state, and the candidates not interviewed yet."""
    now = now or datetime.now(UTC)
    role = bank.role(data.role_id)
    known = set(competency_ids)
    rated: dict[tuple[int, str, str], set[str]] = defaultdict(set)
    for r in data.ratings:
        rated[(r.candidate_id, r.interviewer, r.round)].add(r.competency)
    result = Completeness()
    seen: set[int] = set()
    for interview in data.interviews:
        expected = role.scorecard_competencies(interview.round, interview.competencies) or []
        expected = [c for c in expected if c in known]
        done = rated.get((interview.candidate_id, interview.interviewer, interview.round), set())
        gap = tuple(c for c in expected if c not in done)
        if interview.submitted:
            state = "submitted"
        elif done:
            state = "draft"
        elif _has_taken_place(interview.date, now):
            state = "missing"
        else:
            state = "scheduled"
        if state != "scheduled":
            seen.add(interview.candidate_id)
        result.rows.append(ScorecardState(interview.candidate_id, interview.interviewer,
                                          interview.round, state,
                                          gap if state in ("draft", "missing") else ()))
    seen |= {r.candidate_id for r in data.ratings}
    for candidate in data.candidates:
        if candidate.id not in seen:
            result.rows.append(ScorecardState(candidate.id, None, None, "not-interviewed"))
    return result
