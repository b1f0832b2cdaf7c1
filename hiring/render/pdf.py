"""HTML -> PDF with WeasyPrint: one font configuration and parsed stylesheets per process.

Creating a ``FontConfiguration`` rescans every system font and parsing the print
stylesheet costs as much as laying out a page, so both are made once per process
and reused for every document (batch workers each keep their own).

Every document is a tagged PDF (headings, lists, tables and figures in a structure tree,
the language and title of the HTML), PDF/UA-1 unless another of WeasyPrint's variants is
asked for (``PDF_VARIANTS``). WeasyPrint writes one variant per file; its PDF 1.7 PDF/A
variants (e.g. ``pdf/a-3a``, the archival report) are written tagged and declare PDF/UA-1
as well (``pdfuaid:part`` beside ``pdfaid:part`` in the XMP), so an archival file is an
accessible one. Table header cells get ``/Scope`` (WeasyPrint writes ``/Headers`` and
``/ID`` only): see ``_finish_tagged``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hiring.errors import HiringError, InputError, RenderError
from hiring.render.libraries import remember_library_lookups

# Before any WeasyPrint import: its libraries are found from the cache (0.14 s a process).
remember_library_lookups()


@dataclass
class PdfResult:
    data: bytes
    pages: int
    warnings: list[str] = field(default_factory=list)


DEFAULT_PDF_VARIANT = "pdf/ua-1"
# WeasyPrint 70's variants (weasyprint.pdf.VARIANTS, less its "debug" aid), named here so
# the CLI can check and list them without importing WeasyPrint.
PDF_VARIANTS = (
    "pdf/ua-1", "pdf/ua-2",
    "pdf/a-1a", "pdf/a-1b", "pdf/a-2a", "pdf/a-2b", "pdf/a-2u", "pdf/a-3a", "pdf/a-3b",
    "pdf/a-3u", "pdf/a-4e", "pdf/a-4f", "pdf/a-4u",
    "pdf/x-1a", "pdf/x-3", "pdf/x-4", "pdf/x-5g",
)
# Variants a document laid out in parts may be joined in (``hiring.render.parts``): the
# page numbers are drawn from an untagged overlay, whose fonts carry no /CIDSet, which
# PDF/A-1 requires; PDF 2.0 variants (pdf/ua-2, pdf/a-4) and PDF/X are not checked joined.
JOINABLE_PDF_VARIANTS = ("pdf/ua-1", "pdf/a-2a", "pdf/a-2b", "pdf/a-2u", "pdf/a-3a",
                         "pdf/a-3b", "pdf/a-3u")
_PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"
_PDFA_NS = "http://www.aiim.org/pdfa/ns/id/"
_RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

_FONT_CONFIG: Any = None
_STYLESHEETS: dict[tuple[str, tuple[Path, ...]], tuple[Any, list[str]]] = {}
_FROZEN = False


def _freeze_long_lived() -> None:
    """Once per process, before the first layout: the objects alive now (the modules of
    WeasyPrint, hiring and the CLI, the font configuration, the parsed stylesheets, the
    bank) are moved out of the cycle collector's walks (``gc.freeze``).

    They live as long as the process, yet every full collection walks them again, and
    layout makes enough cyclic garbage for full collections: for a 6-page guide two of them
    over ~90,000 objects, 55 ms of its 1 s, where the ``weasyprint`` CLI, with fewer
    objects alive, walked once. Refcounting still frees a frozen object no longer used;
    only a frozen cycle is kept. No full collection first: at this point it frees ~80
    objects and costs 35 ms."""
    global _FROZEN
    if not _FROZEN:
        import gc

        gc.freeze()
        _FROZEN = True


def _font_config() -> Any:
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        from weasyprint.text.fonts import FontConfiguration

        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


def _stylesheet(css: str, roots: tuple[Path, ...]) -> tuple[Any, list[str]]:
    """A parsed stylesheet (and the URLs refused while parsing it), cached by content."""
    from weasyprint import CSS

    from hiring.render.fetcher import SafeURLFetcher

    key = (hashlib.sha256(css.encode()).hexdigest(), roots)
    cached = _STYLESHEETS.get(key)
    if cached is None:
        fetcher = SafeURLFetcher(list(roots))
        parsed = CSS(
            string=css,
            base_url=roots[0].as_uri() + "/",
            url_fetcher=fetcher,
            font_config=_font_config(),
        )
        cached = (parsed, fetcher.refused)
        _STYLESHEETS[key] = cached
    return cached


def _left_out(url: str) -> str:
    return f"left out {url}: only the project's own template and asset files are used"


@dataclass(frozen=True)
class EmbeddedFile:
    """A file embedded in the PDF, made in memory (never read from a path or URL)."""

    name: str
    text: str
    description: str


def _prepare(
    roots: list[Path], stylesheets: list[str]
) -> tuple[tuple[Path, ...], Any, list[Any], list[str]]:
    """The allowed roots, a fetcher confined to them, the parsed stylesheets, and the
    warnings for URLs the stylesheets named outside them."""
    from hiring.render.fetcher import SafeURLFetcher

    root_key = tuple(Path(r).resolve() for r in roots)
    fetcher = SafeURLFetcher(list(root_key))
    parsed: list[Any] = []
    warnings: list[str] = []
    for css in stylesheets:
        sheet, refused = _stylesheet(css, root_key)
        parsed.append(sheet)
        warnings.extend(_left_out(url) for url in refused)
    _freeze_long_lived()
    return root_key, fetcher, parsed, warnings


def _number(reference: Any) -> int | None:
    """The object number of a pydyf reference (b"12 0 R")."""
    if isinstance(reference, (bytes, str)):
        head = reference.split()[0] if reference.split() else b""
        try:
            return int(head)
        except ValueError:
            return None
    return None


def _scope_header_cells(pdf: Any) -> None:
    """``/Scope`` on every ``/TH``: ``/Row`` when a data cell of its own row names it among
    its ``/Headers`` (WeasyPrint does so for ``scope="row"`` only), else ``/Column``."""
    cells = [o for o in pdf.objects
             if isinstance(o, dict) and o.get("Type") == "/StructElem"
             and o.get("S") in ("/TH", "/TD")]
    named_in_row: set[tuple[Any, str]] = set()
    for cell in cells:
        attributes = cell.get("A")
        if cell.get("S") == "/TD" and isinstance(attributes, dict):
            for header in attributes.get("Headers") or ():
                named_in_row.add((cell.get("P"), getattr(header, "string", str(header))))
    for cell in cells:
        if cell.get("S") != "/TH":
            continue
        attributes = cell.get("A")
        if not isinstance(attributes, dict) or "Scope" in attributes:
            continue
        key = cell.get("ID")
        row = (cell.get("P"), getattr(key, "string", str(key))) in named_in_row
        attributes["Scope"] = "/Row" if row else "/Column"


# PDF/A-2 and -3 allow XMP properties only from predefined schemas or from schemas the file
# describes (ISO 19005-2 6.6.2.3); pdfuaid is not predefined, so the file describes it.
_PDFUA_EXTENSION = f"""<rdf:Description xmlns:rdf="{_RDF_NS}" rdf:about=""
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"><pdfaExtension:schemas><rdf:Bag>
<rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>{_PDFUA_NS}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed\
</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"""


def _declare_pdfua(pdf: Any) -> None:
    """Add ``pdfuaid:part="1"`` to the description that carries ``pdfaid:part``, and the
    description of the pdfuaid schema PDF/A asks for."""
    import xml.etree.ElementTree as ElementTree

    number = _number(pdf.catalog.get("Metadata"))
    if number is None:
        return
    stream = pdf.objects[number]
    packet = b"".join(c if isinstance(c, bytes) else str(c).encode() for c in stream.stream)
    start, end = packet.find(b"<rdf:RDF"), packet.rfind(b"</rdf:RDF>")
    if start < 0 or end < 0:
        return
    end += len(b"</rdf:RDF>")
    ElementTree.register_namespace("pdfuaid", _PDFUA_NS)
    rdf = ElementTree.fromstring(packet[start:end])
    for description in rdf.iter(f"{{{_RDF_NS}}}Description"):
        if f"{{{_PDFA_NS}}}part" in description.attrib:
            description.set(f"{{{_PDFUA_NS}}}part", "1")
            break
    else:
        return
    for prefix, uri in (("pdfaExtension", "http://www.aiim.org/pdfa/ns/extension/"),
                        ("pdfaSchema", "http://www.aiim.org/pdfa/ns/schema#"),
                        ("pdfaProperty", "http://www.aiim.org/pdfa/ns/property#")):
        ElementTree.register_namespace(prefix, uri)
    rdf.append(ElementTree.fromstring(_PDFUA_EXTENSION))
    stream.stream = [packet[:start] + ElementTree.tostring(rdf, encoding="utf-8")
                     .split(b"?>", 1)[-1].lstrip() + packet[end:]]


def _finish_tagged(variant: str) -> Any:
    """WeasyPrint's ``finisher`` for a tagged ``variant``."""
    declare = variant.startswith("pdf/a-") and _pdf_version(variant) == "1.7"

    def finish(document: Any, pdf: Any) -> None:
        _scope_header_cells(pdf)
        if declare:
            _declare_pdfua(pdf)

    return finish


