"""One long document laid out as parts in parallel processes and joined into one PDF.

WeasyPrint lays a document out on one core. A document that can be cut where a page
break is forced anyway (a report's candidate pages each start a page) is laid out as
parts, one per process, and joined so that it reads as the one-process render does:

- the pages in order, each part's structure tree under the one ``/Document`` element
  (tagged PDF/UA), with the parent-tree keys and table header ids of later parts
  renumbered so they stay unique;
- the outline built from every part's headings by WeasyPrint's own nesting rule, so a
  candidate's heading sits under the report's title as in one render;
- the page numbers ("3 / 41") drawn after the join, when the total is known, in the place
  and font the stylesheet gives them and marked as artifacts, as WeasyPrint marks margin
  boxes (the parts are laid out without them);
- the first part's catalog kept whole: metadata, language, PDF/A output intent and
  embedded files (an archival report's ratings).

Workers are spawned (WeasyPrint is not fork-safe once imported). Imports WeasyPrint and
pikepdf: only import this module to write a PDF.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hiring.errors import RenderError
from hiring.processes import skip_collections_at_exit
from hiring.render.pdf import (
    DEFAULT_PDF_VARIANT,
    EmbeddedFile,
    PdfResult,
    check_pdf_variant,
    laid_out_pdf,
)

# print.css draws the page number in @bottom-right and the running header in @top-left,
# both left out on a document's first page. Every part is laid out without numbers; a
# part after the first keeps the header on its first page, which is not the document's.
WITHOUT_NUMBERS_CSS = "@page { @bottom-right { content: none; } }"
FOLLOWING_PART_CSS = "@page :first { @top-left { content: element(running-header); } }"
# The numbers alone, on blank pages of the same size, laid over the joined pages.
NUMBERS_ONLY_CSS = "@page { @top-left { content: none; } }"


@dataclass
class LaidOutPart:
    """One part as PDF, with what the join needs of its layout."""

    pdf: bytes
    heights: list[float]  # CSS px, per page
    bookmarks: list[list[tuple[int, str, tuple[float, float], str]]]  # per page
    warnings: list[str] = field(default_factory=list)


def _lay_out(html: str, roots: list[Path], stylesheets: list[str], variant: str,
             attachments: Sequence[EmbeddedFile] = ()) -> LaidOutPart:
    """Lay one part out and write it (tagged ``variant``); runs in a worker or the parent."""
    document, result = laid_out_pdf(html, roots=roots, stylesheets=stylesheets,
                                    pdf_variant=variant, attachments=attachments)
    return LaidOutPart(
        result.data, [page.height for page in document.pages],
        [list(page.bookmarks) for page in document.pages], result.warnings,
    )


def lay_out_parts(
    parts: Sequence[str],
    *,
    roots: list[Path],
    stylesheets: list[str],
    numbers_html: str,
    pdf_variant: str = DEFAULT_PDF_VARIANT,
    attachments: Sequence[EmbeddedFile] = (),
    workers: int = 2,
) -> PdfResult:
    """Lay the HTML ``parts`` out in up to ``workers`` processes and join them.

    Each part must start with a forced page break in the whole document (the first part
    starts it). ``numbers_html`` is a page of the same size and stylesheets whose body is
    replaced by blank pages to draw the numbers; ``attachments`` go into the first part.
    """
    import multiprocessing

    check_pdf_variant(pdf_variant)
    first_css = [*stylesheets, WITHOUT_NUMBERS_CSS]
    following_css = [*first_css, FOLLOWING_PART_CSS]
    context = multiprocessing.get_context("spawn")
    laid_out: list[LaidOutPart | None] = [None] * len(parts)
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(parts)) - 1),
                             mp_context=context,
                             initializer=skip_collections_at_exit) as pool:
        # Longest first (its HTML's length stands for its layout time): the workers take
        # the long parts, and this process, done with the first, takes the short ones no
        # worker has started yet.
        by_length = sorted(range(1, len(parts)), key=lambda i: -len(parts[i]))
        futures = {index: pool.submit(_lay_out, parts[index], roots, following_css,
                                      pdf_variant)
                   for index in by_length}
        try:
            laid_out[0] = _lay_out(parts[0], roots, first_css, pdf_variant, attachments)
            for index in reversed(by_length):
                if futures[index].cancel():
                    laid_out[index] = _lay_out(parts[index], roots, following_css,
                                               pdf_variant)
            for index, future in futures.items():
                if laid_out[index] is None:
                    laid_out[index] = future.result()
        except BrokenProcessPool as error:
            raise RenderError(f"PDF rendering failed: a layout process stopped ({error})"
                              ) from error
        except BaseException:
            for future in futures.values():
                future.cancel()
            raise
    done = [part for part in laid_out if part is not None]
    data = join_parts(done, roots=roots, stylesheets=stylesheets, numbers_html=numbers_html)
    pages = sum(len(part.heights) for part in done)
    warnings = list(dict.fromkeys(w for part in done for w in part.warnings))
    return PdfResult(data=data, pages=pages, warnings=warnings)


def _bookmark_tree(parts: Sequence[LaidOutPart]) -> list[Any]:
    """WeasyPrint's outline of all parts' pages as one document (its own nesting rule,
    ``Document.make_bookmark_tree``), in PDF coordinates."""
    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    root: list[Any] = []
    skipped: list[int] = []
    last_by_depth: list[list[Any]] = [root]
    previous = 0
    number = 0
    for part in parts:
        for height, bookmarks in zip(part.heights, part.bookmarks, strict=True):
            scale = 0.75  # CSS px to PDF points, as WeasyPrint's write_pdf at zoom 1
            matrix = Matrix(a=scale, d=-scale, f=height * scale)
            previous = make_page_bookmark_tree(
                SimpleNamespace(bookmarks=bookmarks), skipped, last_by_depth, previous,
                number, matrix)
            number += 1
    return root


def _write_outline(pdf: Any, tree: list[Any]) -> None:
    """The outline dictionaries WeasyPrint writes (``pdf/anchors.add_outlines``): title,
    /XYZ destination, open unless the heading asked to be closed."""
    from pikepdf import Array, Dictionary, Name, String

    pages = [page.obj for page in pdf.pages]

    def add(items: list[Any], parent: Any) -> tuple[list[Any], int]:
        count = len(items)
        made: list[Any] = []
        for title, (page, x, y), children, state in items:
            outline = pdf.make_indirect(Dictionary(
                Title=String(title), Dest=Array([pages[page], Name.XYZ, x, y, 0]),
                Parent=parent))
            kids, kids_count = add(children, outline)
            outline.Count = -kids_count if state == "closed" else kids_count
            if state != "closed":
                count += kids_count
            if kids:
                outline.First, outline.Last = kids[0], kids[-1]
            if made:
                outline.Prev = made[-1]
                made[-1].Next = outline
            made.append(outline)
        return made, count

    root = pdf.make_indirect(Dictionary(Type=Name.Outlines))
    top, count = add(tree, root)
    if not top:
        if "/Outlines" in pdf.Root:
            del pdf.Root.Outlines
        return
    root.Count, root.First, root.Last = count, top[0], top[-1]
    pdf.Root.Outlines = root


def _keys(parent_tree: Any) -> list[int]:
    """The keys of a parent tree (WeasyPrint writes one flat /Nums array)."""
    if "/Kids" in parent_tree:
        raise RenderError("PDF join: a parent tree with /Kids is not supported")
    numbers = parent_tree.Nums
    return [int(numbers[i]) for i in range(0, len(numbers), 2)]


def _append_part(pdf: Any, part: Any, index: int) -> None:
    """Append ``part``'s pages to ``pdf`` with its structure tree grafted under ``pdf``'s
    ``/Document`` element; keys and ids renumbered past ``pdf``'s."""
    from pikepdf import Array, Dictionary, String

    root = pdf.Root.StructTreeRoot
    document = root.K[0]
    numbers = root.ParentTree.Nums
    offset = max(_keys(root.ParentTree), default=-1) + 1
    their_root = part.Root.StructTreeRoot
    their_document = their_root.K[0]
    their_numbers = their_root.ParentTree.Nums
    their_keys = _keys(their_root.ParentTree)

    # Table header ids (WeasyPrint: "<table object number>-<row>-<column>") repeat across
    # parts: prefix the part's own, in /ID and in every cell's /Headers.
    prefix = f"part{index}-"
    seen: set[tuple[int, int]] = set()
    stack = list(their_document.K)
    while stack:
        element = stack.pop()
        if not isinstance(element, Dictionary) or element.objgen in seen:
            continue
        seen.add(element.objgen)
        if "/ID" in element:
            element.ID = String(prefix + str(element.ID))
        attributes = element.get("/A")
        if isinstance(attributes, Dictionary) and "/Headers" in attributes:
            attributes.Headers = Array([String(prefix + str(h)) for h in attributes.Headers])
        children = element.get("/K")
        if isinstance(children, Array):
            stack.extend(children)
        elif isinstance(children, Dictionary):
            stack.append(children)

    # Copied with the pages (one map of copied objects per source), the elements' /Pg
    # point at the new pages; the top elements' /P is cut first so the part's own root
    # is not copied, and then made this document's element.
    for kid in their_document.K:
        del kid.P
    pdf.pages.extend(part.pages)
    bundle = pdf.copy_foreign(part.make_indirect(Array([
        their_document.K,
        Array([their_numbers[i + 1] for i in range(0, len(their_numbers), 2)])])))
    for kid in bundle[0]:
        kid.P = document
        document.K.append(kid)
    for key, value in zip(their_keys, bundle[1], strict=True):
        numbers.append(key + offset)
        numbers.append(value)
    for page in pdf.pages[len(pdf.pages) - len(part.pages):]:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", None) or ():
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset


