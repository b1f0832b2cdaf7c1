"""Report PDFs: plain, or archival PDF/A-3b carrying the ratings it was made from.

The attachments are built in memory from strings we generate (CSV and JSON of the
ratings), never from URLs, so nothing outside the process is read for them. The page
itself goes through the same safe URL fetcher as every other document. Imports
WeasyPrint: only import this module to write a PDF.
"""

from __future__ import annotations

from pathlib import Path

from hiring.errors import InputError
from hiring.render.pdf import EmbeddedFile, PdfResult, html_to_pdf

PDF_VARIANTS = ("pdf/a-3b",)

__all__ = ["EmbeddedFile", "PDF_VARIANTS", "report_pdf"]


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
    return html_to_pdf(
        html, roots=roots, stylesheets=stylesheets, pdf_variant=pdf_variant,
        attachments=attachments,
    )
