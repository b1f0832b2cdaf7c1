"""What issue 14 added to the reports: intervals and bands in the reliability table and
the "Before you decide" box, erased candidates kept in the statistics, rounds shown
separately, blind review, and evidence by competency. Real store, real renderer."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest

from hiring.bank import load_bank
from hiring.reports.build import build_compare_report
from hiring.store import add_candidate, set_score
from tests.report_reference import report_reliability_figures as reliability_figures

ROLE = "inbound-agent"
SMALL_BANK = Path(__file__).parent / "fixtures" / "small_bank"
INTERVIEWERS = ("Eve", "Finn", "Gus")
# 10 candidates x 3 interviewers, both competencies, panel round; hand-picked to vary.
TEAMWORK = [(5, 4, 5), (2, 1, 2), (3, 3, 4), (1, 2, 1), (4, 4, 5), (3, 2, 3), (5, 5, 4),
            (2, 2, 3), (4, 3, 4), (1, 1, 2)]
AVOIDING = [(3, 2, 3), (0, 1, 0), (2, 2, 1), (1, 0, 0), (3, 3, 2), (1, 2, 1), (3, 3, 3),
            (1, 1, 2), (2, 3, 2), (0, 0, 1)]
NAMES = [f"Person{i} Surname{i}" for i in range(10)]


@pytest.fixture(scope="module")
def bank():  # type: ignore[no-untyped-def]
    return load_bank([SMALL_BANK])


@pytest.fixture
def pool(store, bank):  # type: ignore[no-untyped-def]
    for name, teamwork, avoiding in zip(NAMES, TEAMWORK, AVOIDING, strict=True):
        add_candidate(store, name, role=ROLE)
        for who, t, a in zip(INTERVIEWERS, teamwork, avoiding, strict=True):
            set_score(store, bank, name, who, "teamwork", t, round_id="panel",
                      note=f"{name.split()[0]} worked well; {who} saw it")
            set_score(store, bank, name, who, "avoiding-arguments", a, round_id="panel",
                      note=f"{name} stayed calm")
    return store


def _rounded(rows: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    return [{k: round(v, 9) if isinstance(v, float) else v for k, v in r.items()} for r in rows]


def _text(html: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


def test_reliability_table_and_watch_box_show_the_intervals(pool, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    figures = reliability_figures(pool, bank, ROLE, "panel")
    overall = {r["measure"]: r for r in figures["rows"] if r["competency"] == "overall"}
    icc = overall["ICC(2,1)"]
    alpha = overall["alpha(interval)"]
    assert icc["value"] is not None and icc["low"] < icc["value"] < icc["high"]
    out = tmp_path / "compare.html"
    build_compare_report(pool, bank, ROLE, "panel", None, "en", None, out)
    html = out.read_text(encoding="utf-8")
    watch = html.split("Before you decide", 1)[1].split("</div>", 1)[0]

    def interval(row: dict) -> str:  # type: ignore[type-arg]
        return f"[{row['low']:.2f}, {row['high']:.2f}]".replace("-", "−")

    from hiring.scoring.reliability import band_word

    # The figures give the bands as ids; the page says them in words.
    assert f"ICC(2,1) {icc['value']:.2f} {interval(icc)} {band_word(icc['bands'])}" in _text(
        watch)
    assert f"α {alpha['value']:.2f} {interval(alpha)}" in _text(watch)
    table = html.split('class="grid reliability"', 1)[1].split("</table>", 1)[0]
    for row in figures["rows"]:
        if row["low"] is not None:
            assert interval(row) in table, row
    assert "How the numbers are made" in html and "McGraw and Wong (1996)" in html


def test_erased_candidates_count_in_statistics_not_in_ranking(pool, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from hiring.store import erase_candidate

    before = reliability_figures(pool, bank, ROLE)
    assert (before["candidates"], before["ratings"]) == (10, 60)
    out_before = tmp_path / "before.html"
    build_compare_report(pool, bank, ROLE, None, None, "en", None, out_before)
    erase_candidate(pool, NAMES[0])
    erase_candidate(pool, NAMES[3])
    after = reliability_figures(pool, bank, ROLE)
    # Before the fix: 8 candidates, 48 ratings, and every figure changed.
    assert (after["candidates"], after["ratings"], after["erased_candidates"]) == (10, 60, 2)
    assert _rounded(after["rows"]) == _rounded(before["rows"])  # same figures (to 1e-9)
    out = tmp_path / "after.html"
    build_compare_report(pool, bank, ROLE, None, None, "en", None, out)
    html = out.read_text(encoding="utf-8")
    text = _text(html)
    for erased in (NAMES[0], NAMES[3]):
        assert erased not in html and erased.split()[0] + " " not in text
    assert "erased-" not in html  # never by their placeholder name either
    assert "plus 2 erased candidates, anonymised" in text
    ranking = html.split('class="grid ranking', 1)[1].split("</table>", 1)[0]
    assert ranking.count("<tr") == 1 + 8  # header + the 8 remaining candidates
    # Calibration still rests on all 60 ratings: per interviewer, 20 shared ratings and
    # 20 ratings (16 and 16 without the erased two).
    calibration = html.split("Interviewer calibration", 1)[1].split("</table>", 1)[0]
    assert len(re.findall(r'<td class="num">20</td>', calibration)) == 6
    before_html = out_before.read_text(encoding="utf-8")
    reliability = html.split('class="grid reliability"', 1)[1].split("</table>", 1)[0]
    assert reliability == before_html.split('class="grid reliability"', 1)[1].split(
        "</table>", 1)[0]


@pytest.fixture
def two_rounds(store, bank):  # type: ignore[no-untyped-def]
    """Ann and Bo in a screen (Eve alone; the screen rates avoiding-arguments only) and a
    panel (Finn and Gus, both competencies)."""
    for name in ("Ann Lee", "Bo Berg"):
        add_candidate(store, name, role=ROLE)
    set_score(store, bank, "Ann Lee", "Eve", "avoiding-arguments", 0, round_id="screen")
    set_score(store, bank, "Bo Berg", "Eve", "avoiding-arguments", 3, round_id="screen")
    panel = {("Ann Lee", "Finn"): (5, 3), ("Ann Lee", "Gus"): (4, 2),
             ("Bo Berg", "Finn"): (3, 1), ("Bo Berg", "Gus"): (2, 2)}
    for (name, who), (teamwork, avoiding) in panel.items():
        set_score(store, bank, name, who, "teamwork", teamwork, round_id="panel")
        set_score(store, bank, name, who, "avoiding-arguments", avoiding, round_id="panel")
    return store


def test_candidate_report_shows_each_round_separately(two_rounds, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from hiring.reports.build import build_candidate_report

    out = tmp_path / "ann.html"
    build_candidate_report(two_rounds, bank, "Ann Lee", ROLE, None, "en", None, out)
    text = _text(out.read_text(encoding="utf-8"))
    # By hand, avoiding-arguments: screen 0 (Eve); panel (3 + 2) / 2 = 2.5. Pooled:
    # (0 + 3 + 2) / 3 = 1.7, which must not appear as Ann's mean.
    assert "Round: screen" in text and "Round: panel" in text
    screen, panel = text.split("Round: screen", 1)[1].split("Round: panel")
    assert "Eve 0" in screen and "Finn" not in screen
    assert "Finn 3, Gus 2" in panel and "2.5" in panel and "Eve" not in panel
    assert "Rounds pooled" not in text and "1.7" not in text

    pooled = tmp_path / "ann-pooled.html"
    build_candidate_report(two_rounds, bank, "Ann Lee", ROLE, None, "en", None, pooled,
                           pool_rounds=True)
    pooled_text = _text(pooled.read_text(encoding="utf-8"))
    assert "Rounds pooled: screen, panel (one mean over all rounds)" in pooled_text
    assert "1.7" in pooled_text

    one = tmp_path / "ann-panel.html"
    build_candidate_report(two_rounds, bank, "Ann Lee", ROLE, "panel", "en", None, one)
    one_text = _text(one.read_text(encoding="utf-8"))
    assert "Eve" not in one_text and "2.5" in one_text
    assert "Round: " not in one_text and "Rounds pooled" not in one_text


def test_pool_rounds_and_round_together_are_refused(two_rounds, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from hiring.errors import InputError
    from hiring.reports.build import build_candidate_report

    out = tmp_path / "x.html"
    with pytest.raises(InputError, match="not both"):
        build_candidate_report(two_rounds, bank, "Ann Lee", ROLE, "panel", "en", None, out,
                               pool_rounds=True)
    assert not out.exists()


def _all_name_parts() -> set[str]:
    return {part for name in NAMES for part in name.split()} | set(NAMES)


def test_blind_pdf_has_no_name_anywhere_and_a_separate_key(pool, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import csv
    import subprocess

    from pypdf import PdfReader

    out = tmp_path / "blind.pdf"
    result = build_compare_report(pool, bank, ROLE, "panel", None, "en", None, out,
                                  pdf_variant="pdf/a-3b", blind=True, seed=7, detail=3)
    key = tmp_path / "blind-key.csv"
    assert result.key == key and key.exists()
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    reader = PdfReader(out)
    texts = [text, " ".join(page.extract_text() or "" for page in reader.pages)]
    texts += [str(v) for v in (reader.metadata or {}).values()]
    attachments = reader.attachments
    assert set(attachments) == {"ratings.csv", "ratings.json"}
    texts += [blob.decode("utf-8") for blobs in attachments.values() for blob in blobs]
    lowered = [t.lower() for t in texts]
    for part in _all_name_parts():
        for where, body in zip(("pdftotext", "pypdf", *range(len(texts))), lowered,
                               strict=False):
            assert part.lower() not in body, (part, where)
    assert "C-01" in text and "C-10" in text and "Blind review." in text
    assert "[name] worked well" in text  # the note kept, the name taken out
    rows = list(csv.reader(key.open(encoding="utf-8")))
    assert rows[0] == ["code", "candidate_id", "name"]
    mapping = {r[0]: r[2] for r in rows[1:11]}
    assert sorted(mapping.values()) == sorted(NAMES)
    assert rows[-1][:2] == ["seed", "7"]
    # Random order: the codes do not follow the order the candidates were added in.
    assert [mapping[f"C-{i:02d}"] for i in range(1, 11)] != NAMES

    # Stable: the same seed gives the same key; another seed another order.
    again = tmp_path / "again.html"
    build_compare_report(pool, bank, ROLE, "panel", None, "en", None, again, blind=True,
                         seed=7)
    assert (tmp_path / "again-key.csv").read_text() == key.read_text()
    other = tmp_path / "other.html"
    build_compare_report(pool, bank, ROLE, "panel", None, "en", None, other, blind=True,
                         seed=8, key_out=tmp_path / "other.key")
    assert (tmp_path / "other.key").read_text() != key.read_text()


def test_the_same_report_without_blind_is_unchanged(pool, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plain = tmp_path / "plain.html"
    result = build_compare_report(pool, bank, ROLE, "panel", None, "en", None, plain)
    html = plain.read_text(encoding="utf-8")
    assert result.key is None and not list(tmp_path.glob("*key*"))
    assert all(name in html for name in NAMES) and "C-01" not in html
    assert "Person0 worked well" in html and "Blind review" not in html
    blind = tmp_path / "blind.html"
    build_compare_report(pool, bank, ROLE, "panel", None, "en", None, blind, blind=True,
                         seed=1)
    # Figures do not depend on names: the reliability table is the same.
    def table(path: Path) -> str:
        return path.read_text(encoding="utf-8").split('class="grid reliability"')[1].split(
            "</table>")[0]
    assert table(plain) == table(blind)


def test_competency_report_shows_all_evidence_side_by_side(pool, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from hiring.errors import InputError
    from hiring.reports.build import build_competency_report

    out = tmp_path / "teamwork.html"
    result = build_competency_report(pool, bank, "teamwork", ROLE, "panel", None, "en", None,
                                     out)
    assert result.candidates == 10
    html = out.read_text(encoding="utf-8")
    table = _text(html.split('class="grid fixed by-competency"', 1)[1].split("</table>")[0])
    flat = re.sub(r"\s+", " ", table)
    for name, scores in zip(NAMES, TEAMWORK, strict=True):
        assert name in table
        for who, score in zip(INTERVIEWERS, scores, strict=True):
            expected = f"{who} ({score}): {name.split()[0]} worked well; {who} saw it"
            assert re.sub(r"\s", "", expected) in re.sub(r"\s", "", table)
    assert "stayed calm" not in table  # avoiding-arguments notes stay out
    # Ranked by teamwork: Person6 (5, 5, 4) and Person0 (5, 4, 5) share the top with 4.7
    # (Person6 first: higher overall); Person3 and Person9 (1.3) share the bottom.
    assert table.index(NAMES[6]) < table.index(NAMES[0]) < table.index(NAMES[9])
    assert re.search(rf"1= {NAMES[6]} \(Overall [\d.]+\) 4\.7", flat), flat
    assert re.search(rf"1= {NAMES[0]} \(Overall [\d.]+\) 4\.7", flat)
    assert re.search(rf"9= {NAMES[9]} \(Overall [\d.]+\) 1\.3", flat)
    missing = tmp_path / "nope.html"
    with pytest.raises(InputError, match="typing-speed"):
        build_competency_report(pool, bank, "typing-speed", ROLE, "panel", None, "en", None,
                                missing)
    assert not missing.exists()
    blind = tmp_path / "blind.html"
    build_competency_report(pool, bank, "teamwork", ROLE, "panel", None, "en", None, blind,
                            blind=True, seed=2)
    blind_html = blind.read_text(encoding="utf-8")
    assert not any(part in blind_html for part in _all_name_parts())
    assert (tmp_path / "blind-key.csv").exists()


def test_blind_options_are_checked_before_anything_is_written(pool, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from hiring.errors import InputError

    out = tmp_path / "out" / "r.html"
    for kwargs, message in (({"seed": 3}, "only apply with --blind"),
                            ({"blind": True, "seed": -1}, "0 or more"),
                            ({"blind": True, "key_out": out}, "another file")):
        with pytest.raises(InputError, match=message):
            build_compare_report(pool, bank, ROLE, "panel", None, "en", None, out,
                                 **kwargs)  # type: ignore[arg-type]
        assert not out.parent.exists()


def test_archive_attachments_hold_every_rating_statistics_use(pool, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The PDF/A's ratings.csv and ratings.json let a reader recompute the figures: after
    an erasure they used to leave out the erased candidates' anonymised ratings, which
    the statistics keep (48 of the 60 ratings)."""
    import csv
    import io
    import json

    from pypdf import PdfReader

    from hiring.store import erase_candidate

    erase_candidate(pool, NAMES[0])
    erase_candidate(pool, NAMES[3])
    used = reliability_figures(pool, bank, ROLE)["ratings"]
    out = tmp_path / "archive.pdf"
    build_compare_report(pool, bank, ROLE, None, None, "en", None, out, pdf_variant="pdf/a-3b")
    attachments = PdfReader(out).attachments
    rows = list(csv.DictReader(io.StringIO(attachments["ratings.csv"][0].decode("utf-8"))))
    assert len(rows) == used == 60
    erased = [r for r in rows if r["candidate"].startswith("erased candidate")]
    assert len(erased) == 12 and {r["candidate"] for r in erased} == {
        "erased candidate 1", "erased candidate 2"}
    assert all(r["candidate_id"] == "" and r["note"] == "" for r in erased)
    # Their scores, by interviewer and competency, as entered (checked against the table).
    first = sorted((r["interviewer"], r["competency"], int(r["score"])) for r in erased
                   if r["candidate"] == "erased candidate 1")
    assert first == sorted([(who, "teamwork", t) for who, t in zip(INTERVIEWERS, TEAMWORK[0],
                                                                   strict=True)]
                           + [(who, "avoiding-arguments", a)
                              for who, a in zip(INTERVIEWERS, AVOIDING[0], strict=True)])
    payload = json.loads(attachments["ratings.json"][0])
    assert len(payload["ratings"]) + len(payload["erased_ratings"]) == 60
    blobs = " ".join(b.decode("utf-8") for blobs in attachments.values() for b in blobs)
    for part in ("Person0", "Surname0", "Person3", "Surname3"):
        assert part not in blobs