def _draw_numbers(pdf: Any, numbers: Any) -> None:
    """Page ``i`` of ``numbers`` (untagged) drawn over page ``i`` of ``pdf`` as an
    artifact, as WeasyPrint marks margin boxes (PDF/UA-1 7.1: nothing left untagged)."""
    from pikepdf import Name

    for index, (page, over) in enumerate(zip(pdf.pages, numbers.pages, strict=True)):
        if not over.obj.get("/Contents"):
            continue
        name = Name(f"/HiringPageNumber{index}")
        page.add_resource(pdf.copy_foreign(over.as_form_xobject()), Name.XObject, name)
        # WeasyPrint's content leaves its y-flip in force: q ... Q around it.
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(f"\nQ /Artifact BMC q {name} Do Q EMC\n".encode())


def _numbers_html(page_html: str, pages: int) -> str:
    """``page_html``'s head (page size, font) over ``pages`` blank pages."""
    head = page_html[: page_html.index("<body")].replace(
        "</head>", "<style>.blank + .blank { break-before: page; }</style></head>", 1)
    return f"{head}<body>{'<div class=blank></div>' * pages}</body></html>"


def join_parts(parts: Sequence[LaidOutPart], *, roots: list[Path], stylesheets: list[str],
               numbers_html: str) -> bytes:
    """The parts as one PDF: the first part's catalog, every part's pages and structure,
    one outline, and the page numbers drawn over the joined pages."""
    import pikepdf

    from hiring.render.pdf import html_to_pdf

    pdf = pikepdf.open(io.BytesIO(parts[0].pdf))
    for index, part in enumerate(parts[1:], start=1):
        _append_part(pdf, pikepdf.open(io.BytesIO(part.pdf)), index)
    _write_outline(pdf, _bookmark_tree(parts))
    total = len(pdf.pages)
    numbers = pikepdf.open(io.BytesIO(html_to_pdf(
        _numbers_html(numbers_html, total), roots=roots,
        stylesheets=[*stylesheets, NUMBERS_ONLY_CSS], pdf_variant=None).data))
    if len(numbers.pages) != total:
        raise RenderError(f"PDF join: {len(numbers.pages)} numbered pages for {total}")
    _draw_numbers(pdf, numbers)
    out = io.BytesIO()
    # Object streams, as WeasyPrint writes them: the copied structure elements written
    # one by one made the 500-candidate report 2.2 MB instead of 0.8 MB.
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()
