"""Issue 21, item 4: a filled PDF of the wrong shape is one line naming the file (and the
field), never a traceback: manifest values of the wrong type, /Annots that is not a list,
an annotation that is not a dictionary, /Opt or /Ff of the wrong type, AES encryption, and
a manifest stream that inflates to 200 MB. Nothing is imported."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from tests.cli_helpers import ok, one_error_line, run
from tests.test_scorecard_pdf import _manifest, _values, fill_with_pypdf


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A database with Anna, and her panel guide filled in (scores, notes, recommendation)."""
    folder = tmp_path_factory.mktemp("pdf")
    db = str(folder / "h.db")
    ok(db, "candidate", "add", "Anna Berg", "--role", "inbound-agent")
    ok(db, "guide", "build", "--role", "inbound-agent", "--round", "panel", "--candidate", "1",
       "--interviewer", "Ole Holm", "--fillable", "--out", str(folder / "blank.pdf"))
    fill_with_pypdf(folder / "blank.pdf", folder / "filled.pdf", _values(folder / "blank.pdf"),
                    {"teamwork": 4, "avoiding-arguments": 2})
    return db, folder / "filled.pdf"


def _filespec(writer: PdfWriter) -> Any:
    return writer._root_object["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()


def _embed(stream: DecodedStreamObject) -> Callable[[PdfWriter], None]:
    def change(writer: PdfWriter) -> None:
        _filespec(writer)["/EF"][NameObject("/F")] = writer._add_object(stream)

    return change


def _manifest_as(change: dict[str, Any]) -> Callable[[PdfWriter, dict[str, Any]], None]:
    def apply(writer: PdfWriter, manifest: dict[str, Any]) -> None:
        stream = DecodedStreamObject()
        stream.set_data(json.dumps({**manifest, **change}).encode())
        _embed(stream)(writer)

    return apply


def _inflating(writer: PdfWriter, manifest: dict[str, Any]) -> None:
    packer = zlib.compressobj(9)
    packed = b"".join(packer.compress(b" " * (1 << 20)) for _ in range(200)) + packer.flush()
    stream = DecodedStreamObject()
    stream._data = packed  # already FlateDecode data: 200 MB once inflated
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    _embed(stream)(writer)


def _radio_group(writer: PdfWriter) -> Any:
    for page in writer.pages:
        for reference in page.get("/Annots") or []:
            widget = reference.get_object()
            parent = widget.get("/Parent")
            if parent is not None and parent.get_object().get("/FT") == "/Btn":
                return parent.get_object()
    raise AssertionError("no radio group")


def _fields_page(writer: PdfWriter) -> Any:
    return next(page for page in writer.pages if len(page.get("/Annots") or []) > 2)


CASES: dict[str, tuple[Callable[[PdfWriter, dict[str, Any]], None], str]] = {
    "questions a list of strings": (_manifest_as({"questions": ["a", "b"]}),
                                    "'questions' must be a list of {competency, question}"),
    "questions a dict": (_manifest_as({"questions": {"a": 1}}),
                         "'questions' must be a list of {competency, question}"),
    "competencies 5": (_manifest_as({"competencies": 5}), "'competencies' must be a list"),
    "candidate_id text": (_manifest_as({"candidate_id": "1; DROP"}), "'candidate_id' must be"),
    "/Annots an integer": (lambda w, m: _fields_page(w).__setitem__(
        NameObject("/Annots"), NumberObject(5)), "(/Annots) are not a list"),
    "an annotation not a dictionary": (lambda w, m: _fields_page(w).__setitem__(
        NameObject("/Annots"), ArrayObject([NumberObject(3)])), "is not a dictionary"),
    "/Opt an integer": (lambda w, m: _radio_group(w).__setitem__(
        NameObject("/Opt"), NumberObject(1)), "(/Opt) are not a list"),
    "/Ff text": (lambda w, m: _radio_group(w).__setitem__(
        NameObject("/Ff"), TextStringObject("abc")), "(/Ff) are not a number"),
    "a manifest inflating to 200 MB": (_inflating, "is not a readable PDF"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_damaged_filled_pdf_is_one_line(filled: tuple[str, Path], tmp_path: Path,
                                           case: str) -> None:
    db, source = filled
    change, needle = CASES[case]
    writer = PdfWriter(clone_from=str(source))
    change(writer, _manifest(source))
    target = tmp_path / "damaged.pdf"
    writer.write(str(target))
    line = one_error_line(run(db, "score", "import", str(target)))
    assert str(target) in line and needle in line, line
    assert "no scores" in ok(db, "score", "list", "--candidate", "1") or \
        json.loads(ok(db, "score", "list", "--candidate", "1", "--json"))["scores"] == []


def test_an_aes_encrypted_pdf_is_refused_in_one_line(filled: tuple[str, Path],
                                                      tmp_path: Path) -> None:
    pymupdf = pytest.importorskip("pymupdf")
    db, source = filled
    document = pymupdf.open(str(source))
    target = tmp_path / "locked.pdf"
    document.save(str(target), encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner",
                  user_pw="")
    line = one_error_line(run(db, "score", "import", str(target)))
    assert "is encrypted" in line and str(target) in line, line


def test_the_untampered_file_still_imports(filled: tuple[str, Path], tmp_path: Path) -> None:
    import shutil

    db, source = filled
    copy = tmp_path / "h.db"
    shutil.copy(db, copy)
    done = ok(str(copy), "score", "import", str(source))
    assert "imported 1 scorecard(s)" in done
