"""PDF rendering with WeasyPrint, shared by every document of the project.

Two safety rules hold for every PDF:
- WeasyPrint may read only the project's own static files. `StaticFilesFetcher`
  refuses the network, data URLs, redirects and any file that is neither a source
  static file nor one that `collectstatic` listed in its manifest, so HTML that an editor typed cannot make the server fetch a URL or
  embed a local file (WeasyPrint also fetches `<link rel=attachment>` through it).
- The HTML is rendered from the same templates and context as the web page.

PDFs are cached under a key made from the rendered HTML itself, so any edit that
changes what the document says produces a new key and an unchanged document is
served from the cache without rendering; with a document key, the HTML is not
rendered either until the content changes (`render_pdf`).
"""
import hashlib
import mimetypes
import logging
from collections.abc import Callable
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .freshness import code_version, content_version

logger = logging.getLogger(__name__)

BASE_URL = "https://sodertorn.invalid/"
VARIANTS = {
    "ua": "pdf/ua-1",  # tagged for screen readers
    "archive": "pdf/a-2a",  # archival, also tagged
}
AUTHOR = "Södertörnskommunernas samarbetskommitté"
CACHE_SECONDS = 60 * 60 * 24 * 30


class RefusedURL(ValueError):
    pass


class StaticFilesFetcher(URLFetcher):
    """Deny-by-default fetcher: serves only the project's own static files.

    A URL is served when it names either a file that `collectstatic` wrote, as
    listed in the manifest of the configured staticfiles storage (production: the
    hashed names that `{% static %}` produces with DEBUG=False, and the hashed font
    URLs inside the collected stylesheets), or a source file found by the
    staticfiles finders (development). Nothing else: no network, no data or file
    URLs, no `..`, no stray file that merely lies in STATIC_ROOT.
    """

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=set(), allow_redirects=False, **kwargs)

    def fetch(self, url, headers=None):
        path = self.static_path(url)
        if path is None:
            logger.warning("PDF: refused to fetch %s", url[:200])
            raise RefusedURL(f"Only the project's static files may be fetched, not {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        # Keep the URL in the fetcher's own space so relative URLs inside the file
        # (fonts in a stylesheet) resolve back through this fetcher.
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    @staticmethod
    def static_path(url: str) -> Path | None:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
            return None
        prefix = "/" + settings.STATIC_URL.lstrip("/")
        path = unquote(parts.path)
        if not path.startswith(prefix):
            return None
        name = _clean_name(path[len(prefix):])
        if name is None:
            return None
        return _collected_file(name) or _source_file(name)


def _clean_name(name: str) -> str | None:
    """The relative name of a static file, or None if it could step outside."""
    segments = name.split("/")
    if not name or "\\" in name or "\0" in name or any(s in ("", ".", "..") for s in segments):
        return None
    return name


def _collected_file(name: str) -> Path | None:
    """The file `collectstatic` wrote under this name, if the storage's manifest lists it."""
    manifest = getattr(staticfiles_storage, "hashed_files", None)
    if not manifest or (name not in manifest and name not in manifest.values()):
        return None
    try:
        found = Path(staticfiles_storage.path(name)).resolve()
    except (SuspiciousFileOperation, NotImplementedError):
        return None
    root = Path(staticfiles_storage.location).resolve()
    return found if found.is_relative_to(root) and found.is_file() else None


def _source_file(name: str) -> Path | None:
    """The source file the staticfiles finders find under this name."""
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:
        return None
    if not found:
        return None
    found = Path(found).resolve()
    roots = [Path(d).resolve() for d in settings.STATICFILES_DIRS]
    roots += [Path(p).resolve() for p in _app_static_dirs()]
    if not any(found.is_relative_to(root) for root in roots) or not found.is_file():
        return None
    return found


def _app_static_dirs():
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                yield location


def render_html(template: str, context: dict) -> str:
    return print_glyphs(render_to_string(template, {**context, "pdf": True}))


# Characters the project's font (Open Sans) lacks, set from glyphs it has instead of
# falling back to DejaVu: "CO₂" prints as CO<sub>2</sub>. Only text between tags is
# changed; no attribute of the documents holds these characters.
_MISSING_GLYPHS = {"\u2082": '<sub class="glyph">2</sub>'}
_TEXT_BETWEEN_TAGS = re.compile(r">([^<]+)<")


def print_glyphs(html: str) -> str:
    def replace(match):
        text = match.group(1)
        for char, markup in _MISSING_GLYPHS.items():
            text = text.replace(char, markup)
        return f">{text}<"

    return _TEXT_BETWEEN_TAGS.sub(replace, html)


def html_to_pdf(html: str, variant: str = "ua") -> bytes:
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
    return document.write_pdf(pdf_variant=VARIANTS[variant], uncompressed_pdf=False)


def render_pdf(template: str, context: dict | Callable[[], dict], variant: str = "ua", *, key: str = "") -> bytes:
    """The PDF of `template` with `context`, from the cache when nothing changed.

    PDFs are stored under a hash of their HTML, so an edit elsewhere that does not
    change the document still finds it. With `key` (what the document is, e.g.
    "plan:2019"), the HTML's hash is also remembered under the content version
    (sodertorn/freshness.py): until the next edit a request finds the PDF with two
    cache reads, without building the context (pass a callable) or the HTML."""
    memo = ""
    if key:
        counter, changed_at = content_version()
        memo = "pdfmemo:" + hashlib.sha256(
            f"{code_version()[0]}|{counter}|{changed_at.isoformat()}|{variant}|{template}|{key}".encode()
        ).hexdigest()
        html_key = cache.get(memo)
        pdf = cache.get(html_key) if html_key else None
        if pdf is not None:
            return pdf
    html = render_html(template, context() if callable(context) else context)
    html_key = "pdf:" + hashlib.sha256(
        f"{weasyprint.__version__}|{variant}|{html}".encode()
    ).hexdigest()
    pdf = cache.get(html_key)
    if pdf is None:
        pdf = html_to_pdf(html, variant)
        cache.set(html_key, pdf, CACHE_SECONDS)
    if memo:
        cache.set(memo, html_key, CACHE_SECONDS)
    return pdf


def pdf_response(
    template: str, context: dict | Callable[[], dict], filename: str, variant: str = "ua",
    inline: bool = True, *, key: str = "",
) -> HttpResponse:
    pdf = render_pdf(template, context, variant, key=key)
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
