"""``hiring candidate``: add, import, list, show, erase candidates."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.options import JsonOption, one_line, print_json
from hiring.cli.progress import QuietOption, progress
from hiring.cli.settings import open_cli_store, settings_of
from hiring.cli.spreadsheet_options import DelimiterOption, EncodingOption, table_options

app = typer.Typer(
    help="Candidates: add, import, edit, list, show, erase (stored in the database given by --db / "
    "HIRING_DB; default: the 'hiring.db' file in your user data folder, "
    "e.g. ~/.local/share/hiring/hiring.db on Linux).",
    no_args_is_help=True,
)

CandidateArgument = Annotated[str, typer.Argument(metavar="C", help="Candidate id, or exact name.")]
AllowSameNameOption = Annotated[
    bool,
    typer.Option(
        "--allow-same-name",
        help="Add a candidate although an active one has the same name (two people; then "
        "use ids).",
    ),
]


def _known_roles(ctx: typer.Context) -> set[str]:
    return set(settings_of(ctx).bank().roles)


@app.command("add")
def add_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The candidate's full name.")],
    email: Annotated[str | None, typer.Option("--email", help="E-mail address.")] = None,
    role: Annotated[str | None, typer.Option("--role", help="Role id from the bank.")] = None,
    allow_same_name: AllowSameNameOption = False,
) -> None:
    """Add a candidate and print the new id (a name an active candidate already has is
    refused unless --allow-same-name).

    Example: hiring candidate add "Mette Hansen" --email mette@example.com --role inbound-agent
    """
    from hiring.store import add_candidate

    known = _known_roles(ctx) if role else None
    with open_cli_store(ctx) as store:
        candidate = add_candidate(store, name, email, role, known, allow_same_name)
    typer.echo(str(candidate.id))


@app.command("import")
def import_command(
    ctx: typer.Context,
    csv_file: Annotated[
        Path, typer.Argument(metavar="FILE", help="CSV or .xlsx with columns name,email,role.")
    ],
    role: Annotated[
        str | None,
        typer.Option("--role", help="Role of rows without one (default: the bank's only role)."),
    ] = None,
    allow_same_name: AllowSameNameOption = False,
    delimiter: DelimiterOption = None,
    encoding: EncodingOption = None,
    quiet: QuietOption = False,
) -> None:
    """Add every candidate of a CSV or .xlsx file (all or nothing). Names an active candidate
    (or an earlier row) already has are refused unless --allow-same-name.

    Example: hiring candidate import applicants.csv --role inbound-agent
    """
    from hiring.store import import_candidates

    reading = table_options(delimiter, encoding)
    bank = settings_of(ctx).bank()
    known = set(bank.roles)
    if role is not None:
        bank.role(role)  # NotFoundError listing the roles
    default = role or (next(iter(known)) if len(known) == 1 else None)
    with progress("import", quiet) as step, open_cli_store(ctx) as store:
        step(f"reading, checking and adding the rows of {csv_file.name}")
        added = import_candidates(
            store,
            csv_file,
            known,
            reading=reading,
            default_role=default,
            allow_same_name=allow_same_name,
        )
    typer.echo(
        f"added {len(added)} candidate(s): ids {', '.join(str(c.id) for c in added)}"
        if added
        else "added 0 candidates"
    )
    roleless = [c for c in added if c.role is None]
    if roleless:
        typer.echo(
            f"{len(roleless)} without a role (ids {', '.join(str(c.id) for c in roleless)}): "
            "reports leave them out until 'hiring candidate edit C --role ROLE'"
        )


@app.command("edit")
def edit_command(
    ctx: typer.Context,
    candidate: CandidateArgument,
    name: Annotated[str | None, typer.Option("--name", help="New full name.")] = None,
    email: Annotated[
        str | None, typer.Option("--email", help="New e-mail address ('' removes it).")
    ] = None,
    role: Annotated[str | None, typer.Option("--role", help="New role id from the bank.")] = None,
    allow_same_name: AllowSameNameOption = False,
    by: Annotated[str, typer.Option("--by", help="Who edits (for the audit log).")] = "hiring",
) -> None:
    """Change a candidate's name, e-mail or role (audited). A new role also goes to their
    interviews that have none, so ratings stored without a role reach the role's reports.

    Example: hiring candidate edit 4 --role inbound-agent
    """
    from hiring.errors import InputError
    from hiring.store import edit_candidate

    if name is None and email is None and role is None:
        raise InputError("nothing to change: give --name, --email or --role")
    known = _known_roles(ctx) if role else None
    with open_cli_store(ctx) as store:
        done = edit_candidate(store, candidate, name, email, role, known, allow_same_name, by)
    if not done.changed:
        typer.echo(f"unchanged: candidate {done.candidate.id}")
        return
    placed = (
        f"; {done.interviews_placed} interview(s) without a role now in {done.candidate.role}"
        if done.interviews_placed
        else ""
    )
    typer.echo(f"changed candidate {done.candidate.id}: {', '.join(done.changed)}{placed}")


@app.command("decide")
def decide_command(
    ctx: typer.Context,
    candidate: CandidateArgument,
    round_id: Annotated[
        str, typer.Option("--round", metavar="R", help="The round the decision closes.")
    ],
    decision: Annotated[
        str,
        typer.Option(
            "--decision",
            metavar="DECISION",
            help="advance (to the next round), reject, offer, hired or withdrew.",
        ),
    ],
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            metavar="ID",
            help="A reason id from the bank's list for this decision (see 'hiring bank list'; "
            "e.g. below-the-bar, stronger-candidates, accepted-other-offer).",
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="Why, in your own words.")
    ] = None,
    by: Annotated[
        str, typer.Option("--by", metavar="NAME", help="Who decides (for the audit log).")
    ] = "hiring",
) -> None:
    """Record what you decided about a candidate after a round (managers and recruiters;
    audited). One decision per candidate and round: deciding again changes it, and
    'hiring score history' keeps every version. Reason and note are recorded with the
    decision: what you leave out is cleared.

    Example: hiring candidate decide "Mette Hansen" --round screen --decision reject \
      --reason below-the-bar --note "no example of calming a caller"
    """
    from hiring.store import find_candidate
    from hiring.store.stages import record_decision
    from hiring.store.team import current_member

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        member = current_member(store)
        done = record_decision(
            store, candidate, round_id, decision, reason=reason, note=note,
            actor=member.name if member is not None else by, bank=bank,
        )
        found = find_candidate(store, done.candidate_id)
    who = f"{found.name} ({found.id})"
    why = ", ".join(part for part in (done.reason, done.reason_note and "with a note") if part)
    text = f"{done.decision}" + (f" ({why})" if why else "")
    if done.action == "unchanged":
        typer.echo(f"unchanged: {who} after round {done.round}: {text}")
    elif done.action == "changed":
        was = f" (was {done.previous})" if done.previous != done.decision else ""
        typer.echo(f"changed: {who} after round {done.round}: {text}{was}")
    else:
        typer.echo(f"recorded: {who} after round {done.round}: {text}")


@app.command("list")
def list_command(
    ctx: typer.Context,
    stage: Annotated[
        str | None,
        typer.Option(
            "--stage",
            metavar="ROUND",
            help="Only the candidates now at this round: advanced into it (or, for a first "
            "round, not decided on yet) with no decision there yet.",
        ),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option("--role", help="With --stage: only this role (default: every role with "
                     "that round)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List candidates.

    Example: hiring candidate list --stage panel
    """
    from hiring.store import list_candidates

    if role is not None and stage is None:
        from hiring.errors import InputError

        raise InputError("--role goes with --stage (the candidates at a round of that role)")
    with open_cli_store(ctx) as store:
        if stage is None:
            candidates = list_candidates(store)
        else:
            from hiring.store.stages import candidates_in_round

            candidates = candidates_in_round(store, settings_of(ctx).bank(), stage, role)
    if as_json:
        print_json([candidate.to_json() for candidate in candidates])
        return

    from hiring.cli.cells import table

    for line in table(  # names are untrusted: shown through for_terminal, one row each
        ["ID", "STATUS", "ROLE", "CREATED", "NAME"],
        [[candidate.id, candidate.status, candidate.role or "-", candidate.created[:10],
          candidate.name] for candidate in candidates],
        right={0},
    ):
        typer.echo(line)


