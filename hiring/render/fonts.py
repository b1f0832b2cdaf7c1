"""Which installed font covers a language's script; fail early instead of printing boxes."""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache

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
