"""A WeasyPrint URL fetcher that reads the project's own files and nothing else.

Refused: every network URL (http, https, ftp...), ``file:`` paths outside the template
folders (``/etc/passwd`` as an attachment, ``/dev/urandom`` which renders forever), and
anything that is not a regular file. Nothing is opened through urllib, so redirects
cannot lead elsewhere. Imports WeasyPrint: only import this module to render a PDF.
"""

from __future__ import annotations

import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

_MAX_BYTES = 50 * 1024 * 1024  # a template asset larger than this is a mistake


class RefusedURL(ValueError):
    """A URL the safe fetcher will not fetch (WeasyPrint turns it into a warning)."""


class SafeURLFetcher(URLFetcher):
    """Serve ``file:`` URLs under ``allowed_roots`` and ``data:`` URLs; refuse the rest.

    ``refused`` lists every URL refused, so the caller can say what was left out.
    """

    def __init__(self, allowed_roots: list[Path], **kwargs: object) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, **kwargs)
        self.allowed_roots = [Path(root).resolve() for root in allowed_roots]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)  # decoded in memory, no I/O
        if scheme != "file":
            self._refuse(url)
        path = self._allowed_file(url)
        with open(path, "rb") as handle:
            body = handle.read(_MAX_BYTES + 1)
        if len(body) > _MAX_BYTES:
            self._refuse(url)
        return URLFetcherResponse(path.as_uri(), body=body)

    def _allowed_file(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            self._refuse(url)
        try:
            path = Path(unquote(parts.path)).resolve(strict=True)
            mode = path.stat().st_mode
        except (OSError, RuntimeError):
            self._refuse(url)
        # resolve() followed symlinks, so a link inside the templates cannot point out.
        inside = any(path.is_relative_to(root) for root in self.allowed_roots)
        if not inside or not stat.S_ISREG(mode):
            self._refuse(url)
        return path

    def _refuse(self, url: str) -> None:
        if url not in self.refused:
            self.refused.append(url)
        raise RefusedURL(f"refused to fetch {url} (only the project's template files are used)")
