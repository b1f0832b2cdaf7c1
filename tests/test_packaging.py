"""The bundled bank and templates ship inside the wheel, so an installed hiring finds them."""

from __future__ import annotations

import json
import os
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


def _locked_wheelhouse() -> Path:
    """The run lock's files, downloaded once (hashes checked) into build/wheelhouse/: the
    same files `make demo` installs, so later runs need no network."""
    wheelhouse = ROOT / "build" / "wheelhouse"
    lock = ROOT / "requirements" / "run.lock"
    stamp = wheelhouse / ".complete"
    if stamp.is_file() and stamp.read_text() == lock.read_text():
        return wheelhouse
    wheelhouse.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--require-hashes", "--no-deps",
         "-r", str(lock), "-d", str(wheelhouse)],
        capture_output=True, text=True, timeout=1800,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    stamp.write_text(lock.read_text())
    return wheelhouse


@pytest.mark.slow
def test_the_wheel_installed_in_a_clean_venv_runs_the_demo(tmp_path: Path) -> None:
    """What `pipx install hiring-*.whl` does: a virtual environment of its own (no system or
    test packages visible), the locked dependencies and the wheel, then the console script,
    run from an unrelated folder."""
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist), str(ROOT)], check=True, capture_output=True)
    wheel = next(dist.glob("hiring-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}"
                                ".dist-info/METADATA").decode()
    assert "License-Expression: MIT" in metadata  # PEP 639
    # No invented project URLs: the project has no public home yet (pyproject.toml says so).
    assert "Project-URL" not in metadata
    assert "Classifier: Programming Language :: Python :: 3.11" in metadata

    target = tmp_path / "pipx-venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(target)
    python = target / "bin" / "python"
    wheelhouse = _locked_wheelhouse()
    for args in (["--require-hashes", "-r", str(ROOT / "requirements" / "run.lock")],
                 [str(wheel)]):
        result = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--no-index", "--find-links",
             str(wheelhouse), "--no-deps", *args],
            capture_output=True, text=True, timeout=1800,
        )
        assert result.returncode == 0, result.stderr[-3000:]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    hiring = target / "bin" / "hiring"
    info = subprocess.run([str(hiring), "--info"], cwd=elsewhere, env=env,
                          capture_output=True, text=True, timeout=600)
    assert info.returncode == 0, info.stderr
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True
                          ).stdout.strip()
    assert f"({site}/hiring)" in info.stdout  # the wheel's copy, not the checkout's
    assert f"bundled ({site}/hiring/_data/question_banks)" in info.stdout

    demo = subprocess.run([str(hiring), "demo", "--out", "demo"], cwd=elsewhere, env=env,
                          capture_output=True, text=True, timeout=1800)
    assert demo.returncode == 0, demo.stderr
    assert len(list((elsewhere / "demo" / "guides").glob("*.pdf"))) == 8
    report = subprocess.run(["pdftotext", str(elsewhere / "demo" / "comparison-report.pdf"),
                             "-"], capture_output=True, text=True, check=True).stdout
    assert "Inbound call-centre agent" in report
