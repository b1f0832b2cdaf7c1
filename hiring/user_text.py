"""Checks on text people type (names, notes, e-mail addresses) before it is stored, and
the one way untrusted text is shown in a terminal (``for_terminal``): no control
characters (terminal escapes, NULs), no over-long values on the way in; every control
character, bidi override and line break made visible on the way out.

Kept apart from the store so commands that only check a name (``guide build`` without a
database) do not import it.
"""

from __future__ import annotations

import unicodedata

from hiring.errors import InputError

MAX_NAME_CHARS = 200
MAX_NOTE_CHARS = 4000
MAX_EMAIL_CHARS = 254


def check_text(value: str, what: str, max_chars: int, *, multiline: bool = False) -> str:
    """Refuse control characters (terminal escapes, NULs) and over-long values."""
    allowed = {"\n", "\t"} if multiline else set()
    for char in value:
        if char not in allowed and unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            raise InputError(f"{what} contains a control character ({ord(char):#x})")
    if len(value) > max_chars:
        raise InputError(f"{what} is {len(value)} characters long; the limit is {max_chars}")
    return value


def check_name(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise InputError(f"{what} is empty")
    return check_text(value, what, MAX_NAME_CHARS)


# What a terminal would act on or reorder: C0/C1 controls (ESC starts escape sequences),
# format characters (bidi overrides such as U+202E, zero-width joiners), line and paragraph
# separators, and lone surrogates.
_INVISIBLE = ("Cc", "Cf", "Zl", "Zp", "Cs")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def for_terminal(text: str, *, keep_newlines: bool = False) -> str:
    """Untrusted text (a name, a note, a cell, a path) made safe to print in a terminal:
    every control character, bidi override and line break is shown as its escape, so it
    can neither move the cursor, retitle the window, reorder the line nor split a row.
    ``keep_newlines`` keeps ``\\n`` as a line break (a multi-line note printed as such).

    >>> for_terminal("Ann\\x1b]0;TITLE\\x07 \\u202eBerg\\nx")
    'Ann\\\\x1b]0;TITLE\\\\x07 \\\\u202eBerg\\\\nx'
    """
    if text.isprintable() and text.isascii():  # the common case, at C speed
        return text
    return "".join(
        _visible(char)
        if unicodedata.category(char) in _INVISIBLE and not (keep_newlines and char == "\n")
        else char
        for char in text
    )


def json_for_terminal(text: str) -> str:
    """JSON text with every character :func:`for_terminal` would escape written as a
    ``\\uXXXX`` escape: the same JSON values, nothing a terminal acts on. (Such characters
    occur only inside JSON strings, where the escape means the same character.)"""
    if text.isascii():  # json.dumps already escaped every ASCII control character
        return text
    return "".join(
        "".join(f"\\u{unit:04x}" for unit in _utf16_units(char))
        if char > "\x7f" and unicodedata.category(char) in _INVISIBLE else char
        for char in text  # ASCII controls here are json.dumps's own indentation
    )


def _utf16_units(char: str) -> list[int]:
    code = ord(char)
    if code < 0x10000:
        return [code]
    code -= 0x10000
    return [0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)]