def _pdf_version(variant: str) -> str | None:
    from weasyprint.pdf import VARIANTS

    version = VARIANTS[variant][1].get("pdf_version")
    return str(version) if version is not None else None


def check_pdf_variant(variant: str) -> None:
    """Refuse a variant WeasyPrint does not offer, naming the ones it does."""
    if variant not in PDF_VARIANTS:
        raise InputError(
            f"unknown PDF variant '{variant}' (expected one of: {', '.join(PDF_VARIANTS)})"
        )


def write_pdf(document: Any, variant: str | None = DEFAULT_PDF_VARIANT,
              attachments: list[Any] | None = None) -> bytes:
    """A laid-out WeasyPrint ``document`` as PDF bytes: tagged and ``variant`` (PDF/UA-1 by
    default); ``variant=None`` writes a plain untagged PDF (stamp overlays only)."""
    if variant is None:
        data = document.write_pdf(attachments=attachments or None)
    else:
        check_pdf_variant(variant)
        data = document.write_pdf(pdf_variant=variant, pdf_tags=True,
                                  attachments=attachments or None,
                                  finisher=_finish_tagged(variant))
    assert data is not None
    return data  # type: ignore[no-any-return]


def _render(html: str, roots: list[Path], stylesheets: list[str], pdf_forms: bool
            ) -> tuple[Any, Any, list[str]]:
    """``html`` laid out: WeasyPrint's Document, the fetcher it used (writing the PDF may
    still ask it for files: read its ``refused`` after writing), and the warnings about
    URLs the stylesheets named outside the roots."""
    from weasyprint import HTML

    root_key, fetcher, parsed, warnings = _prepare(roots, stylesheets)
    try:
        document = HTML(
            string=html, base_url=root_key[0].as_uri() + "/", url_fetcher=fetcher
        ).render(font_config=_font_config(), stylesheets=parsed, pdf_forms=pdf_forms or None)
    except Exception as error:  # WeasyPrint raises many types; report one line
        raise RenderError(f"PDF rendering failed: {type(error).__name__}: {error}") from error
    return document, fetcher, warnings


