"""Which installed font covers a language's script; fail early instead of printing boxes."""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from hiring.errors import RenderError

# fontconfig language tags: plain "zh" matches any Chinese; the bank's zh is simplified.
_FONTCONFIG_LANG = {"zh": "zh-cn"}
_PREFERRED = {
    "zh": ["Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Zen Hei"],
}
_DEFAULT_PREFERRED = ["DejaVu Sans", "Noto Sans", "Liberation Sans", "FreeSans"]
_DEBIAN_PACKAGE = {"zh": "fonts-noto-cjk"}
_DEFAULT_PACKAGE = "fonts-dejavu-core"
_SAFE_FAMILY = re.compile(r"^[A-Za-z0-9 _.-]+$")


def _preferred(lang: str) -> list[str]:
    return _PREFERRED.get(lang, _DEFAULT_PREFERRED)


def _css_stack(families: list[str]) -> str:
    # Family names end up inside a <style>: keep only plain names.
    quoted = [f'"{name}"' for name in families if _SAFE_FAMILY.match(name)]
    return ", ".join([*quoted, "sans-serif"])


@lru_cache(maxsize=16)
def _installed_families(lang: str) -> tuple[str, ...] | None:
    """Families fontconfig says cover ``lang``; None when fontconfig is not available."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    tag = _FONTCONFIG_LANG.get(lang, lang)
    try:
        result = subprocess.run(
            [fc_list, f":lang={tag}", "family"],
            capture_output=True, text=True, timeout=30, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    families: list[str] = []
    for line in result.stdout.splitlines():
        for name in line.split(","):
            name = name.strip()
            if name and name not in families:
                families.append(name)
    return tuple(families)


def require_font(lang: str) -> str:
    """The CSS font-family stack for ``lang`` using installed fonts that cover its script.

    Raises ``RenderError`` naming the Debian package to install when none is installed.
    """
    installed = _installed_families(lang)
    if installed is None:  # no fontconfig to ask: trust the default stack
        return font_family(lang)
    chosen = [name for name in _preferred(lang) if name in installed]
    if not chosen:
        chosen = [name for name in installed if "Mono" not in name][:1]
    if not chosen:
        package = _DEBIAN_PACKAGE.get(lang, _DEFAULT_PACKAGE)
        raise RenderError(
            f"no installed font covers language '{lang}'; install one, e.g. "
            f"'sudo apt-get install {package}'"
        )
    # Latin fallback after a CJK font, for ids and digits in another style.
    extra = [name for name in _DEFAULT_PREFERRED[:1] if name not in chosen and lang == "zh"]
    return _css_stack(chosen + extra)


def font_family(lang: str) -> str:
    """The CSS font-family stack for ``lang`` without checking what is installed (HTML)."""
    extra = _DEFAULT_PREFERRED[:1] if lang == "zh" else []
    return _css_stack(_preferred(lang) + extra)


# -- the font of fillable form fields ------------------------------------------------------
# WeasyPrint embeds a form field's font whole (the viewer draws what is typed, so every glyph
# may be needed): Noto Sans CJK alone made a Chinese form 20.9 MB. Fields get their own
# font instead: the language's font cut down to the characters people type in these five
# languages: Latin (Danish too), Cyrillic, punctuation and, for Chinese, the 3,755 common
# hanzi of GB 2312 level 1 plus CJK punctuation and full-width forms.
_FIELD_RANGES = [
    (0x20, 0x7E), (0xA0, 0x17F), (0x400, 0x45F), (0x2010, 0x203A), (0x20AC, 0x20AC),
]
_CJK_RANGES = [(0x3000, 0x303F), (0xFF01, 0xFF5E)]


def _gb2312_level1() -> list[int]:
    """The 3,755 most common hanzi (GB 2312 rows 16-55), from Python's own codec."""
    codes = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                codes.append(ord(bytes([row, cell]).decode("gb2312")))
            except UnicodeDecodeError:  # row 55 ends early
                pass
    return codes


def field_characters(lang: str) -> list[int]:
    ranges = _FIELD_RANGES + (_CJK_RANGES if lang == "zh" else [])
    codes = [code for start, end in ranges for code in range(start, end + 1)]
    return codes + (_gb2312_level1() if lang == "zh" else [])


def _font_file(family: str) -> tuple[Path, int] | None:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        result = subprocess.run([fc_match, "-f", "%{file}\n%{index}", family],
                                capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = result.stdout.splitlines()
    if len(lines) != 2 or not lines[1].isdigit():
        return None
    return Path(lines[0]), int(lines[1])


def field_font(lang: str) -> Path | None:
    """A subset of ``lang``'s font for form fields (made once, kept in the cache folder);
    None when fontconfig cannot name the font file (fields then use the text font).

    A kept subset is used only when its bytes still have the SHA-256 recorded beside it (a
    checked cache entry, see ``hiring.cache``); a cache folder that cannot be written only
    costs speed: the subset is then made for this run in a private temporary folder."""
    import hashlib

    from hiring.cache import cache_path, load_cached, store_cached, write_private
    from hiring.paths import cache_dir

    family = "Noto Sans CJK SC" if lang == "zh" else _DEFAULT_PREFERRED[0]
    found = _font_file(family)
    if found is None:
        return None
    source, index = found
    try:
        stat = source.stat()
    except OSError:
        return None
    key = hashlib.sha256(
        f"{source}|{index}|{stat.st_size}|{stat.st_mtime_ns}|{lang}|1".encode()
    ).hexdigest()[:16]
    folder = cache_dir() / "fonts"
    record = cache_path("field-font", [key.encode()])
    known = load_cached(record, dict[str, str])
    if known is not None and known.get("name", "").startswith(f"fields-{lang}-{key}."):
        kept = folder / known["name"]
        try:
            if hashlib.sha256(kept.read_bytes()).hexdigest() == known.get("sha256"):
                return kept
        except OSError:
            pass
    import io
    import logging

    from fontTools import subset  # a WeasyPrint dependency; imported only here
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "FFTM NOT subset" is harmless
    font = TTFont(str(source), fontNumber=index, lazy=False)
    name = f"fields-{lang}-{key}{'.ttf' if 'glyf' in font else '.otf'}"
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["kern", "liga"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=field_characters(lang))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = buffer.getvalue()
    try:
        write_private(folder / name, data)
    except OSError:
        return _run_folder(name, data)  # a read-only or full cache: this run only
    store_cached(record, {"name": name, "sha256": hashlib.sha256(data).hexdigest()})
    return folder / name


def _run_folder(name: str, data: bytes) -> Path:
    """``data`` written as ``name`` in a private folder removed when the process ends."""
    import atexit
    import shutil
    import tempfile

    try:
        folder = Path(tempfile.mkdtemp(prefix="hiring-fonts-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        (folder / name).write_bytes(data)
    except OSError as error:
        raise RenderError(
            f"cannot write the form-field font to the cache folder or a temporary folder: "
            f"{error.strerror or error}"
        ) from None
    return folder / name
