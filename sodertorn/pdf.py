"""PDF rendering with WeasyPrint, shared by every document of the project.

Two safety rules hold for every PDF:
- WeasyPrint may read only the project's own static files. `StaticFilesFetcher`
  refuses the network, data URLs, redirects and any file outside the static
  directories, so HTML that an editor typed cannot make the server fetch a URL or
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
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
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
    """Deny-by-default fetcher: serves only files found by the staticfiles finders."""

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
        relative = path[len(prefix):]
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            return None
        if not found:
            return None
        found = Path(found).resolve()
        roots = [Path(d).resolve() for d in settings.STATICFILES_DIRS]
        roots += [Path(p).resolve() for p in _app_static_dirs()]
        if not any(found.is_relative_to(root) for root in roots):
            return None
        return found


def _app_static_dirs():
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                yield location


def render_html(template: str, context: dict) -> str:
    return render_to_string(template, {**context, "pdf": True})


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