def laid_out_pdf(
    html: str,
    *,
    roots: list[Path],
    stylesheets: list[str] = (),  # type: ignore[assignment]
    pdf_variant: str | None = DEFAULT_PDF_VARIANT,
    attachments: Sequence[EmbeddedFile] = (),
    pdf_forms: bool = False,
) -> tuple[Any, PdfResult]:
    """``html_to_pdf``'s PDF, with WeasyPrint's laid-out Document (its pages' sizes and
    bookmarks: what joining parts needs, ``hiring.render.parts``)."""
    from weasyprint import Attachment

    if pdf_variant is not None:
        check_pdf_variant(pdf_variant)
    document, fetcher, warnings = _render(html, roots, stylesheets, pdf_forms)
    embedded = [
        Attachment(string=item.text, name=item.name, description=item.description,
                   url_fetcher=fetcher, relationship="Data")
        for item in attachments
    ]
    try:
        data = write_pdf(document, pdf_variant, embedded)
    except HiringError:
        raise
    except Exception as error:  # WeasyPrint raises many types; report one line
        raise RenderError(f"PDF rendering failed: {type(error).__name__}: {error}") from error
    warnings.extend(_left_out(url) for url in fetcher.refused)  # the write's requests too
    return document, PdfResult(data=data, pages=len(document.pages), warnings=warnings)


def html_to_pdf(
    html: str,
    *,
    roots: list[Path],
    stylesheets: list[str] = (),  # type: ignore[assignment]
    pdf_variant: str | None = DEFAULT_PDF_VARIANT,
    attachments: list[EmbeddedFile] = (),  # type: ignore[assignment]
    pdf_forms: bool = False,
) -> PdfResult:
    """Lay out ``html`` (plus ``stylesheets``, CSS text) and return the PDF bytes.

    ``roots`` are the folders whose files the document may use (templates first; relative
    URLs resolve against the first). Every other URL is refused and listed in ``warnings``.
    ``pdf_variant`` is one of WeasyPrint's (``PDF_VARIANTS``; tagged PDF/UA-1 by default,
    None: plain and untagged, for stamp overlays); ``attachments`` are embedded as
    data files; ``pdf_forms`` turns inputs, textareas and selects into PDF form fields.
    """
    return laid_out_pdf(html, roots=roots, stylesheets=stylesheets, pdf_variant=pdf_variant,
                        attachments=attachments, pdf_forms=pdf_forms)[1]
