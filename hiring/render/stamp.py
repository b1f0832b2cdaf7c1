"""Lay a document out once, then stamp per-person text (names) onto copies of it.

Every guide of one round, language and question set is the same document but for the
candidate's and interviewer's names. ``layout_once`` renders it with the name spots blank
and notes where each spot is (page, position, font); ``stamp`` then renders only the names,
on transparent pages of the same size (a few text boxes: fast), and lays each page of that
overlay over the shared layout as a form XObject. The base's content streams are never
parsed, so a copy costs little more than writing the file. Imports WeasyPrint and pypdf:
only import this module to render a PDF.
"""

from __future__ import annotations

import html as html_escape
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STAMP_CLASSES = ("stamp-header", "stamp-candidate", "stamp-interviewer")


@dataclass(frozen=True)
class Spot:
    """Where one stamped text goes: page index, CSS px from the page's top-left, its font."""

    kind: str  # one of STAMP_CLASSES
    page: int
    x: float
    y: float
    width: float
    height: float
    font_family: str
    font_size: float
    font_weight: int
    color: str


@dataclass
class Layout:
    """A laid-out document with blank name spots."""

    pdf: bytes
    pages: int
    page_size: tuple[float, float]  # CSS px
    spots: list[Spot]
    warnings: list[str] = field(default_factory=list)
    _reader: Any = None

    def reader(self) -> Any:
        """The laid-out PDF, parsed once (copies are cloned from it)."""
        if self._reader is None:
            from pypdf import PdfReader

            self._reader = PdfReader(io.BytesIO(self.pdf))
        return self._reader


def _spots(document: Any) -> list[Spot]:
    found: list[Spot] = []

    def walk(box: Any, page: int) -> None:
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        kinds = [c for c in classes if c in STAMP_CLASSES]
        if kinds and getattr(box, "element_tag", None) and not getattr(box, "_stamped", False):
            style = box.style
            color = style["color"]
            rgba = getattr(color, "rgba", None) or (0, 0, 0, 1)
            found.append(Spot(
                kind=kinds[0], page=page, x=box.content_box_x(), y=box.content_box_y(),
                width=box.width, height=box.height,
                font_family=", ".join(f'"{f}"' for f in style["font_family"]),
                font_size=style["font_size"], font_weight=int(style["font_weight"]),
                color="rgb({:.0f},{:.0f},{:.0f})".format(*(255 * c for c in rgba[:3])),
            ))
            return  # the spot's own text children are part of it
        for child in getattr(box, "children", []) or []:
            walk(child, page)

    for index, page in enumerate(document.pages):
        walk(page._page_box, index)
    # A box split into fragments (a cell and its line box) gives one spot: keep the first.
    unique: dict[tuple[str, int, int, int], Spot] = {}
    for spot in found:
        unique.setdefault((spot.kind, spot.page, round(spot.x), round(spot.y)), spot)
    return list(unique.values())


def layout_once(
    html: str, *, roots: list[Path], stylesheets: list[str], pdf_forms: bool = False
) -> Layout:
    """Render ``html`` (name spots blank, marked with the STAMP_CLASSES) once."""
    from hiring.render.pdf import laid_out_pdf

    # Tagged PDF/UA-1, as every other kit; the URLs refused while writing are said too.
    document, result = laid_out_pdf(html, roots=roots, stylesheets=stylesheets,
                                    pdf_forms=pdf_forms)
    first = document.pages[0]
    data = result.data
    if pdf_forms:
        from hiring.render.form_fields import complete_radio_buttons

        data = complete_radio_buttons(data)
    return Layout(data, result.pages, (first.width, first.height), _spots(document),
                  result.warnings)


def _distinct_pages(layout: Layout) -> tuple[list[list[Spot]], list[int]]:
    """The distinct arrangements of spots (most pages have just the running header), and
    for each page of the layout the index of its arrangement: one overlay page each."""
    by_page: dict[int, list[Spot]] = {}
    for spot in layout.spots:
        by_page.setdefault(spot.page, []).append(spot)
    arrangements: list[list[Spot]] = []
    keys: dict[tuple[tuple[str, float, float], ...], int] = {}
    mapping = []
    for page in range(layout.pages):
        spots = by_page.get(page, [])
        key = tuple((s.kind, round(s.x, 2), round(s.y, 2)) for s in spots)
        if key not in keys:
            keys[key] = len(arrangements)
            arrangements.append(spots)
        mapping.append(keys[key])
    return arrangements, mapping


