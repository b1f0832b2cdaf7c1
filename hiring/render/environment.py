"""The Jinja environment: autoescaped, and a templates folder overrides any template by name."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.errors import RenderError
from hiring.paths import bundled_templates_dir

if TYPE_CHECKING:
    import jinja2


def template_dirs(templates_dir: Path | None) -> list[Path]:
    """Folders searched for templates and assets, override first."""
    dirs = [bundled_templates_dir().resolve()]
    if templates_dir is not None:
        override = Path(templates_dir).resolve()
        if not override.is_dir():
            raise RenderError(f"templates folder {templates_dir} does not exist")
        from hiring.files import protect_folder

        protect_folder(override, "the templates folder in use")  # no output may land in it
        dirs.insert(0, override)
    return dirs


@lru_cache(maxsize=8)
def _environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    import jinja2

    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in dirs])
    # No bytecode cache: Jinja's FileSystemBytecodeCache stores marshal data in the cache
    # folder, and loading a replaced file runs whatever code it holds. Templates are
    # compiled once per process instead (this environment is kept, see lru_cache above).
    # autoescape=True, not select_autoescape: that leaves *.j2 files unescaped.
    return jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def template_environment(templates_dir: Path | None = None) -> jinja2.Environment:
    """The shared environment (one per templates folder per process)."""
    return _environment(tuple(template_dirs(templates_dir)))


def render_template(name: str, context: dict[str, Any], templates_dir: Path | None = None) -> str:
    """Render template ``name`` with ``context``; template problems become ``RenderError``.

    An HTML template's output gets the table header scopes and keyboard-reachable scrolling
    boxes of ``hiring.render.accessible`` (a team's own templates too)."""
    import jinja2

    try:
        template = template_environment(templates_dir).get_template(name)
        text = template.render(**context)
    except jinja2.TemplateNotFound as error:
        raise RenderError(f"template '{error.name}' not found") from None
    except jinja2.TemplateError as error:
        line = getattr(error, "lineno", None)  # only syntax errors carry a line
        where = f" (line {line})" if line else ""
        raise RenderError(f"template {name}{where}: {error}") from None
    if name.endswith(".html.j2"):
        from hiring.render.accessible import accessible_html

        text = accessible_html(text)
    return text


def template_source(name: str, templates_dir: Path | None = None) -> str:
    """The raw text of a template file (e.g. print.css), override first."""
    for folder in template_dirs(templates_dir):
        path = folder / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise RenderError(f"template '{name}' not found")
