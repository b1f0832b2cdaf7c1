"""PDF output read back with pdftotext/pdffonts/pypdf, and the safe URL fetcher."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from hiring.bank import load_bank
from hiring.errors import RenderError
from hiring.guides.build import write_guide
from hiring.guides.context import GuideRequest
from hiring.render.fonts import require_font
from hiring.render.strings import ui_strings

FIVE = Path(__file__).parent / "fixtures" / "five_lang_bank"
HOSTILE = '<img src="file:///etc/hostname">{{7*7}}'
NAMES = {"en": "Anna Berg", "da": "Søren Ærø", "ru": "Иван Петров", "bg": "Мария Иванова",
         "zh": "王小明"}

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@pytest.fixture(scope="module")
def bank():
    return load_bank([FIVE])


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True)
    return " ".join(out.stdout.split())


@pytest.mark.parametrize("lang", ["en", "da", "ru", "bg", "zh"])
def test_guide_pdf_in_each_language(bank, tmp_path: Path, lang: str) -> None:
    out = tmp_path / f"{lang}.pdf"
    result = write_guide(bank, GuideRequest(role="inbound-agent", round="screen",
                                            candidate=NAMES[lang], lang=lang), out)
    assert result.pages and result.pages >= 4 and result.warnings == []
    text = _text(out)
    assert NAMES[lang] in text
    competency = bank.competency("rushing-customers")
    for item in result.guide.manifest()["questions"]:
        _, question = bank.question(item["question"])
        # pdftotext may break a long line: compare the first words (of each role-play turn).
        from hiring.guides.context import script_lines

        if question.type == "role_play":
            parts = [line.words for line in script_lines(question.text[lang])]
        else:
            parts = [question.text[lang]]
        for part in parts:
            assert " ".join(part.split()[:3]) in text or part[:8] in text
    anchor = competency.anchors[3][lang]
    assert anchor[:12] in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # "emb" column
    expected = "Noto-Sans-CJK-SC" if lang == "zh" else "DejaVu-Sans"
    assert any(expected in line for line in fonts)
    from pypdf import PdfReader

    reader = PdfReader(out)
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert reader.metadata.title.startswith(ui_strings(lang)["guide_title"])
    assert NAMES[lang] in reader.metadata.title
    assert reader.metadata.author == result.guide.role_name  # no interviewer given


def test_hostile_name_printed_literally_in_pdf(bank, tmp_path: Path) -> None:
    out = tmp_path / "hostile.pdf"
    write_guide(bank, GuideRequest(role="inbound-agent", candidate=HOSTILE, paper="letter"), out)
    from pypdf import PdfReader

    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # US Letter, pt
    text = _text(out)
    assert HOSTILE in text
    assert "49" not in text


def test_a_name_naming_a_stylesheet_is_text_not_a_fetch(bank, tmp_path: Path) -> None:
    """A name that would load a stylesheet if it reached the page as HTML: its content (a
    unique token) must not appear, and the name must, as text. The same stylesheet given
    to the renderer from an allowed folder does show the token: the check can fail."""
    from hiring.render.pdf import html_to_pdf

    token = "LEAKTOKEN" + "7f3a9c1e"
    folder = tmp_path / "assets"
    folder.mkdir()
    sheet = folder / "leak.css"
    sheet.write_text(f'body::before {{ content: "{token}"; }}', encoding="utf-8")
    name = f'<style>@import url("{sheet.as_uri()}");</style>Eve'
    out = tmp_path / "guide.pdf"
    write_guide(bank, GuideRequest(role="inbound-agent", candidate=name), out)
    text = _text(out)
    assert name in text and token not in text
    control = tmp_path / "control.pdf"
    control.write_bytes(html_to_pdf(f"<html><head>{name[:-3]}</head><body>x</body></html>",
                                    roots=[folder]).data)
    assert token in _text(control)


class _Counter(http.server.BaseHTTPRequestHandler):
    requests = 0

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        type(self).requests += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args: object) -> None:
        pass


def test_override_template_with_network_and_outside_files_renders_without_them(
    bank, tmp_path: Path
) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "guide.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block content %}'
        f'<link rel="stylesheet" href="{url}/x.css">'
        f'<style>@import url("{url}/y.css");</style>'
        f'<img src="{url}/i.png">'
        '<link rel="attachment" href="file:///etc/passwd" title="passwd">'
        '<img src="file:///dev/urandom">'
        '<p>Override for {{ guide.candidate }}</p>{% endblock %}'
    )
    out = tmp_path / "o.pdf"
    try:
        result = write_guide(bank, GuideRequest(role="inbound-agent", candidate="Anna"), out,
                             templates_dir=templates)
    finally:
        server.shutdown()
    assert _Counter.requests == 0
    assert "Override for Anna" in _text(out)
    refused = "\n".join(result.warnings)
    for target in (f"{url}/x.css", f"{url}/y.css", f"{url}/i.png", "file:///etc/passwd",
                   "file:///dev/urandom"):
        assert target in refused, target
    from pypdf import PdfReader

    reader = PdfReader(out)
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert b"root:" not in out.read_bytes()


def test_fetcher_serves_template_files_and_refuses_the_rest(tmp_path: Path) -> None:
    from hiring.paths import bundled_templates_dir
    from hiring.render.fetcher import RefusedURL, SafeURLFetcher

    root = bundled_templates_dir().resolve()
    fetcher = SafeURLFetcher([root])
    response = fetcher.fetch((root / "print.css").as_uri())
    assert b"@page" in response.read()
    link = root.parent / "tests" / "fixtures"  # outside the templates
    for url in ("file:///etc/passwd", "file:///dev/urandom", "http://127.0.0.1:9/x",
                "https://example.com/", "ftp://example.com/x", link.as_uri() + "/../x",
                (root / "missing.css").as_uri(), (root / ".." / "pyproject.toml").as_uri()):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    inside_link = tmp_path / "t"
    inside_link.mkdir()
    (inside_link / "evil.css").symlink_to("/etc/passwd")
    with pytest.raises(RefusedURL):
        SafeURLFetcher([inside_link]).fetch((inside_link / "evil.css").as_uri())


def test_missing_font_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # An environment with fontconfig but no fonts: point fontconfig at an empty config.
    from hiring.render import fonts

    fonts._installed_families.cache_clear()
    conf = tmp_path / "empty-fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{tmp_path}</dir>'
                    f'<cachedir>{tmp_path}</cachedir></fontconfig>')
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    try:
        with pytest.raises(RenderError, match="fonts-noto-cjk"):
            require_font("zh")
        with pytest.raises(RenderError, match="fonts-dejavu-core"):
            require_font("ru")
    finally:
        fonts._installed_families.cache_clear()


def test_a_competency_heading_never_ends_a_page(tmp_path: Path) -> None:
    # The bundled bank's Danish panel guide once left "Klar kommunikation" and its
    # definition alone at the foot of page 4, its first question on page 5.
    bank = load_bank()
    out = tmp_path / "panel.pdf"
    result = write_guide(bank, GuideRequest(role="inbound-agent", round="panel",
                                            candidate="Anna Berg", lang="da"), out)
    pages = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = [" ".join(page.split()) for page in pages]
    checked = 0
    for competency in result.guide.parts[0].competencies + result.guide.parts[1].competencies:
        question = competency.questions[0]
        # A role-play prints its speakers in capitals: compare the words they say.
        text = question.script[0].words if question.script else question.text
        first_words = " ".join(text.split()[:4])
        heading = [n for n, page in enumerate(pages) if competency.definition[:30] in page]
        assert heading, competency.name
        assert first_words in pages[heading[0]], (competency.name, heading[0] + 1)
        checked += 1
    assert checked >= 10


def test_only_what_lives_before_the_first_layout_is_kept_out_of_collections(
    tmp_path: Path,
) -> None:
    """The first document freezes the objects alive then (modules, fonts, stylesheets);
    later documents freeze nothing, so their cyclic garbage is still collected."""
    import sys

    code = (
        "import gc\n"
        "from hiring.render.pdf import html_to_pdf\n"
        "from hiring.paths import bundled_templates_dir\n"
        "freezes = []\n"
        "freeze = gc.freeze\n"
        "gc.freeze = lambda: (freezes.append(1), freeze())[1]\n"
        "roots = [bundled_templates_dir()]\n"
        "html_to_pdf('<html lang=\"en\"><title>a</title><p>one</p></html>', roots=roots)\n"
        "frozen = gc.get_freeze_count()\n"
        "html_to_pdf('<html lang=\"en\"><title>b</title><p>two</p></html>', roots=roots)\n"
        "print(len(freezes), frozen > 10_000, gc.isenabled())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=tmp_path)
    assert out.stdout.split() == ["1", "True", "True"]
