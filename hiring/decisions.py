"""An interviewer's overall recommendation after an interview, weakest to strongest.

Its ids are the stored values; every command also takes the words the printed guide uses
for them in any of the five languages ("Klart ja", "нет", "强烈推荐"), in any case and
with spaces or hyphens alike, so a Danish interviewer types what the kit says.
"""

from __future__ import annotations

from functools import lru_cache

DECISIONS = ("strong-no", "no", "yes", "strong-yes")


def _normal(text: str) -> str:
    """``" Klart  JA"`` -> ``"klart-ja"``; ``"strong_yes"`` -> ``"strong-yes"``."""
    return "-".join(text.replace("_", " ").replace("-", " ").casefold().split())


def decision_labels(lang: str) -> dict[str, str]:
    """id -> the guide's word for it in ``lang`` ("yes" -> "Ja" in Danish)."""
    from hiring.render.strings import ui_strings

    t = ui_strings(lang)
    return {decision: str(t[decision.replace("-", "_")]) for decision in DECISIONS}


@lru_cache(maxsize=1)
def _words() -> dict[str, str]:
    """Every accepted spelling (normalised) -> its id."""
    from hiring.bank.models import SUPPORTED_LANGUAGES

    words = {decision: decision for decision in DECISIONS}
    for lang in SUPPORTED_LANGUAGES:
        for decision, label in decision_labels(lang).items():
            known = words.setdefault(_normal(label), decision)
            # Two languages never give one word two meanings ("да" is yes in ru and bg).
            assert known == decision, (label, known, decision)
    return words


def parse_decision(text: str) -> str | None:
    """The id of a recommendation given as an id or a word of any language; None if neither.

    >>> parse_decision("Klart ja"), parse_decision("НЕТ"), parse_decision("Strong yes")
    ('strong-yes', 'no', 'strong-yes')
    """
    value = _normal(text)
    if value in DECISIONS:  # the ids need no strings file
        return value
    return _words().get(value)
