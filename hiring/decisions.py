"""An interviewer's overall recommendation after an interview, weakest to strongest."""

DECISIONS = ("strong-no", "no", "yes", "strong-yes")
