"""A batch lays a round out once and stamps each candidate's names onto a copy: every
file reads back with its own names and otherwise the same pages as a guide built alone."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from hiring.bank import load_bank
from hiring.guides.batch import BatchOptions, CandidateRow, run_batch
from hiring.guides.build import write_guide
from hiring.guides.context import GuideRequest

NAMES = ["Anna Berg", "王小明", "Иван <b>Петров</b>"]


def _pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [re.sub(r"\s+", "", page) for page in out.split("\f")[:-1]]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_stamped_guide_has_its_own_names(tmp_path: Path, lang: str) -> None:
    rows = [CandidateRow(line=n + 2, name=name, interviewer=f"Ole {n}")
            for n, name in enumerate(NAMES)]
    options = BatchOptions(role="inbound-agent", round="screen", lang=lang)
    results = run_batch(rows, tmp_path / "out", options, workers=1)
    assert [r.error for r in results] == [None, None, None]
    alone = write_guide(load_bank(), GuideRequest(role="inbound-agent", round="screen",
                                                  lang=lang, candidate=NAMES[0],
                                                  interviewer="Ole 0"), tmp_path / "alone.pdf")
    for n, result in enumerate(results):
        assert result.path is not None
        pages = _pages(result.path)
        own = re.sub(r"\s+", "", NAMES[n])
        others = [re.sub(r"\s+", "", x) for x in NAMES if x != NAMES[n]]
        assert own in pages[0] and f"Ole{n}" in pages[0]  # the cover
        for page in pages[1:]:  # the running header of every other page
            assert page.count(own) >= 1
        assert f"Ole{n}" in pages[-1]  # the scorecard's interviewer line
        assert not any(other in page for other in others for page in pages)
        assert PdfReader(result.path).metadata.title.endswith(NAMES[n])
        # Other tools can rewrite the copy: the first stamping put a content stream directly
        # into a page's /Contents array, and pypdf failed to clone the file.
        assert len(PdfWriter(clone_from=str(result.path)).pages) == len(pages)
        manifest = json.loads(Path(f"{result.path}.manifest.json").read_text())
        assert (manifest["candidate"], manifest["interviewer"]) == (NAMES[n], f"Ole {n}")
    # Apart from where the names print, the same pages as the guide built on its own.
    assert _pages(results[0].path) == _pages(alone.path)  # type: ignore[arg-type]


@pytest.mark.slow
def test_stamped_fillable_guides_carry_their_own_manifest(tmp_path: Path) -> None:
    rows = [CandidateRow(line=2, name="Anna", interviewer="Ole"),
            CandidateRow(line=3, name="Bo", interviewer="Kim")]
    options = BatchOptions(role="inbound-agent", round="screen", lang="da", fillable=True)
    results = run_batch(rows, tmp_path / "out", options, workers=1)
    for result, (name, interviewer) in zip(results, [("Anna", "Ole"), ("Bo", "Kim")],
                                           strict=True):
        assert result.error is None and result.path is not None
        reader = PdfReader(result.path)
        manifest = json.loads(reader.attachments["hiring-guide-manifest.json"][0])
        assert (manifest["candidate"], manifest["interviewer"]) == (name, interviewer)
        assert reader.get_fields()["interviewer"]["/V"] == interviewer
        assert "/NeedAppearances" in reader.trailer["/Root"]["/AcroForm"]


def test_templates_without_name_spots_still_get_their_names(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "guide.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block running_header %}{% endblock %}'
        "{% block content %}<p>Guide for {{ guide.candidate }}</p>{% endblock %}"
    )
    rows = [CandidateRow(line=2, name="Anna"), CandidateRow(line=3, name="Bo")]
    options = BatchOptions(role="inbound-agent", templates_dir=tmp_path / "t")
    results = run_batch(rows, tmp_path / "out", options, workers=1)
    for result, name in zip(results, ["Anna", "Bo"], strict=True):
        assert result.path is not None
        assert f"Guidefor{name}" in "".join(_pages(result.path))


def test_a_written_round_batch_writes_each_candidates_handout(tmp_path: Path) -> None:
    rows = [CandidateRow(line=2, name="Quentin Zorbas", interviewer="Ole"),
            CandidateRow(line=3, name="Xavier Yuen", interviewer="Kim")]
    options = BatchOptions(role="chat-email-agent", round="written", lang="bg")
    results = run_batch(rows, tmp_path / "out", options, workers=1)
    assert [r.error for r in results] == [None, None]
    handouts = [r.handout for r in results]
    assert all(h is not None and h.name.endswith(".handout.pdf") for h in handouts)
    texts = [_pages(h) for h in handouts if h is not None]
    assert len(texts[0]) == 4 and texts[0] == texts[1]  # names nobody: the same sheets
    assert not any(part in page for page in texts[0]
                   for part in ("Quentin", "Zorbas", "Xavier", "Yuen"))
    # An interview round's batch writes none.
    plain = run_batch(rows[:1], tmp_path / "panel", BatchOptions(role="inbound-agent",
                                                                round="screen"), workers=1)
    assert plain[0].handout is None and not list((tmp_path / "panel").glob("*.handout.*"))