def _overlay_html(arrangements: list[list[Spot]], page_size: tuple[float, float],
                  texts: dict[str, str], font_stack: str) -> str:
    width, height = page_size
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>",
        f"@page {{ size: {width}px {height}px; margin: 0; }}",
        f"body {{ margin: 0; }} .p {{ position: relative; height: {height}px; }}",
        ".p + .p { break-before: page; } .s { position: absolute; white-space: nowrap; }",
        "</style></head><body>",
    ]
    for spots in arrangements:
        parts.append("<div class='p'>")
        for spot in spots:
            text = texts.get(spot.kind, "")
            if not text:
                continue
            parts.append(
                f"<div class='s' style='left:{spot.x:.2f}px; top:{spot.y:.2f}px; "
                f"line-height:{spot.height:.2f}px; font-family:{spot.font_family}, "
                f"{font_stack}; font-size:{spot.font_size:.2f}px; "
                f"font-weight:{spot.font_weight}; color:{spot.color}'>"
                f"{html_escape.escape(text)}</div>"
            )
        parts.append("</div>")
    parts.append("</body></html>")
    return "".join(parts)


_DC = "http://purl.org/dc/elements/1.1/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _retitle_xmp(writer: Any, title: str) -> None:
    """The XMP's dc:title (what PDF/UA reads the title from) made ``title``, as the
    document information's: the shared layout's names no candidate."""
    import xml.etree.ElementTree as ElementTree

    from pypdf.generic import NameObject

    reference = writer.root_object.get(NameObject("/Metadata"))
    if reference is None:
        return
    stream = reference.get_object()
    packet = stream.get_data()
    start, end = packet.find(b"<rdf:RDF"), packet.rfind(b"</rdf:RDF>")
    if start < 0 or end < 0:
        return
    end += len(b"</rdf:RDF>")
    for prefix, uri in (("rdf", _RDF), ("dc", _DC)):
        ElementTree.register_namespace(prefix, uri)
    rdf = ElementTree.fromstring(packet[start:end])
    items = [li for element in rdf.iter(f"{{{_DC}}}title") for li in element.iter(f"{{{_RDF}}}li")]
    if not items:
        return
    for item in items:
        item.text = title
    xml = ElementTree.tostring(rdf, encoding="utf-8").split(b"?>", 1)[-1].lstrip()
    stream.set_data(packet[:start] + xml + packet[end:])


def stamp(
    layout: Layout,
    texts: dict[str, str],
    *,
    roots: list[Path],
    font_stack: str,
    metadata: dict[str, str] | None = None,
    attachments: list[tuple[str, str]] = (),  # type: ignore[assignment]
    field_values: dict[str, str] | None = None,
) -> bytes:
    """A copy of ``layout`` with ``texts`` (kind -> text) at their spots.

    ``metadata`` (e.g. ``{"/Title": ...}``) replaces the document's; ``attachments`` (name,
    text) are embedded; ``field_values`` fill form fields (fillable guides).
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    from hiring.render.pdf import html_to_pdf

    arrangements, mapping = _distinct_pages(layout)
    # The overlay is untagged: its marked content would name structure the base lacks.
    overlay = PdfReader(io.BytesIO(html_to_pdf(
        _overlay_html(arrangements, layout.page_size, texts, font_stack), roots=roots,
        pdf_variant=None,
    ).data))
    writer = PdfWriter(clone_from=layout.reader())
    # One form XObject per distinct overlay page, shared by the pages that use it.
    forms: dict[int, Any] = {}
    for number, over in enumerate(overlay.pages):
        contents = over.get_contents()
        if contents is None:
            continue
        form = DecodedStreamObject()
        form.set_data(contents.get_data())
        form.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): over.mediabox,
            NameObject("/Resources"): over["/Resources"].clone(writer),
        })
        forms[number] = writer._add_object(form)
    for index, page in enumerate(writer.pages):
        if mapping[index] not in forms:
            continue
        resources = page.setdefault(NameObject("/Resources"), DictionaryObject())
        xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject())
        # WeasyPrint's pages share one resource dictionary: one name per overlay page.
        name = f"/HiringStamp{mapping[index]}"
        xobjects[NameObject(name)] = forms[mapping[index]]
        # The base's content leaves its own transformation (WeasyPrint flips y) in force:
        # wrap it in q ... Q so the stamp is drawn in the page's own coordinates. The tagged
        # base has no structure element for the stamped names, so they are an artifact:
        # nothing on the page is left untagged (PDF/UA-1 7.1).
        save, restore_and_draw = DecodedStreamObject(), DecodedStreamObject()
        save.set_data(b"q\n")
        restore_and_draw.set_data(f"\nQ /Artifact BMC q {name} Do Q EMC\n".encode())
        # The raw entry: page["/Contents"] resolves the reference, and a stream put
        # directly into the array makes a file pypdf itself cannot clone (AttributeError).
        raw = page.raw_get("/Contents")
        existing: Any = raw.get_object()
        parts = list(existing) if isinstance(existing, ArrayObject) else [raw]
        page[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(save), *parts, writer._add_object(restore_and_draw)]
        )
    if metadata:
        writer.add_metadata(metadata)
        if "/Title" in metadata:
            _retitle_xmp(writer, metadata["/Title"])
    for name, text in attachments:
        writer.add_attachment(name, text.encode("utf-8"))
    if field_values:
        for page in writer.pages:
            if "/Annots" in page:
                writer.update_page_form_field_values(page, field_values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
