"""Reading a PDF's XMP metadata as XML (not as text that happens to contain a digit), and
checking a tagged PDF's accessibility: ``pdfua`` plus the structure checks it leaves out."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

PDFAID = "http://www.aiim.org/pdfa/ns/id/"


def xmp_properties(path: Path, namespace: str) -> dict[str, str]:
    """Every property of ``namespace`` in the PDF's XMP packet ({} when it has none),
    written either as attributes of rdf:Description or as child elements."""
    from pypdf import PdfReader

    root = PdfReader(path).trailer["/Root"]
    if "/Metadata" not in root:
        return {}
    packet = root["/Metadata"].get_object().get_data()
    found: dict[str, str] = {}
    for element in ElementTree.fromstring(packet).iter():
        for key, value in element.attrib.items():
            if key.startswith("{" + namespace + "}"):
                found[key.split("}", 1)[1]] = value
        if element.tag.startswith("{" + namespace + "}"):
            found[element.tag.split("}", 1)[1]] = (element.text or "").strip()
    return found


def pdfua_findings(path: Path) -> list[str]:
    """What the ``pdfua`` checker (PDF/UA-1's machine-checkable subset: structure tree,
    marked content, /Lang, /Title, figures' /Alt, table headers, annotations, the PDF/UA
    identification) finds in ``path``, warnings included, one line each."""
    from pdfua import validate

    return [f"{f.rule_id} {f.severity.name} p{f.location.page}: {f.message}"
            for f in validate(str(path)).findings]


def _structure(path: Path) -> tuple[list[tuple[str, Any]], Any]:
    """Every structure element of ``path`` in reading order (depth first) as (role, element),
    and the open pikepdf document's root."""
    import pikepdf

    pdf = pikepdf.open(path)
    found: list[tuple[str, Any]] = []

    def walk(node: Any, depth: int) -> None:
        if depth > 200 or not isinstance(node, pikepdf.Dictionary):
            return
        role = node.get("/S")
        if role is not None:
            found.append((str(role), node))
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            for kid in kids:
                walk(kid, depth + 1)
        elif isinstance(kids, pikepdf.Dictionary):
            walk(kids, depth + 1)

    walk(pdf.Root.StructTreeRoot, 0)
    return found, pdf


def _is_heading(role: str) -> bool:
    return len(role) == 3 and role.startswith("/H") and role[2].isdigit()


def _nested_headings(element: Any) -> int:
    """Headings below ``element`` in its subtree (a block inside an <h1> becomes one)."""
    import pikepdf

    count, stack = 0, [element.get("/K")]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            if _is_heading(str(node.get("/S", ""))):
                count += 1
            stack.append(node.get("/K"))
    return count


def _attribute(element: Any, key: str) -> Any:
    import pikepdf

    attributes = element.get("/A")
    for item in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
        if isinstance(item, pikepdf.Dictionary) and key in item:
            return item[key]
    return None


def structure_problems(path: Path) -> list[str]:
    """What pdfua does not check, read from the structure tree with pikepdf: headings in
    order (the first an H1, none more than one level below the one before); every table
    header cell with /Scope; every figure with non-empty /Alt; every form field with a
    label (/TU) other than its internal name (/T); no heading inside another (WeasyPrint
    tags a block inside an <h1> as a second H1)."""
    import pikepdf

    elements, pdf = _structure(path)
    problems: list[str] = []
    last = 0
    for role, element in elements:
        if _is_heading(role):
            if _nested_headings(element):
                problems.append(f"a heading inside heading {role}")
            level = int(role[2])
            if level > last + 1:
                problems.append(f"heading {role} follows H{last}" if last else
                                f"the first heading is {role}")
            last = level
    for role, element in elements:
        if role == "/TH" and str(_attribute(element, "/Scope")) not in ("/Row", "/Column",
                                                                          "/Both"):
            problems.append("a table header cell without /Scope")
        if role == "/Figure" and not str(element.get("/Alt", "")).strip():
            problems.append("a figure without /Alt")
    fields = pdf.Root.get("/AcroForm", {}).get("/Fields", []) if "/AcroForm" in pdf.Root \
        else []
    for field in fields:
        if not isinstance(field, pikepdf.Dictionary):
            continue
        label, name = str(field.get("/TU", "")).strip(), str(field.get("/T", ""))
        if not label or label == name:
            problems.append(f"form field {name!r} without a label (/TU)")
    return problems


def headings(path: Path) -> list[str]:
    """The structure tree's heading roles in reading order (["/H1", "/H2", ...])."""
    elements, _ = _structure(path)
    return [role for role, _ in elements if _is_heading(role)]


def figure_alts(path: Path) -> list[str]:
    """Every /Figure's alternative text, in reading order."""
    elements, _ = _structure(path)
    return [str(element.get("/Alt", "")) for role, element in elements if role == "/Figure"]
