"""``db copy`` of a 100,000-rating SQLite database to PostgreSQL (target within 30 s).

The SQLite database is filled by ``score import`` (100,000 ratings with notes, 100,000 audit
rows, 5,000 candidates, 50,000 interviews); the copy goes into a fresh PostgreSQL schema,
dropped afterwards. Needs PostgreSQL: ``HIRING_TEST_PG_URL`` (e.g.
postgresql://postgres@127.0.0.1:5432/test); without it the benchmark says so and stops.

Run: python -m benchmarks.bench_db_copy
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import uuid
from pathlib import Path

from benchmarks.bench_store import IMPORT_ROWS, SMALL_BANK, _write_scores
from benchmarks.timing import wall_time

COPY_TARGET_S = 30.0


def bench_copy(folder: Path, pg_url: str) -> float:
    import psycopg

    source = folder / "scores.csv"
    _write_scores(source, IMPORT_ROWS)
    db = folder / "team.db"
    hiring = [sys.executable, "-m", "hiring", "--bank", str(SMALL_BANK), "--db", str(db)]
    wall_time([*hiring, "score", "import", str(source), "--create-candidates"])
    (ratings,) = sqlite3.connect(db).execute("SELECT COUNT(*) FROM ratings").fetchone()
    schema = f"bench_copy_{uuid.uuid4().hex[:12]}"
    separator = "&" if "?" in pg_url else "?"
    target = f"{pg_url}{separator}options=-csearch_path%3D{schema}"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        seconds = wall_time([*hiring, "db", "copy", "--to", target])
        with psycopg.connect(target, autocommit=True) as check:
            row = check.execute("SELECT COUNT(*) FROM ratings").fetchone()
        copied = row[0] if row else 0
    finally:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
    assert copied == ratings, (copied, ratings)
    print(f"db copy, {ratings:,} ratings SQLite -> PostgreSQL (end to end): {seconds:.2f} s "
          f"(target {COPY_TARGET_S:.1f} s) {'OK' if seconds <= COPY_TARGET_S else 'SLOW'}")
    return seconds


def main() -> None:
    pg_url = os.environ.get("HIRING_TEST_PG_URL")
    if not pg_url:
        print("db copy: skipped (set HIRING_TEST_PG_URL to a PostgreSQL database)")
        return
    with tempfile.TemporaryDirectory() as name:
        bench_copy(Path(name), pg_url)


if __name__ == "__main__":
    main()
