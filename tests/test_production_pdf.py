"""PDFs rendered the way production runs: DEBUG=False, static files collected by
`collectstatic` into STATIC_ROOT and referenced by their hashed names through the
manifest storage. The documents must look exactly as in development: the same
stylesheet, Open Sans embedded, the same number of pages."""
import io
import json
import zipfile

import pypdf
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from sodertorn.pdf import BASE_URL, RefusedURL, StaticFilesFetcher
from tests.plans.test_pdf import fonts

pytestmark = pytest.mark.django_db

# The manifest (hashing) behaviour is what production's whitenoise storage
# inherits; Django's own class collects in seconds because it does not compress.
# bin/smoke runs the real whitenoise storage under gunicorn.
MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

DOCUMENTS = {
    "plan 2017": ("plans:work_plan_pdf", [2017]),
    "plan 2019": ("plans:work_plan_pdf", [2019]),
    "fee decision Huddinge 2017": ("budget:fee_pdf", [2017, "huddinge"]),
    "annual report 2019": ("plans:annual_report_pdf", [2019]),
}


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=MANIFEST_STORAGES, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production(settings, collected_static):
    settings.DEBUG = False
    settings.STATIC_ROOT = collected_static
    settings.STORAGES = MANIFEST_STORAGES
    return collected_static


def summary(content: bytes) -> tuple[int, dict[str, bool]]:
    r = pypdf.PdfReader(io.BytesIO(content))
    return len(r.pages), fonts(r)


def fetch(client, name: str) -> bytes:
    url_name, args = DOCUMENTS[name]
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200, name
    return response.content


@pytest.fixture
def development_renders(anonym):
    return {name: summary(fetch(anonym, name)) for name in DOCUMENTS}


def test_production_pdfs_embed_open_sans_and_have_the_development_page_count(development_renders, production, anonym):
    for name, (pages, _) in development_renders.items():
        content = fetch(anonym, name)
        assert b"/static/css/pdf.css" not in content  # sanity: nothing leaks the URL
        prod_pages, prod_fonts = summary(content)
        assert "Open-Sans" in prod_fonts and all(prod_fonts.values()), (name, prod_fonts)
        assert prod_pages == pages, f"{name}: {prod_pages} pages in production, {pages} in development"
    # Sanity: the development render itself is styled (set in Open Sans, not DejaVu).
    assert all("Open-Sans" in fonts for _, fonts in development_renders.values()), development_renders


def test_the_production_html_links_the_hashed_stylesheet(production, anonym):
    """The reproduction: the PDF's HTML names css/pdf.<hash>.css, which only STATIC_ROOT has."""
    from sodertorn.pdf import render_html

    html = render_html("pdf/base.html", {})
    assert "/static/css/pdf.css" not in html
    assert "/static/css/pdf." in html


def test_the_fee_zip_in_production_holds_documents_set_in_open_sans(production, anonym):
    response = anonym.get(reverse("budget:fee_zip", args=[2017]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)) as archive:
        pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
        assert len(pdfs) == 8
        _, used = summary(archive.read(pdfs[0]))
    assert "Open-Sans" in used and all(used.values())


def test_the_fetcher_serves_hashed_collected_files_and_their_fonts(production):
    manifest = json.loads((production / "staticfiles.json").read_text())["paths"]
    css = StaticFilesFetcher().fetch(f"{BASE_URL}static/{manifest['css/pdf.css']}").read()
    assert b"@page" in css
    assert manifest["fonts/OpenSans-Regular.ttf"].encode() in css
    font = StaticFilesFetcher().fetch(f"{BASE_URL}static/{manifest['fonts/OpenSans-Regular.ttf']}")
    assert font.read()[:4] == b"\x00\x01\x00\x00"


@pytest.mark.parametrize("path", [
    "static/staticfiles.json",
    "static/../manage.py",
    "static/%2e%2e/%2e%2e/etc/passwd",
    "static/css/pdf.css/../../../pyproject.toml",
    "static//etc/passwd",
    "static/css%2f..%2f..%2f..%2fmanage.py",
])
def test_the_production_fetcher_still_refuses_anything_outside_the_collected_files(production, path):
    with pytest.raises(RefusedURL):
        StaticFilesFetcher().fetch(f"{BASE_URL}{path}")


def test_the_production_fetcher_refuses_a_stray_file_in_static_root(production):
    """Only what collectstatic wrote (the manifest's names) is served, not anything
    that happens to lie in STATIC_ROOT."""
    (production / "stray.txt").write_text("not collected")
    try:
        with pytest.raises(RefusedURL):
            StaticFilesFetcher().fetch(f"{BASE_URL}static/stray.txt")
    finally:
        (production / "stray.txt").unlink()
