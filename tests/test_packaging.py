"""The bundled bank and templates ship inside the wheel, so an installed hiring finds them."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_install_lists_bundled_bank_from_another_directory(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("hiring-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "hiring/_data/question_banks/scales.yaml" in names
    assert any(name.startswith("hiring/_data/templates/") for name in names)
    # The JSON Schemas of every --json output travel with the package (for scripts).
    assert "hiring/schemas/report-compare.schema.json" in names
    assert "hiring/_data/question_banks/decision_reasons.yaml" in names

    # A fresh venv; dependencies are borrowed from this interpreter's site-packages through a
    # .pth file (a path only: .pth files there, such as an editable install's, are not run),
    # so the test needs no network. hiring itself comes from the wheel, non-editable.
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    with zipfile.ZipFile(wheel) as archive:  # a wheel is installed by unpacking it
        archive.extractall(site)

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    located = subprocess.run(
        [
            str(python),
            "-c",
            "import hiring, hiring.paths as p; print(hiring.__file__); print(p.bundled_bank_dir())",
        ],
        cwd=outside,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    assert located[0].startswith(str(site))
    assert located[1] == str(site / "hiring" / "_data" / "question_banks")

    listed = subprocess.run(
        [str(python), "-m", "hiring", "bank", "list", "--json"],
        cwd=outside,
        capture_output=True,
        text=True,
    )
    assert listed.returncode == 0, listed.stderr
    bundled = sorted(p.stem for p in (ROOT / "question_banks" / "competencies").glob("*.yaml"))
    assert sorted(c["id"] for c in json.loads(listed.stdout)["competencies"]) == bundled
