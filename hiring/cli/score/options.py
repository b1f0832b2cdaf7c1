"""Options that several ``hiring score`` commands take."""

from typing import Annotated

import typer

CandidateOption = Annotated[
    str, typer.Option("--candidate", metavar="C", help="Candidate id or exact name.")
]
InterviewerOption = Annotated[
    str | None,
    typer.Option(
        "--interviewer",
        metavar="NAME",
        help="Whose scorecard (default: you, from the team roster).",
        show_default=False,
    ),
]
RoundOption = Annotated[
    str | None,
    typer.Option(
        "--round",
        help="Round id (default: the round of this interviewer's only open interview with "
        "the candidate, else the role's only round; otherwise the command lists the rounds).",
        show_default=False,
    ),
]
