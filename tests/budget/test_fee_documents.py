"""The fee decision documents: one PDF per member, and all of them in one zip."""
import io
import re
import zipfile

import pytest
from pypdf import PdfReader

from budget.models import Budget, Population
from plans.models import WorkPlan
from secretariat.services import work_plan_reopen

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def _pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"[ \u00a0]+", " ", text)


def test_the_huddinge_2017_pdf_names_the_municipality_its_fee_and_the_due_date(anonym):
    response = anonym.get("/budget/2017/avgifter/huddinge/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="avgift-2017-huddinge.pdf"' in response["Content-Disposition"]
    _, text = _pdf_text(response.content)
    assert "Huddinge kommun" in text
    assert "211 525 kr" in text
    assert "15 mars 2017" in text
    assert "Huddinge kommun fakturerar avgiften" in text


def test_the_pdf_is_a_decision_document_in_the_municipal_form(anonym):
    _, text = _pdf_text(anonym.get("/budget/2017/avgifter/huddinge/pdf/").content)
    for heading in ["Underlag för kommunstyrelsens beslut", "Diarienummer", "Datum",
                    "Förslag till beslut", "Beskrivning av ärendet"]:
        assert heading.lower() in text.lower(), heading
    proposal = ("Kommunstyrelsen godkänner Södertörnskommunernas samarbetskommittés verksamhetsplan och "
                "budget för 2017 och kommunens avgift på 211 525 kr.")
    assert proposal in text.replace("\n", " ")


def test_the_pdf_explains_the_computation_and_refers_to_the_plan(anonym):
    _, text = _pdf_text(anonym.get("/budget/2017/avgifter/huddinge/pdf/").content)
    flat = text.replace("\n", " ")
    assert "107 538" in flat and "480 431" in flat and "22,38 %" in flat
    assert "31 december 2016" in flat
    assert "945 000 kr" in flat
    assert "Samarbetsavtalet § 8" in flat
    assert "/planer/2017/" in flat
    assert "Sida 1 av" in flat


def test_the_pdf_has_metadata_language_and_the_shipped_font(anonym):
    reader, _ = _pdf_text(anonym.get("/budget/2017/avgifter/nynashamn/pdf/").content)
    assert reader.metadata.title == "Avgift 2017 till Södertörnskommunernas samarbetskommitté – Nynäshamns kommun"
    assert reader.metadata.author == "Södertörnskommunernas samarbetskommitté"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert "/StructTreeRoot" in root  # tagged for screen readers (PDF/UA)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    fonts = {str(font["/BaseFont"]) for page in reader.pages
             for font in (f.get_object() for f in page["/Resources"]["/Font"].values())}
    assert fonts and all("Open-Sans" in name for name in fonts), fonts  # no DejaVu fallback


def test_the_per_inhabitant_pdf_shows_the_multiplication(lasare):
    # 2019 is decided and its fees frozen; reopened, they are computed anew.
    work_plan_reopen(plan=WorkPlan.objects.get(year=2019), reason="Avgifterna räknas om i testet.", user=None)
    budget = Budget.objects.get(year=2019)
    budget.population_date = "2017-12-31"  # real figures, for the test only
    budget.save()
    _, text = _pdf_text(lasare.get("/budget/2019/avgifter/salem/pdf/").content)
    flat = text.replace("\n", " ")
    # On one line: "× 4 / kr" broken across lines was a finding of issue 12.
    assert any("16 665 × 4 kr = 66 660 kr" in line for line in text.splitlines()), text
    assert "Södertörns samarbetskommitté 2017-02-02" in flat
    assert "15 mars 2019" in flat


def test_no_pdf_is_made_for_a_fee_that_cannot_be_computed(anonym):
    assert anonym.get("/budget/2012/avgifter/huddinge/pdf/").status_code == 404
    assert anonym.get("/budget/2019/avgifter/huddinge/pdf/").status_code == 404


def test_no_pdf_for_a_non_member_or_an_unknown_municipality(anonym):
    assert anonym.get("/budget/2017/avgifter/stockholm/pdf/").status_code == 404
    assert anonym.get("/budget/2017/avgifter/atlantis/pdf/").status_code == 404


def test_the_zip_holds_all_eight_pdfs_of_2017(anonym):
    response = anonym.get("/budget/2017/avgifter/alla.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'attachment; filename="avgiftsunderlag-2017.zip"' == response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    names = sorted(archive.namelist())
    assert names == sorted(f"avgift-2017-{slug}.pdf" for slug in [
        "botkyrka", "haninge", "huddinge", "nykvarn", "nynashamn", "salem", "sodertalje", "tyreso"])
    _, text = _pdf_text(archive.read("avgift-2017-tyreso.pdf"))
    assert "Tyresö kommun" in text and "92 651 kr" in text


def test_every_fee_in_the_zip_reconciles_with_the_budget(anonym):
    archive = zipfile.ZipFile(io.BytesIO(anonym.get("/budget/2017/avgifter/alla.zip").content))
    total = 0
    for name in archive.namelist():
        _, text = _pdf_text(archive.read(name))
        fee = re.search(r"kommunens avgift på ([\d ]+) kr", text.replace("\n", " ")).group(1)
        total += int(fee.replace(" ", ""))
    assert total == 945_000


def test_the_zip_leaves_out_what_cannot_be_computed_and_says_so(lasare):
    work_plan_reopen(plan=WorkPlan.objects.get(year=2017), reason="Avgifterna räknas om i testet.", user=None)
    Population.objects.filter(date="2016-12-31", municipality__slug__in=["salem", "tyreso"]).delete()
    Budget.objects.filter(year=2017).update(fee_rule="per_inhabitant", fee_per_inhabitant=2)
    archive = zipfile.ZipFile(io.BytesIO(lasare.get("/budget/2017/avgifter/alla.zip").content))
    names = archive.namelist()
    assert len([n for n in names if n.endswith(".pdf")]) == 6
    assert "avgift-2017-salem.pdf" not in names
    note = archive.read("saknade-avgifter.txt").decode()
    assert "Salem, Tyresö" in note
    assert "Salem 31 december 2016" in note and "Tyresö 31 december 2016" in note


def test_there_is_no_zip_when_no_fee_can_be_computed(anonym):
    assert anonym.get("/budget/2012/avgifter/alla.zip").status_code == 404


def test_the_decision_date_is_not_repeated_when_the_decision_names_it(lasare):
    work_plan_reopen(plan=WorkPlan.objects.get(year=2019), reason="Avgifterna räknas om i testet.", user=None)
    budget = Budget.objects.get(year=2019)
    budget.population_date = "2017-12-31"  # real figures, for the test only
    budget.save()
    _, text = _pdf_text(lasare.get("/budget/2019/avgifter/salem/pdf/").content)
    assert "2017-02-02 (2017-02-02)" not in text.replace("\n", " ")


@pytest.mark.parametrize("slug,name", [("salem", "Salems kommun"), ("sodertalje", "Södertälje kommun")])
def test_the_calculation_table_is_never_split_across_pages(anonym, slug, name):
    reader, _ = _pdf_text(anonym.get(f"/budget/2017/avgifter/{slug}/pdf/").content)
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    first = next(i for i, text in enumerate(pages) if "Avgiftens beräkning" in text)
    assert f"{name}s avgift 2017" in pages[first], "the table's caption and its result row are on one page"
    assert "Källa för folkmängden" in " ".join(pages[first:first + 2])