@app.command("show")
def show_command(
    ctx: typer.Context, candidate: CandidateArgument, as_json: JsonOption = False
) -> None:
    """Show one candidate with their interviews.

    Example: hiring candidate show "Mette Hansen"
    """
    from hiring.store import candidate_details

    with open_cli_store(ctx) as store:
        details = candidate_details(store, candidate)
    if as_json:
        print_json(details)
        return
    from hiring.user_text import for_terminal

    typer.echo(for_terminal(f"{details['name']} (id {details['id']}, {details['status']})"))
    typer.echo(for_terminal(f"e-mail: {details['email'] or '-'}"))
    typer.echo(for_terminal(f"role: {details['role'] or '-'}"))
    typer.echo(for_terminal(f"added: {details['created']}"))
    from hiring.cli.cells import table

    typer.echo("interviews:" if details["interviews"] else "interviews: none")
    rows = table(["", "", "", ""], [
        [interview["date"][:10], interview["round"], interview["interviewer"],
         f"{interview['ratings']} score(s), recommendation: "
         f"{interview['recommendation'] or '-'}"
         + (" (cancelled)" if interview["cancelled"] else "")]
        for interview in details["interviews"]
    ])
    for line in rows[1:]:  # no header row
        typer.echo("  " + line)
    typer.echo("decisions:" if details["decisions"] else "decisions: none")
    rows = table(["", "", "", ""], [
        [item["updated"][:10], item["round"], item["decision"],
         f"by {item['decided_by']}" + (f": {one_line(why)}" if why else "")]
        for item in details["decisions"]
        for why in [", ".join(part for part in (item["reason"], item["reason_note"]) if part)]
    ])
    for line in rows[1:]:
        typer.echo("  " + line)


