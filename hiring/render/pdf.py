"""HTML -> PDF with WeasyPrint: one font configuration and parsed stylesheets per process.

Creating a ``FontConfiguration`` rescans every system font and parsing the print
stylesheet costs as much as laying out a page, so both are made once per process
and reused for every document (batch workers each keep their own).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hiring.errors import RenderError


@dataclass
class PdfResult:
    data: bytes
    pages: int
    warnings: list[str] = field(default_factory=list)


_FONT_CONFIG: Any = None
_STYLESHEETS: dict[tuple[str, tuple[Path, ...]], tuple[Any, list[str]]] = {}


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
    return root_key, fetcher, parsed, warnings


def render_document(
    html: str,
    *,
    roots: list[Path],
    stylesheets: list[str] = (),  # type: ignore[assignment]
    pdf_forms: bool = False,
) -> tuple[Any, list[str]]:
    """Lay ``html`` out (as ``html_to_pdf`` does) and return WeasyPrint's Document, with
    the warnings about refused URLs."""
    from weasyprint import HTML

    root_key, fetcher, parsed, warnings = _prepare(roots, stylesheets)
    try:
        document = HTML(
            string=html, base_url=root_key[0].as_uri() + "/", url_fetcher=fetcher
        ).render(font_config=_font_config(), stylesheets=parsed, pdf_forms=pdf_forms or None)
    except Exception as error:  # WeasyPrint raises many types; report one line
        raise RenderError(f"PDF rendering failed: {type(error).__name__}: {error}") from error
    warnings.extend(_left_out(url) for url in fetcher.refused)
    return document, warnings


def html_to_pdf(
    html: str,
    *,
    roots: list[Path],
    stylesheets: list[str] = (),  # type: ignore[assignment]
    pdf_variant: str | None = None,
    attachments: list[EmbeddedFile] = (),  # type: ignore[assignment]
    pdf_forms: bool = False,
) -> PdfResult:
    """Lay out ``html`` (plus ``stylesheets``, CSS text) and return the PDF bytes.

    ``roots`` are the folders whose files the document may use (templates first; relative
    URLs resolve against the first). Every other URL is refused and listed in ``warnings``.
    ``pdf_variant`` is WeasyPrint's (e.g. ``"pdf/a-3b"``); ``attachments`` are embedded as
    data files; ``pdf_forms`` turns inputs, textareas and selects into PDF form fields.
    """
    from weasyprint import HTML, Attachment

    root_key, fetcher, parsed, warnings = _prepare(roots, stylesheets)
    embedded = [
        Attachment(string=item.text, name=item.name, description=item.description,
                   url_fetcher=fetcher, relationship="Data")
        for item in attachments
    ]
    try:
        document = HTML(
            string=html, base_url=root_key[0].as_uri() + "/", url_fetcher=fetcher
        ).render(font_config=_font_config(), stylesheets=parsed, pdf_forms=pdf_forms or None)
        data = document.write_pdf(pdf_variant=pdf_variant, attachments=embedded or None)
    except Exception as error:  # WeasyPrint raises many types; report one line
        raise RenderError(f"PDF rendering failed: {type(error).__name__}: {error}") from error
    warnings.extend(_left_out(url) for url in fetcher.refused)
    assert data is not None
    return PdfResult(data=data, pages=len(document.pages), warnings=warnings)
