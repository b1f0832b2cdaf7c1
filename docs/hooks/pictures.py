"""mkdocs hook: pictures of a kit page and report pages, made from `hiring demo` at build
time, so they always show what this version prints (none is committed by hand).

The demo runs once per version of the code, templates and bank: the PNGs are kept in
``build/docs-pictures/<hash of those files>/`` (``HIRING_DOCS_PICTURES`` names another
folder) and reused until one of those files changes. Needs ``pdftoppm`` (poppler-utils,
installed by ``make docs``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
RESOLUTION = 80  # dots per inch: an A4 page is 662 x 936 pixels
# picture in the site -> (file the demo writes, page number)
PICTURES = {
    "images/kit-page.png": ("guides/anna-jensen.pdf", 3),
    "images/kit-cover.png": ("guides/anna-jensen.pdf", 1),
    "images/report-ranking.png": ("comparison-report.pdf", 1),
    "images/report-scores.png": ("comparison-report.pdf", 2),
}


def _sources_hash() -> str:
    """A hash of everything that changes what the demo prints."""
    from hiring.paths import bundled_bank_dir, bundled_templates_dir

    digest = hashlib.sha256()
    package = Path(__import__("hiring").__file__).resolve().parent
    for folder in (package, bundled_templates_dir(), bundled_bank_dir()):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    digest.update(repr(PICTURES).encode() + str(RESOLUTION).encode())
    return digest.hexdigest()[:16]


def _make_pictures(target: Path) -> None:
    from hiring.bank import load_bank
    from hiring.demo.run import run_demo

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise PluginError("pictures: pdftoppm is not installed (sudo apt-get install "
                          "poppler-utils, or `make docs`, which installs it)")
    with tempfile.TemporaryDirectory(prefix="hiring-docs-") as work:
        demo = Path(work) / "demo"
        run_demo(load_bank(None), demo)
        partial = Path(work) / "pictures"
        partial.mkdir()
        for uri, (pdf, page) in PICTURES.items():
            stem = partial / Path(uri).stem
            subprocess.run([pdftoppm, "-png", "-r", str(RESOLUTION), "-f", str(page), "-l",
                            str(page), "-singlefile", str(demo / pdf), str(stem)],
                           check=True, capture_output=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(partial, target)  # complete or absent: never half a set


def pictures_folder() -> Path:
    base = Path(os.environ.get("HIRING_DOCS_PICTURES") or ROOT / "build" / "docs-pictures")
    folder = base / _sources_hash()
    if not all((folder / Path(uri).name).is_file() for uri in PICTURES):
        _make_pictures(folder)
        for older in base.iterdir():  # pictures of earlier versions of the code
            if older.is_dir() and older != folder:
                shutil.rmtree(older, ignore_errors=True)
    return folder


def on_files(files: Files, config: Any) -> Files:
    folder = pictures_folder()
    for uri in PICTURES:
        files.append(File.generated(config, uri, abs_src_path=str(folder / Path(uri).name)))
    return files


# The README's two pictures: a Git host shows the README without building the site, so these
# two are kept in the repository, written by `make readme-pictures` from the same demo run.
README_PICTURES = ("images/kit-page.png", "images/report-ranking.png")


def write_readme_pictures(target: Path = ROOT / "docs" / "images" / "readme") -> None:
    folder = pictures_folder()
    target.mkdir(parents=True, exist_ok=True)
    for uri in README_PICTURES:
        shutil.copyfile(folder / Path(uri).name, target / Path(uri).name)


if __name__ == "__main__":
    write_readme_pictures()
