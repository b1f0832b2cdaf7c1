"""The container image: Debian slim with Pango and Noto CJK, hiring from the lock. Its build
and a `hiring demo` inside it run where a Docker engine answers; elsewhere they are skipped
with the reason. The Dockerfile's system packages are checked everywhere."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def _makefile_packages() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^SYSTEM_PACKAGES := (.+)$", makefile, re.M)
    assert line is not None
    return set(line[1].split())


def test_the_image_has_what_weasyprint_and_the_languages_need() -> None:
    installed = set(re.findall(r"\b(lib[a-z0-9.-]+|fonts-[a-z0-9-]+)\b", DOCKERFILE))
    # Every runtime package `make demo` installs (not the tests' poppler, chromium, zsh, fish).
    runtime = _makefile_packages() - {"poppler-utils", "chromium", "zsh", "fish"}
    assert runtime <= installed, runtime - installed
    assert "FROM python:3.11-slim-bookworm" in DOCKERFILE  # Debian slim
    assert "--require-hashes" in DOCKERFILE and "requirements/run.lock" in DOCKERFILE
    assert "USER hiring" in DOCKERFILE


def _docker_engine() -> str | None:
    """Why there is no usable Docker engine here, or None when there is one."""
    if shutil.which("docker") is None:
        return "no docker command on this machine"
    result = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"],
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        return "docker info failed: " + (result.stderr.strip().splitlines() or ["?"])[-1]
    return None


@pytest.mark.slow
def test_the_image_builds_and_runs_the_demo(tmp_path: Path) -> None:
    missing = _docker_engine()
    if missing:
        pytest.skip(f"Docker image not built: {missing}; it is built and run where a "
                    "Docker engine is available")
    tag = "hiring-test:latest"
    build = subprocess.run(["docker", "build", "-q", "-t", tag, str(ROOT)],
                           capture_output=True, text=True, timeout=3600)
    assert build.returncode == 0, build.stderr[-3000:]
    out = tmp_path / "out"
    out.mkdir(mode=0o777)
    out.chmod(0o777)  # the image runs as an unprivileged user
    demo = subprocess.run(["docker", "run", "--rm", "-v", f"{out}:/work", tag, "demo", "--out",
                           "/work/demo", "--lang", "zh"],
                          capture_output=True, text=True, timeout=1800)
    assert demo.returncode == 0, demo.stderr[-3000:]
    report = out / "demo" / "comparison-report.pdf"
    assert report.is_file()
    text = subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True,
                          check=True).stdout
    import yaml

    strings = yaml.safe_load((ROOT / "templates" / "strings.yaml").read_text(encoding="utf-8"))
    assert strings["report_title"]["zh"] in text  # Chinese printed: the CJK font is there