@app.command("erase")
def erase_command(
    ctx: typer.Context,
    candidate: CandidateArgument,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
    by: Annotated[str, typer.Option("--by", help="Who erases (for the audit log).")] = "hiring",
    delete_files: Annotated[
        bool,
        typer.Option(
            "--delete-files",
            help="Also delete the guide files and manifests recorded for the candidate "
            "(they hold the name); without it they are listed.",
        ),
    ] = False,
) -> None:
    """Erase a candidate's name, e-mail and notes for good; their scores stay, anonymised.

    Success is reported only once the old copies are gone from the database files too;
    when another connection still reads them, the command says what is pending (exit
    status 3) and the next open of the database finishes it.

    Example: hiring candidate erase 12 --yes --delete-files
    """
    from hiring.errors import ExitStatus, InputError
    from hiring.store import erase_candidate

    if not yes:
        raise InputError("erasing cannot be undone: add --yes to confirm")
    with open_cli_store(ctx) as store:
        result = erase_candidate(store, candidate, by, delete_files=delete_files)
    from hiring.user_text import for_terminal

    erased = result.candidate
    for path in result.deleted_files:
        typer.echo(for_terminal(f"deleted {path}"))
    for path, reason in result.undeleted_files:
        typer.echo(for_terminal(f"could not delete {path}: {reason}"), err=True)
    if result.files and not delete_files:
        typer.echo(
            f"{len(result.files)} file(s) written for this candidate hold the name; "
            "delete them (or erase with --delete-files):",
            err=True,
        )
        for path in result.files:
            typer.echo(for_terminal(f"  {path}"), err=True)
    if result.pending is not None:
        typer.echo(
            f"candidate {erased.id} erased from the records (scores kept as {erased.name}), "
            "but not yet from the database files"
        )
        typer.echo(f"Pending: {result.pending}", err=True)
        raise typer.Exit(int(ExitStatus.PENDING))
    typer.echo(
        f"erased candidate {erased.id}: name, e-mail and notes removed from the database and "
        f"its files; scores kept as {erased.name}"
    )
    if result.undeleted_files:
        raise typer.Exit(int(ExitStatus.PENDING))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="candidate")
