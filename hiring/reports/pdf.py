"""Report PDFs: plain, or archival PDF/A-3b carrying the ratings it was made from.

The attachments are built in memory from strings we generate (CSV and JSON of the
ratings), never from URLs, so nothing outside the process is read for them. The page
itself goes through the same safe URL fetcher as every other document. Imports
WeasyPrint: only import this module to write a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hiring.errors import InputError, RenderError
from hiring.render.pdf import PdfResult, html_to_pdf

PDF_VARIANTS = ("pdf/a-3b",)


@dataclass(frozen=True)
class EmbeddedFile:
    name: str
    text: str
    description: str


def report_pdf(
    html: str,
    *,
    roots: list[Path],
    stylesheets: list[str],
    pdf_variant: str | None = None,
    attachments: list[EmbeddedFile] = (),  # type: ignore[assignment]
) -> PdfResult:
    """The report as PDF; with ``pdf_variant="pdf/a-3b"`` an archival PDF with
    ``attachments`` embedded (PDF/A-3 is the PDF/A part that allows embedded files)."""
    if pdf_variant is None:
        return html_to_pdf(html, roots=roots, stylesheets=stylesheets)
    if pdf_variant not in PDF_VARIANTS:
        raise InputError(f"unknown PDF variant '{pdf_variant}' (expected: pdf/a-3b)")
    from weasyprint import HTML, Attachment

    from hiring.render.fetcher import SafeURLFetcher

    # The shared layer caches the font configuration and parsed stylesheets per process.
    from hiring.render.pdf import _font_config, _left_out, _stylesheet

    root_key = tuple(Path(r).resolve() for r in roots)
    fetcher = SafeURLFetcher(list(root_key))
    warnings: list[str] = []
    parsed = []
    for css in stylesheets:
        sheet, refused = _stylesheet(css, root_key)
        parsed.append(sheet)
        warnings.extend(_left_out(url) for url in refused)
    embedded = [
        Attachment(string=item.text, name=item.name, description=item.description,
                   url_fetcher=fetcher, relationship="Data")
        for item in attachments
    ]
    try:
        document = HTML(
            string=html, base_url=root_key[0].as_uri() + "/", url_fetcher=fetcher
        ).render(font_config=_font_config(), stylesheets=parsed)
        data = document.write_pdf(pdf_variant=pdf_variant, attachments=embedded)
    except Exception as error:  # WeasyPrint raises many types; report one line
        raise RenderError(f"PDF rendering failed: {type(error).__name__}: {error}") from error
    warnings.extend(_left_out(url) for url in fetcher.refused)
    assert data is not None
    return PdfResult(data=data, pages=len(document.pages), warnings=warnings)
