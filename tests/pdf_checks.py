"""Reading a PDF's XMP metadata as XML (not as text that happens to contain a digit)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

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
