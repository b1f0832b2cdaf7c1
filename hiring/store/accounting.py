"""What a command did with the stored ratings: how many it used, and why it left the
others out. Every command that aggregates ratings (reports, statistics, ``score pending``)
states this, so that used + left out = stored is visible (nothing left out silently)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Why a stored rating is not used, in the order they are tested (the first that applies).
LEFT_OUT_REASONS = (
    "erased_candidate",  # the candidate was erased
    "not_visible",  # a colleague's draft, or the user's own scorecard there is still open
    "other_role",  # its interview is for another role, or for none
    "other_round",  # another round than the one asked for
    "competency_not_in_role",  # a competency the role (or the round) no longer rates
    "not_chosen",  # a candidate not among those named (--candidates)
    "cancelled_interview",  # an interview cancelled with its ratings kept (older data)
)
LEFT_OUT_LABELS = {
    "erased_candidate": "erased candidate",
    "not_visible": "draft, or not yet visible to you",
    "other_role": "other role or none",
    "other_round": "other round",
    "competency_not_in_role": "competency no longer in the role or round",
    "not_chosen": "candidate not chosen",
    "cancelled_interview": "cancelled interview",
}


@dataclass
class RatingAccount:
    """Every stored rating, used or left out for a stated reason: used + left out = stored."""

    stored: int = 0
    used: int = 0
    left_out: dict[str, int] = field(default_factory=dict)  # reason -> ratings (> 0 only)

    @property
    def left_out_total(self) -> int:
        return sum(self.left_out.values())

    def to_json(self) -> dict[str, object]:
        return {"stored": self.stored, "used": self.used, "left_out": dict(self.left_out),
                "left_out_total": self.left_out_total, "sentence": self.sentence()}

    def sentence(self, labels: dict[str, str] | None = None) -> str:
        """``112 stored ratings: 100 used, 12 left out (other role or none 10, ...)``."""
        labels = labels or LEFT_OUT_LABELS
        if not self.left_out:
            return f"{self.stored} stored rating(s), all used"
        reasons = ", ".join(f"{labels[k]} {n}" for k, n in self.left_out.items())
        return (f"{self.stored} stored rating(s): {self.used} used, {self.left_out_total} "
                f"left out ({reasons})")
