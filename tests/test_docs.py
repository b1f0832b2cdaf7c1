"""The documentation: generated pages that cannot drift from the code, a README that stays
short and links only to pages that exist, and the site's strict build (with the pictures
made from the demo)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hiring.cli.reference import (
    BEGIN,
    END,
    EXIT_BEGIN,
    EXIT_END,
    command_reference,
    exit_status_table,
    generated_block,
)

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_command_reference_is_up_to_date() -> None:
    page = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    assert generated_block(page, BEGIN, END) == command_reference().strip(), (
        "run `make docs` to regenerate docs/reference/cli.md"
    )


def test_exit_status_table_is_up_to_date() -> None:
    page = (DOCS / "reference" / "exit-status.md").read_text(encoding="utf-8")
    assert generated_block(page, EXIT_BEGIN, EXIT_END) == exit_status_table().strip(), (
        "run `make docs` to regenerate docs/reference/exit-status.md"
    )


def test_every_command_is_in_the_reference() -> None:
    import typer

    from hiring.cli import app

    page = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        assert f"## `hiring {name}`" in page
        for sub in getattr(command, "commands", {}):
            assert f"## `hiring {name} {sub}`" in page


def test_readme_is_short_and_names_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    assert "make demo" in readme
    assert "make test" in readme
    assert BEGIN not in readme  # the command reference lives in the docs now


def test_readme_links_point_at_pages_that_exist() -> None:
    """The README's links and pictures are files of the repository, so they work on any Git
    host and in a clone; no address the project does not own (it has no public home yet)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)]+)\)|src=\"([^\"]+)\"", readme)
    targets = [a or b for a, b in links]
    assert len(targets) > 15
    for target in targets:
        assert not target.startswith(("http://", "https://")), target
        if not target.startswith("#"):
            assert (ROOT / target.split("#")[0]).exists(), target
    pictures = [t for t in targets if t.endswith(".png")]
    assert len(pictures) == 2
    for picture in pictures:  # real PNGs of an A4 page at the docs' resolution
        from PIL import Image

        with Image.open(ROOT / picture) as image:
            assert image.format == "PNG"
            assert image.size[0] > 500 and image.size[1] > image.size[0]


def _pictures() -> dict[str, tuple[str, int]]:
    sys.path.insert(0, str(DOCS / "hooks"))
    try:
        import pictures  # docs/hooks/pictures.py
    finally:
        sys.path.pop(0)
    return dict(pictures.PICTURES)


@pytest.mark.slow
def test_the_site_builds_strictly_with_pictures_from_the_demo(tmp_path: Path) -> None:
    """`mkdocs build --strict`: a broken link, a missing anchor or a page left out of the
    navigation fails it. The first build on a machine runs the demo for the pictures."""
    from PIL import Image

    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, timeout=1800,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING" not in result.stderr, result.stderr[-3000:]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'src="images/kit-page.png"' in index
    assert "hiring guide build" in (site / "reference" / "cli" / "index.html").read_text(
        encoding="utf-8")
    for uri in _pictures():
        with Image.open(site / uri) as picture:
            # An A4 page at 80 dpi, portrait, with print on it (not a blank page).
            assert picture.format == "PNG"
            # 210 x 297 mm at 80 dpi = 661.4 x 935.4 pixels; pdftoppm rounds up.
            assert (picture.width, picture.height) == (662, 936), uri
            grey = picture.convert("L")
            dark = sum(grey.histogram()[:128])
            assert dark > 0.01 * picture.width * picture.height, uri
    # Included from elsewhere in the repository, as they are.
    bank_format = (site / "reference" / "bank-format" / "index.html").read_text(encoding="utf-8")
    assert "Question banks" in bank_format
