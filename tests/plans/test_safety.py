"""Hostile input typed in the admin never reaches a page or a PDF, and WeasyPrint
reads nothing but the project's own static files."""
import pytest
from django.urls import reverse

from sodertorn.lock import lock_bypass
from plans.models import Chapter, WorkPlan
from sodertorn.markdown import render_markdown
from sodertorn.pdf import BASE_URL, StaticFilesFetcher, html_to_pdf, RefusedURL

pytestmark = pytest.mark.django_db

HOSTILE = """
Hej <script>alert('x')</script> och <img src="http://127.0.0.1/" onerror="alert(1)">
[klicka](javascript:alert(1)) <a href="http://127.0.0.1:8000/admin/">admin</a>
<link rel="attachment" href="file:///etc/passwd">
<style>@import url("http://127.0.0.1/evil.css");</style>
<iframe src="https://example.org"></iframe>
[Digg](https://www.digg.se) och [mejla](mailto:kansliet@example.se)
"""


def test_markdown_keeps_text_and_safe_links_but_drops_everything_dangerous():
    html = render_markdown(HOSTILE)
    for bad in ["<script", "onerror", "javascript:", "<img", "<link", "<style", "@import", "<iframe", "http://127.0.0.1"]:
        assert bad not in html
    assert 'href="https://www.digg.se"' in html
    assert 'href="mailto:kansliet@example.se"' in html
    assert "Hej" in html


def test_a_hostile_chapter_is_harmless_on_the_page_and_in_the_pdf(anonym, pdf_text_of):
    plan = WorkPlan.objects.get(year=2017)
    with lock_bypass():  # hostile text registered in a decided plan
        Chapter.objects.filter(plan=plan, number="1").update(body=HOSTILE)
    page = anonym.get(plan.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "onerror" not in page and "javascript:" not in page
    pdf = anonym.get(reverse("plans:work_plan_pdf", args=[2017]))
    assert pdf.status_code == 200
    assert "passwd" not in pdf_text_of(pdf.content)
    assert b"/EmbeddedFile" not in pdf.content


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/",
    "https://example.org/x.css",
    "file:///etc/passwd",
    f"{BASE_URL}static/../../../../etc/passwd",
    f"{BASE_URL}static/%2e%2e/%2e%2e/settings.py",
    f"{BASE_URL}admin/",
    "data:text/css,body{}",
    "ftp://127.0.0.1/x",
])
def test_the_pdf_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(RefusedURL):
        StaticFilesFetcher().fetch(url)


def test_the_pdf_fetcher_serves_the_projects_fonts_and_styles():
    response = StaticFilesFetcher().fetch(f"{BASE_URL}static/fonts/OpenSans-Regular.ttf")
    assert response.read()[:4] == b"\x00\x01\x00\x00"
    css = StaticFilesFetcher().fetch(f"{BASE_URL}static/css/pdf.css")
    assert b"@page" in css.read()


def test_a_raw_html_attachment_link_cannot_embed_a_local_file():
    pdf = html_to_pdf(
        '<html lang="sv"><head><title>t</title><link rel="attachment" href="file:///etc/passwd">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head>'
        '<body><p>text</p><img src="http://127.0.0.1:9/x.png"></body></html>'
    )
    assert b"/EmbeddedFile" not in pdf and b"root:" not in pdf
