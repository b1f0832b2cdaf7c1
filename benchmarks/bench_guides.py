"""Guide rendering speed and memory. Run: python -m benchmarks.bench_guides [--guides 40]

Prints:
- a guide's PDF through ``hiring guide build`` vs ``weasyprint`` (the command line) on the
  same guide's standalone HTML, both as fresh processes (target: ratio <= 1.15);
- the same in one warm process: ``write_guide`` (cached fonts and stylesheet) vs
  ``HTML(...).write_pdf()`` from scratch;
- a batch of N guides with 1 and 2 workers (target: speed-up >= 1.7 on 2 cores);
- peak RSS of a batch worker (target: < 300 MB);
- ``--only kit``: side by side, one ``hiring guide build`` of the inbound-agent panel vs a
  ``hiring guide batch`` of N candidates of that round (laid out once per worker, names
  stamped; target: batch <= 4x one build; the same for fillable guides), a fillable build
  vs a plain one (target <= 1.3x), and the Chinese fillable guide's size (targets < 5 MB
  and <= 3x the plain one);
- ``--only import``: ``hiring score import`` of N filled fillable guides (the bundled
  inbound-agent panel, each filled with pypdf for its own candidate), as a fresh process on
  a fresh copy of the database (target: 40 within 10 s).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import ROOT, child_environment, interleaved_medians

BANK = ROOT / "tests" / "fixtures" / "five_lang_bank"


def bench_single(work: Path, repeats: int) -> None:
    from hiring.bank import load_bank
    from hiring.guides.build import render_guide_html, write_guide
    from hiring.guides.context import GuideRequest, build_guide

    bank = load_bank([BANK])
    for lang, name in (("en", "Anna Berg"), ("ru", "Иван Петров"), ("zh", "王小明")):
        request = GuideRequest(role="inbound-agent", round="panel", candidate=name, lang=lang)
        html_path = work / f"guide-{lang}.html"
        html_path.write_text(render_guide_html(build_guide(bank, request)), encoding="utf-8")
        weasy = shutil.which("weasyprint") or str(Path(sys.executable).parent / "weasyprint")
        ours_cmd = [sys.executable, "-m", "hiring", "--bank", str(BANK), "guide", "build",
                    "--role", "inbound-agent", "--round", "panel", "--candidate", name,
                    "--lang", lang, "--out", str(work / f"ours-{lang}.pdf")]
        # Like for like: hiring writes tagged PDF/UA-1 (issue 23), so WeasyPrint does too.
        theirs_cmd = [weasy, "--pdf-variant", "pdf/ua-1", str(html_path),
                      str(work / f"theirs-{lang}.pdf")]
        medians = interleaved_medians({"ours": ours_cmd, "theirs": theirs_cmd}, repeats)
        ours, theirs = medians["ours"], medians["theirs"]
        print(f"[{lang}] process: hiring guide build {ours:.2f} s, weasyprint CLI {theirs:.2f} s,"
              f" ratio {ours / theirs:.2f} (target <= 1.15; medians of {repeats}, interleaved)")

        from weasyprint import HTML

        write_guide(bank, request, work / "warm.pdf")  # warm the caches
        warm, plain, pages = [], [], 0
        for _ in range(repeats):
            start = time.perf_counter()
            result = write_guide(bank, request, work / "warm.pdf")
            warm.append(time.perf_counter() - start)
            start = time.perf_counter()
            HTML(filename=str(html_path)).write_pdf(work / "plain.pdf", pdf_variant="pdf/ua-1")
            plain.append(time.perf_counter() - start)
            pages = result.pages or 0
        w, p = statistics.median(warm), statistics.median(plain)
        print(f"[{lang}] in-process ({pages} pages): write_guide {w:.3f} s "
              f"({pages / w:.1f} pages/s), HTML().write_pdf {p:.3f} s, ratio {w / p:.2f}")


def bench_batch(work: Path, guides: int) -> None:
    from hiring.guides.batch import BatchOptions, run_batch
    from hiring.guides.batch_rows import read_candidates

    csv = work / "people.csv"
    langs = ["en", "da", "ru", "bg", "zh"]
    csv.write_text("name,lang\n" + "".join(
        f"Person {i},{langs[i % 5]}\n" for i in range(guides)), encoding="utf-8")
    rows, _ = read_candidates(csv)
    options = BatchOptions(role="inbound-agent", bank_dirs=[BANK], round="panel")
    timings = {}
    for workers in (1, 2):
        out = work / f"batch-{workers}"
        start = time.perf_counter()
        results = run_batch(rows, out, options, workers=workers)
        timings[workers] = time.perf_counter() - start
        failed = [r for r in results if r.error]
        print(f"batch of {guides} with {workers} worker(s): {timings[workers]:.2f} s "
              f"({guides / timings[workers]:.1f} guides/s), {len(failed)} failed")
    print(f"speed-up 2 vs 1 workers: {timings[1] / timings[2]:.2f} (target >= 1.7; "
          f"{os.cpu_count()} cores)")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"peak RSS of a worker: {peak_kb / 1024:.0f} MB (target < 300 MB)")


def bench_kit(work: Path, guides: int, repeats: int) -> None:
    hiring = [sys.executable, "-m", "hiring"]
    build = [*hiring, "guide", "build", "--role", "inbound-agent", "--round", "panel",
             "--candidate", "Anna Berg", "--interviewer", "Ole", "--no-record"]
    csv = work / "round.csv"
    csv.write_text("name,interviewer\n" + "".join(
        f"Person {i},Ole\n" for i in range(guides)), encoding="utf-8")
    commands = {
        "build": [*build, "--out", str(work / "one.pdf")],
        "batch": [*hiring, "guide", "batch", "--role", "inbound-agent", "--round", "panel",
                  "--candidates", str(csv), "--out-dir", str(work / "kits"), "--no-record"],
        "fillable": [*build, "--fillable", "--out", str(work / "one-fillable.pdf")],
        "fillable batch": [*hiring, "guide", "batch", "--role", "inbound-agent", "--round",
                           "panel", "--candidates", str(csv), "--out-dir",
                           str(work / "fillable-kits"), "--no-record", "--fillable"],
    }
    medians = interleaved_medians(commands, repeats)
    one, batch, fillable = medians["build"], medians["batch"], medians["fillable"]
    fillable_batch = medians["fillable batch"]
    print(f"one guide build {one:.2f} s; batch of {guides} (same round, {os.cpu_count()} "
          f"cores) {batch:.2f} s: {batch / one:.2f}x one build (target <= 4; medians of "
          f"{repeats}, interleaved)")
    print(f"fillable build {fillable:.2f} s: {fillable / one:.2f}x the plain one "
          "(target <= 1.3)")
    print(f"fillable batch of {guides} {fillable_batch:.2f} s: "
          f"{fillable_batch / fillable:.2f}x one fillable build (target <= 4)")
    for lang in ("zh", "en"):
        sizes = {}
        for kind in ("plain", "fillable"):
            out = work / f"{lang}-{kind}.pdf"
            extra = ["--fillable"] if kind == "fillable" else []
            subprocess.run([*build, "--lang", lang, *extra, "--out", str(out)], check=True,
                           stdout=subprocess.DEVNULL, cwd=ROOT)
            sizes[kind] = out.stat().st_size
        print(f"[{lang}] plain {sizes['plain'] / 1e6:.2f} MB, fillable "
              f"{sizes['fillable'] / 1e6:.2f} MB: {sizes['fillable'] / sizes['plain']:.2f}x "
              "(targets: < 5 MB, <= 3x)")


def fill_guide(source: Path, target: Path, note: str) -> None:
    """Fill every field of a fillable guide as an interviewer would: evidence in each box,
    the middle of each score's radio group (by position, as pypdf sets radios), a
    recommendation."""
    import logging

    from pypdf import PdfReader, PdfWriter

    # pypdf logs "already parsed" for each widget of a radio group it sets: not a problem.
    logging.getLogger("pypdf").setLevel(logging.ERROR)

    updates: dict[str, str] = {"recommendation": "yes"}
    for name, field in (PdfReader(source).get_fields() or {}).items():
        group = name.split(".")[0]
        if group.startswith("evidence__"):
            updates[group] = f"{note}: {group.removeprefix('evidence__')}"
        elif group.startswith("score__") and "/Opt" in field:
            updates[group] = f"/{len(field['/Opt']) // 2}"
    writer = PdfWriter(clone_from=str(source))
    for page in writer.pages:
        writer.update_page_form_field_values(page, updates, auto_regenerate=False)
    writer.write(str(target))


def bench_pdf_import(work: Path, guides: int, repeats: int) -> None:
    db = work / "import.db"
    hiring = [sys.executable, "-m", "hiring", "--db", str(db)]
    csv = work / "import-round.csv"
    csv.write_text("name,interviewer\n" + "".join(
        f"Person {i},Ole\n" for i in range(guides)), encoding="utf-8")
    start = time.perf_counter()
    subprocess.run([*hiring, "guide", "batch", "--role", "inbound-agent", "--round", "panel",
                    "--candidates", str(csv), "--out-dir", str(work / "forms"), "--fillable"],
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=child_environment())
    built = time.perf_counter() - start
    filled = []
    for n, form in enumerate(sorted((work / "forms").glob("*.pdf"))):
        target = work / f"filled-{n:03d}.pdf"
        fill_guide(form, target, f"Evidence {n}")
        filled.append(str(target))
    assert len(filled) == guides, filled
    pristine = work / "import-pristine.db"
    shutil.copyfile(db, pristine)
    times = []
    for _ in range(repeats):
        shutil.copyfile(pristine, db)  # every run imports into the same fresh store
        start = time.perf_counter()
        done = subprocess.run([*hiring, "score", "import", *filled], check=True,
                              capture_output=True, text=True, cwd=ROOT, env=child_environment())
        times.append(time.perf_counter() - start)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    print(f"set-up: guide batch --fillable of {guides} {built:.1f} s (not timed below)")
    print(f"score import of {guides} filled PDFs: {statistics.median(times):.2f} s (target "
          f"<= 10 s; median of {repeats}, fresh store each run); it said: {last}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--only", choices=["batch", "single", "kit", "import"],
                        help="Run one benchmark only (default: all, in this order).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # batch first: RUSAGE_CHILDREN then holds only its workers.
        if args.only in (None, "batch"):
            bench_batch(work, args.guides)
        if args.only in (None, "single"):
            bench_single(work, args.repeats)
        if args.only in (None, "kit"):
            bench_kit(work, args.guides, min(args.repeats, 3))
        if args.only in (None, "import"):
            bench_pdf_import(work, args.guides, min(args.repeats, 3))


if __name__ == "__main__":
    main()
