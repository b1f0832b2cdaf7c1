"""``hiring team`` (the roster: who may do what) and ``hiring whoami``."""

from typing import Annotated

import typer

from hiring.cli.options import JsonOption, print_json
from hiring.cli.settings import open_cli_store

app = typer.Typer(
    help="The team roster: recruiters, interviewers and hiring managers, with their logins. "
    "With a roster, interviewer names are checked against it and each command is allowed "
    "by the role of who runs it (on PostgreSQL: enforced by the server, see 'db init-team').",
    no_args_is_help=True,
)

NameArgument = Annotated[str, typer.Argument(metavar="NAME", help="The member's name.")]
RoleOption = Annotated[
    list[str] | None,
    typer.Option(
        "--role",
        metavar="ROLE",
        help="recruiter, interviewer or manager (repeatable, or comma-separated).",
        show_default=False,
    ),
]
EmailOption = Annotated[
    str | None,
    typer.Option("--email", metavar="ADDR", help="E-mail address (reminders, invitations).",
                 show_default=False),
]
LoginOption = Annotated[
    str | None,
    typer.Option(
        "--login",
        metavar="LOGIN",
        help="Login that identifies the member: the PostgreSQL login (created and granted "
        "when missing), or on SQLite HIRING_USER / the operating-system login.",
        show_default=False,
    ),
]


def _roles(roles: tuple[str, ...] | list[str]) -> str:
    return ",".join(roles) or "-"


@app.command("add")
def add_command(
    ctx: typer.Context,
    name: NameArgument,
    role: RoleOption = None,
    email: EmailOption = None,
    login: LoginOption = None,
) -> None:
    """Add a member (audited). The first member must be a recruiter; without --login they
    get the login of whoever runs the command.

    Example: hiring team add "Anders Holm" --role interviewer --login aholm
    """
    from hiring.store.roster import add_member

    with open_cli_store(ctx) as store:
        member = add_member(store, name, role or [], email=email, login=login)
        notes = _login_notes(store, member.login)
    typer.echo(f"added {member.name} ({_roles(member.roles)})"
               + (f", login {member.login}" if member.login else ""))
    for note in notes:
        typer.echo(note)


def _login_notes(store: object, login: str | None) -> list[str]:
    from hiring.store.team_pg import login_notes

    return login_notes(store, login)  # type: ignore[arg-type]


@app.command("edit")
def edit_command(
    ctx: typer.Context,
    name: NameArgument,
    new_name: Annotated[
        str | None, typer.Option("--name", metavar="NEW", help="A new name.", show_default=False)
    ] = None,
    role: Annotated[
        list[str] | None,
        typer.Option("--role", metavar="ROLE", help="Replace the roles (repeatable).",
                     show_default=False),
    ] = None,
    add_role: Annotated[
        list[str] | None,
        typer.Option("--add-role", metavar="ROLE", help="Add a role (repeatable).",
                     show_default=False),
    ] = None,
    remove_role: Annotated[
        list[str] | None,
        typer.Option("--remove-role", metavar="ROLE", help="Remove a role (repeatable).",
                     show_default=False),
    ] = None,
    email: Annotated[
        str | None,
        typer.Option("--email", metavar="ADDR", help="E-mail address ('' clears it).",
                     show_default=False),
    ] = None,
    login: Annotated[
        str | None,
        typer.Option("--login", metavar="LOGIN", help="Login ('' clears it; on PostgreSQL "
                     "the login is created and granted when missing).", show_default=False),
    ] = None,
) -> None:
    """Change a member's name, roles, e-mail or login (audited).

    Example: hiring team edit "Anders Holm" --add-role manager
    """
    from hiring.store.roster import edit_member

    with open_cli_store(ctx) as store:
        member = edit_member(store, name, new_name=new_name, roles=role, add_roles=add_role,
                             remove_roles=remove_role, email=email, login=login)
        notes = _login_notes(store, member.login)
    typer.echo(f"{member.name}: {_roles(member.roles)}, login {member.login or '-'}, "
               f"e-mail {member.email or '-'}")
    for note in notes:
        typer.echo(note)


@app.command("remove")
def remove_command(ctx: typer.Context, name: NameArgument) -> None:
    """Take a member off the roster (audited); their past ratings and audit rows stay.

    Example: hiring team remove "Anders Holm"
    """
    from hiring.store.roster import remove_member

    with open_cli_store(ctx) as store:
        member = remove_member(store, name)
    typer.echo(f"removed {member.name} from the roster (past ratings kept)")


@app.command("list")
def list_command(
    ctx: typer.Context,
    include_removed: Annotated[
        bool, typer.Option("--all", help="Also members who were removed.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """List the roster.

    Example: hiring team list --json
    """
    from hiring.store.team import members

    with open_cli_store(ctx) as store:
        found = members(store, include_removed=include_removed)
    if as_json:
        print_json([member.to_json() for member in found])
        return
    if not found:
        typer.echo("the roster is empty: everyone may do everything, and interviewer names "
                   "are taken as typed ('hiring team add NAME --role recruiter' starts one)")
        return
    from hiring.cli.cells import table

    for line in table(
        ["ROLES", "LOGIN", "E-MAIL", "NAME"],
        [[_roles(member.roles), member.login or "-", member.email or "-",
          member.name + (f" (removed {member.removed[:10]})" if member.removed else "")]
         for member in found],
    ):
        typer.echo(line)


def whoami_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show who runs commands here: the login, the roster member and their roles.

    Example: hiring whoami
    """
    from hiring.store.team import current_viewer
    from hiring.user_text import for_terminal

    with open_cli_store(ctx) as store:
        viewer = current_viewer(store)
        dialect = store.dialect
    if as_json:
        print_json({"login": viewer.login, "member": viewer.name,
                    "roles": list(viewer.member.roles) if viewer.member else [],
                    "admin": viewer.admin, "database": dialect})
        return
    source = "database login" if dialect == "postgresql" else "HIRING_USER or system login"
    if viewer.member is not None:
        typer.echo(f"{for_terminal(viewer.member.name)} ({_roles(viewer.member.roles)}); "
                   f"{source} {for_terminal(viewer.login)}")
    elif viewer.admin:
        why = ("the roster is empty: every command is allowed" if dialect == "sqlite" or
               not viewer.login else "the owner of the tables: every command is allowed")
        typer.echo(f"{for_terminal(viewer.login)} ({source}); not on the roster; {why}")
    else:
        typer.echo(f"{for_terminal(viewer.login)} ({source}) is not on the team roster: "
                   "no role (a recruiter adds you with 'hiring team add NAME --role ROLE "
                   f"--login {for_terminal(viewer.login)}')")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="team")
    root.command("whoami")(whoami_command)
