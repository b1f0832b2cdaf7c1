"""``hiring db``: a full backup as JSON, its restore, and a copy to another database."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.progress import QuietOption, progress
from hiring.cli.settings import settings_of

app = typer.Typer(
    help="The whole database: export it to one JSON file, import that file into an empty "
    "database, or copy everything to another database (e.g. SQLite to PostgreSQL).",
    no_args_is_help=True,
)

FileArgument = Annotated[Path, typer.Argument(metavar="FILE.json", help="The backup file.")]
GroupDataOption = Annotated[
    bool,
    typer.Option("--include-group-data",
                 help="Also write the candidates' group data (special-category data, left "
                      "out by default)."),
]


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items())


def _left_out(left_out: dict[str, int], note: str) -> None:
    for name, count in left_out.items():
        typer.echo(f"left out: {name} {count} rows ({note})")


@app.command("export")
def export_command(ctx: typer.Context, file: FileArgument,
                   include_group_data: GroupDataOption = False,
                   quiet: QuietOption = False) -> None:
    """Write every table (candidates, interviews, ratings, recommendations, consensus,
    outcomes, audit log) and the schema version to one JSON file; group data only with
    --include-group-data.

    Example: hiring db export backup.json
    """
    from hiring.store import open_store
    from hiring.store.backup import export_backup

    with progress("export", quiet) as step, open_store(settings_of(ctx).db) as store:
        step(f"reading every table and writing {file}")
        backup = export_backup(store, file, include_group_data)
        location = store.location
    typer.echo(
        f"exported {location} (schema version {backup.schema_version}) to {file}: "
        f"{_counts(backup.counts())} rows"
    )
    _left_out(backup.left_out, "special-category data: add --include-group-data to export it")


@app.command("import")
def import_command(ctx: typer.Context, file: FileArgument, quiet: QuietOption = False) -> None:
    """Restore a backup into an empty database (all or nothing; every row checked first).

    Example: hiring --db postgresql://hiring@db.example.com/hiring db import backup.json
    """
    from hiring.store.backup import read_backup, restore_into
    from hiring.store.team_pg import missing_login_line

    with progress("import", quiet) as step:
        step(f"reading and checking {file}")
        backup = read_backup(file)  # checked before the database is opened or created
        step(f"writing {sum(backup.counts().values())} rows")
        location, counts, missing = restore_into(settings_of(ctx).db, backup)
    typer.echo(f"imported {file} into {location}: {_counts(counts)} rows")
    for name, login in missing:  # never created silently
        typer.echo(missing_login_line(name, login))
    _left_out(backup.left_out, "left out of the backup when it was exported")


@app.command("copy")
def copy_command(
    ctx: typer.Context,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="URL|PATH",
            help="The empty database to copy into: a postgresql:// URL or a SQLite file.",
        ),
    ],
    include_group_data: GroupDataOption = False,
    quiet: QuietOption = False,
) -> None:
    """Copy everything from the database in use (--db) into an empty one, in one command;
    group data only with --include-group-data.

    Example: hiring db copy --to postgresql://hiring@db.example.com/hiring
    """
    from hiring.store import open_store
    from hiring.store.backup import copy_database
    from hiring.store.team_pg import missing_login_line

    with progress("copy", quiet) as step, open_store(settings_of(ctx).db) as source:
        location, counts, missing, left_out = copy_database(
            source, to, include_group_data, progress=step)
        origin = source.location
    typer.echo(f"copied {origin} to {location}: {_counts(counts)} rows")
    for name, login in missing:  # never created silently
        typer.echo(missing_login_line(name, login))
    _left_out(left_out, "special-category data: add --include-group-data to copy it")


@app.command("init-team")
def init_team_command(ctx: typer.Context) -> None:
    """Set up the team's rules in a PostgreSQL database (run once by the owner of the
    tables, idempotent): group roles hiring_recruiter, hiring_interviewer, hiring_manager,
    grants, row-level security (rate before you see others), an append-only audit log whose
    'who' the server sets. Then 'hiring team add NAME --role ROLE --login LOGIN' gives each
    person a login.

    Example: hiring --db postgresql://owner@db.example.com/hiring db init-team
    """
    from hiring.store import open_store
    from hiring.store.team_pg import init_team

    with open_store(settings_of(ctx).db) as store:
        done = init_team(store)
        location = store.location
    typer.echo(f"team set up in {location}:")
    for line in done:
        typer.echo(f"  {line}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="db")
