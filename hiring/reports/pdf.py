"""Report PDFs: tagged PDF/UA-1, or an archival variant carrying the ratings it was made from.

The attachments are built in memory from strings we generate (CSV and JSON of the
ratings), never from URLs, so nothing outside the process is read for them. The page
itself goes through the same safe URL fetcher as every other document. Imports
WeasyPrint: only import this module to write a PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hiring.render.pdf import (
    DEFAULT_PDF_VARIANT,
    PDF_VARIANTS,
    EmbeddedFile,
    PdfResult,
    check_pdf_variant,
    html_to_pdf,
)

__all__ = ["EmbeddedFile", "PDF_VARIANTS", "archival", "report_pdf"]


def archival(pdf_variant: str | None) -> bool:
    """Whether ``pdf_variant`` is a PDF/A one: those carry the ratings as attachments."""
    return pdf_variant is not None and pdf_variant.startswith("pdf/a-")


def _no_files(pdf_variant: str) -> bool:
    """PDF/A-1 and -2 embed no data files (WeasyPrint drops them): PDF/A-3 and -4 do."""
    return pdf_variant.startswith(("pdf/a-1", "pdf/a-2"))


def report_pdf(
    html: str | Sequence[str],
    *,
    roots: list[Path],
    stylesheets: list[str],
    pdf_variant: str | None = None,
    attachments: list[EmbeddedFile] = (),  # type: ignore[assignment]
    workers: int = 1,
) -> PdfResult:
    """The report as PDF: tagged PDF/UA-1 by default; with a PDF/A ``pdf_variant`` (e.g.
    ``"pdf/a-3a"``: archival, tagged and PDF/UA-1 too) an archival PDF with ``attachments``
    embedded (PDF/A-3 is the PDF/A part that allows embedded files).

    ``html`` as a list of parts, each starting on a page of its own, is laid out in up to
    ``workers`` processes and joined (``hiring.render.parts``)."""
    variant = pdf_variant or DEFAULT_PDF_VARIANT
    check_pdf_variant(variant)
    dropped = archival(variant) and _no_files(variant) and bool(attachments)
    embedded = attachments if archival(variant) and not dropped else []
    if isinstance(html, str) or len(html) == 1:
        whole = html if isinstance(html, str) else html[0]
        result = html_to_pdf(whole, roots=roots, stylesheets=stylesheets,
                             pdf_variant=variant, attachments=embedded)
    else:
        from hiring.render.parts import lay_out_parts

        result = lay_out_parts(html, roots=roots, stylesheets=stylesheets,
                               numbers_html=html[0], pdf_variant=variant,
                               attachments=embedded, workers=workers)
    if dropped:
        result.warnings.append(
            f"{variant} embeds no files: the {len(attachments)} ratings files "
            f"({', '.join(a.name for a in attachments)}) are not attached; pdf/a-3a or "
            "pdf/a-3b attach them"
        )
    return result
