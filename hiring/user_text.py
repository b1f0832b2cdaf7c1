"""Checks on text people type (names, notes, e-mail addresses) before it is stored or
printed: no control characters (terminal escapes, NULs), no over-long values.

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


def for_terminal(text: str) -> str:
    """Text for a terminal: control characters, bidi overrides and line breaks shown as
    escapes (``\\x1b``, ``\\u202e``, ``\\n``), so a name cannot move the cursor, retitle the
    window, reverse the line or look like more rows."""
    out = []
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)
