"""Make WeasyPrint's PDF radio buttons show their state in every viewer, however filled.

WeasyPrint writes each radio group as a field whose kids repeat the group's ``/T`` and
``/FT`` (so every button is a field of the same name: pypdf warns "already parsed" for each
one and sets a chosen value on the button instead of the group), and each button has an
appearance for its "on" state only. A viewer then has nothing to draw for "off" and
tools that set ``/AS`` or ``/V`` disagree on where the value lives. Here each button
becomes a plain widget of its group (``/T`` and ``/FT`` only on the group, as the PDF
specification describes a radio group) and gets an empty ``/Off`` appearance beside its
"on" one, so the state a filler chose is the one drawn.

What no kit can fix: pypdf's ``update_page_form_field_values`` with its default
``auto_regenerate=True`` sets ``NeedAppearances``, so poppler draws every field anew and
draws a button "on" only when the group's ``/V`` is the name of the button's state
(poppler's ``FormFieldButton::getState``; a kid's ``/V`` is ignored, poppler issue 159);
pypdf 7.1 writes ``/V`` as a text string whatever the field (pypdf issues 3115, 3549,
3630; pull request 3585). Scripts fill with ``auto_regenerate=False`` (the kit's own
appearances are drawn) or make each group's ``/V`` a name afterwards (poppler then draws
the button from ``/MK``). tests/test_fillable_radio.py checks all three with pdftoppm.
Imports pypdf: only import this module to write a fillable PDF.
"""

from __future__ import annotations

import io
from typing import Any

_RADIO_FLAG = 1 << 15


def _radio_widgets(page: Any) -> list[tuple[Any, Any]]:
    """(widget, group) for each radio button on ``page``."""
    found = []
    for reference in page.get("/Annots") or []:
        widget = reference.get_object()
        parent = widget.get("/Parent")
        if widget.get("/Subtype") != "/Widget" or parent is None:
            continue
        group = parent.get_object()
        if group.get("/FT") != "/Btn" or not int(group.get("/Ff") or 0) & _RADIO_FLAG:
            continue
        found.append((widget, group))
    return found


def complete_radio_buttons(pdf: bytes) -> bytes:
    """``pdf`` with every radio button a plain widget of its group, drawn in each state.

    Returns ``pdf`` unchanged when it has no radio buttons.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, StreamObject

    if not any(_radio_widgets(page) for page in PdfReader(io.BytesIO(pdf)).pages):
        return pdf
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    off_states: dict[tuple[float, ...], Any] = {}  # one empty appearance per button size
    for page in writer.pages:
        for widget, group in _radio_widgets(page):
            for key in ("/T", "/FT", "/Ff"):
                if key in widget and widget[key] == group.get(key):
                    del widget[key]  # inherited from the group: the button is not a field
            normal = widget["/AP"]["/N"]
            if "/Off" in normal:
                continue
            box = next(iter(normal.values())).get_object()["/BBox"]
            size = tuple(float(v) for v in box)
            if size not in off_states:
                empty = StreamObject()
                empty.update({
                    NameObject("/Type"): NameObject("/XObject"),
                    NameObject("/Subtype"): NameObject("/Form"),
                    NameObject("/BBox"): box,
                })
                empty.set_data(b"")
                off_states[size] = writer._add_object(empty)
            normal[NameObject("/Off")] = off_states[size]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
