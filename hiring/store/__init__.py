"""The ratings store: candidates, interviews, ratings, recommendations, consensus, audit.

SQLite by default (``default_db_path()``), PostgreSQL for a ``postgresql://`` URL; one
code path for both (see ``hiring.store.db``).
"""

from __future__ import annotations

from hiring.store.audit import AuditEntry
from hiring.store.candidates import (
    Candidate,
    CandidateEdit,
    RowsError,
    add_candidate,
    candidate_details,
    candidate_history,
    edit_candidate,
    find_candidate,
    import_candidates,
    list_candidates,
)
from hiring.store.consensus import set_consensus
from hiring.store.db import Store, default_db_path
from hiring.store.erasure import ErasureResult, erase_candidate
from hiring.store.export import export_scores, write_atomically
from hiring.store.interviews import (
    Cancellation,
    cancel_interview,
    list_interviews,
    read_manifest,
    record_interview,
)
from hiring.store.opening import open_store
from hiring.store.ratings import (
    ScoreListing,
    ScoreResult,
    delete_score,
    list_scores,
    set_score,
)
from hiring.store.schema import SCHEMA_VERSION, migrate
from hiring.store.scorecards import (
    DECISIONS,
    Submission,
    check_decision,
    parse_duration,
    pending_scorecards,
    scorecard_plan,
    set_recommendation,
    submit_scorecard,
)
from hiring.store.transfer import import_scores

__all__ = [
    "CandidateEdit",
    "edit_candidate",
    "Cancellation",
    "cancel_interview",
    "list_interviews",
    "Submission",
    "check_decision",
    "submit_scorecard",
    "AuditEntry",
    "candidate_history",
    "DECISIONS",
    "SCHEMA_VERSION",
    "Candidate",
    "ErasureResult",
    "RowsError",
    "ScoreListing",
    "ScoreResult",
    "Store",
    "add_candidate",
    "candidate_details",
    "default_db_path",
    "delete_score",
    "erase_candidate",
    "export_scores",
    "find_candidate",
    "import_candidates",
    "import_scores",
    "list_candidates",
    "list_scores",
    "migrate",
    "open_store",
    "parse_duration",
    "pending_scorecards",
    "read_manifest",
    "record_interview",
    "scorecard_plan",
    "set_consensus",
    "set_recommendation",
    "set_score",
    "write_atomically",
]
