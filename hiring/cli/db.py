"""``hiring db``: a full backup as JSON, its restore, and a copy to another database."""

from pathlib import Path
from typing import Annotated

import typer

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
                   include_group_data: GroupDataOption = False) -> None:
    """Write every table (candidates, interviews, ratings, recommendations, consensus,
    outcomes, audit log) and the schema version to one JSON file; group data only with
    --include-group-data.

    Example: hiring db export backup.json
    """
    from hiring.store import open_store
    from hiring.store.backup import export_backup

    with open_store(settings_of(ctx).db) as store:
        backup = export_backup(store, file, include_group_data)
        location = store.location
    typer.echo(
        f"exported {location} (schema version {backup.schema_version}) to {file}: "
        f"{_counts(backup.counts())} rows"
    )
    _left_out(backup.left_out, "special-category data: add --include-group-data to export it")


@app.command("import")
def import_command(ctx: typer.Context, file: FileArgument) -> None:
    """Restore a backup into an empty database (all or nothing; every row checked first).

    Example: hiring --db postgresql://hiring@db.example.com/hiring db import backup.json
    """
    from hiring.store import open_store
    from hiring.store.backup import read_backup, restore

    backup = read_backup(file)  # checked before the database is opened or created
    with open_store(settings_of(ctx).db) as store:
        counts = restore(store, backup)
        location = store.location
    typer.echo(f"imported {file} into {location}: {_counts(counts)} rows")
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
) -> None:
    """Copy everything from the database in use (--db) into an empty one, in one command;
    group data only with --include-group-data.

    Example: hiring db copy --to postgresql://hiring@db.example.com/hiring
    """
    from hiring.store import open_store
    from hiring.store.backup import copy_database

    with open_store(settings_of(ctx).db) as source:
        location, counts, left_out = copy_database(source, to, include_group_data)
        origin = source.location
    typer.echo(f"copied {origin} to {location}: {_counts(counts)} rows")
    _left_out(left_out, "special-category data: add --include-group-data to copy it")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="db")
