"""The plan PDF is a document a kommunstyrelse can attach: fonts embedded, Swedish,
tagged for screen readers, with its metadata; cached until the plan changes."""
import io
import re
from unittest import mock

import pypdf
import pytest
from django.core.management import call_command
from django.urls import reverse

from sodertorn.lock import lock_bypass
from plans.models import Chapter
from sodertorn import pdf as pdf_module

pytestmark = pytest.mark.django_db


def reader(content: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(content))


def fonts(r: pypdf.PdfReader) -> dict[str, bool]:
    """Every font the PDF uses, and whether its file is embedded."""
    found = {}
    for page in r.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            name = str(font["/BaseFont"]).split("+")[-1]
            found[name] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


@pytest.fixture(scope="module")
def pdf_2019(django_db_setup, django_db_blocker):
    """The 2019 PDF as the public gets it, rendered once for the tests that only read it
    (a plain client: the personas are per test; a cache of its own, not the site's)."""
    from django.test import Client, override_settings

    locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pdf_2019"}}
    with django_db_blocker.unblock(), override_settings(CACHES=locmem):
        response = Client().get(reverse("plans:work_plan_pdf", args=[2019]))
    assert response.status_code == 200
    return response.content


def test_the_pdf_is_swedish_tagged_and_titled(pdf_2019):
    r = reader(pdf_2019)
    root = r.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a PDF boolean)
    assert r.metadata.title == "Verksamhetsplan och budget 2019"
    assert r.metadata.author == "Södertörnskommunernas samarbetskommitté"


def test_the_pdf_embeds_every_font_and_the_text_is_set_in_open_sans(pdf_2019):
    used = fonts(reader(pdf_2019))
    assert all(used.values()), used
    assert {"Open-Sans", "Open-Sans-Bold"} <= set(used)


def test_the_pdf_has_a_cover_a_contents_page_with_page_numbers_and_a_landscape_appendix(pdf_2019):
    r = reader(pdf_2019)
    assert 12 <= len(r.pages) <= 40
    contents = r.pages[1].extract_text()
    assert "Innehåll" in contents and "Bilaga 1 Handlingsplan" in contents
    assert f"Sida 2 av {len(r.pages)}" in contents
    landscape = [p for p in r.pages if p.mediabox.width > p.mediabox.height]
    assert landscape and "Handlingsplan" in landscape[0].extract_text()


def test_the_archive_variant_is_pdf_a(anonym):
    response = anonym.get(reverse("plans:work_plan_pdf", args=[2017]) + "?variant=arkiv")
    assert 'filename="verksamhetsplan-2017-arkiv.pdf"' in response["Content-Disposition"]
    xmp = reader(response.content).trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    # PDF/A-2a: part 2, conformance level A (XMP writes them as attributes or elements).
    assert re.search(r"pdfaid:part(=\"|>)2\b", xmp), xmp[:500]
    assert re.search(r"pdfaid:conformance(=\"|>)A\b", xmp), xmp[:500]


def test_a_repeated_pdf_request_is_served_from_the_cache_until_the_plan_is_edited(anonym):
    url = reverse("plans:work_plan_pdf", args=[2012])
    with mock.patch.object(pdf_module, "html_to_pdf", wraps=pdf_module.html_to_pdf) as render:
        first = anonym.get(url).content
        second = anonym.get(url).content
        assert render.call_count == 1
        assert first == second
        chapter = Chapter.objects.get(plan__year=2012, number="2")
        chapter.body += "\n\nEn ny mening från kansliet."
        with lock_bypass():  # 2012 is decided; the seed loader may still correct it
            chapter.save()
        third = anonym.get(url).content
        assert render.call_count == 2
        assert "En ny mening från kansliet." in " ".join(p.extract_text() for p in reader(third).pages)


def test_export_plan_writes_the_same_pdf_from_the_command_line(anonym, tmp_path):
    target = tmp_path / "vp.pdf"
    call_command("export_plan", "2017", "-o", str(target))
    served = anonym.get(reverse("plans:work_plan_pdf", args=[2017]))
    assert served.status_code == 200
    written, online = reader(target.read_bytes()), reader(served.content)
    assert written.metadata.title == online.metadata.title == "Verksamhetsplan och budget 2017"
    assert len(written.pages) == len(online.pages)
    assert [p.extract_text() for p in written.pages] == [p.extract_text() for p in online.pages]


def test_export_plan_refuses_a_year_without_a_plan(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Det finns ingen verksamhetsplan för 1999."):
        call_command("export_plan", "1999", "-o", str(tmp_path / "x.pdf"))


def test_the_pdf_can_carry_the_changes_since_an_earlier_plan(anonym, pdf_text_of):
    response = anonym.get(reverse("plans:work_plan_pdf", args=[2019]), {"jamfor": "2017"})
    assert 'filename="verksamhetsplan-2019-jamfort-med-2017.pdf"' in response["Content-Disposition"]
    text = pdf_text_of(response.content)
    assert text.count("Ändringar sedan 2017") >= 2  # in the contents and as the appendix heading


def test_the_changes_appendix_only_looks_back(anonym):
    assert anonym.get(reverse("plans:work_plan_pdf", args=[2017]), {"jamfor": "2019"}).status_code == 404
