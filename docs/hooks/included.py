"""mkdocs hook: pages kept elsewhere in the repository, included as they are (one source).

``question_banks/README.md`` (the bank format, beside the bank a recruiter edits) and
``SECURITY.md`` (where GitHub looks for it) become pages of the site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
INCLUDED = {
    "reference/bank-format.md": ROOT / "question_banks" / "README.md",
    "explanation/security.md": ROOT / "SECURITY.md",
}


def on_files(files: Files, config: Any) -> Files:
    for uri, source in INCLUDED.items():
        files.append(File.generated(config, uri, content=source.read_text(encoding="utf-8")))
    return files
