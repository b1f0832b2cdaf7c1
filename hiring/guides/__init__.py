"""Interview guides: question selection, guide content as plain data, output files."""

from __future__ import annotations

from hiring.guides.context import Guide, GuideRequest, build_guide
from hiring.guides.selection import select_questions

__all__ = ["Guide", "GuideRequest", "build_guide", "select_questions"]
