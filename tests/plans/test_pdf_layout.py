"""The PDFs a kommunstyrelse reads: no (almost) empty pages, headings with their text,
real footnotes, the project's font for every glyph, a clean decision line on the cover,
cross-references to the right page, fee documents dated by the budget's decision."""
import datetime
import re
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape

import pypdf
import pytest

from sodertorn.lock import lock_bypass
from plans.models import Body, WorkPlan
from tests.environment import requires_pdftotext

pytestmark = [pytest.mark.django_db, requires_pdftotext]

# Running header and footer lie in the page margins (22 mm portrait, 18 mm landscape).
MARGIN_PT = 45


@dataclass
class Word:
    text: str
    top: float
    bottom: float
    height: float


@dataclass
class Page:
    number: int
    height: float
    words: list[Word]  # body words only, without the running header and footer

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def fill(self) -> float:
        """How far down the page the body text reaches, 0 (empty) to 1 (full)."""
        if not self.words:
            return 0.0
        body = self.height - 2 * MARGIN_PT
        return (max(w.bottom for w in self.words) - MARGIN_PT) / body


def pages_of(content: bytes) -> list[Page]:
    """Words with their positions on each page (poppler's pdftotext -bbox)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        xml = subprocess.run(["pdftotext", "-bbox", f.name, "-"], capture_output=True, check=True, text=True).stdout
    pages = []
    for n, (height, body) in enumerate(re.findall(r'<page width="[^"]+" height="([^"]+)">(.*?)</page>', xml, re.S), 1):
        height = float(height)
        words = [
            Word(unescape(text), float(y0), float(y1), float(y1) - float(y0))
            for y0, y1, text in re.findall(r'<word xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)">([^<]*)</word>', body)
        ]
        pages.append(Page(n, height, [w for w in words if w.top > MARGIN_PT and w.bottom < height - MARGIN_PT]))
    return pages


def plan_pdf(client, year, query="") -> bytes:
    response = client.get(f"/planer/{year}/pdf/{query}")
    assert response.status_code == 200
    return response.content


def starts_an_appendix(page: Page) -> bool:
    return page.text.startswith(("Bilaga", "Ändringar sedan"))


@pytest.mark.parametrize("year", [2010, 2012, 2017, 2019])
def test_no_plan_pdf_has_an_almost_empty_page(anonym, year):
    """Short chapters flow on: besides the cover and the table of contents, a page is at
    least a third full, unless the next page starts an appendix; the last page is not
    a stray line or two."""
    pages = pages_of(plan_pdf(anonym, year))
    near_empty = []
    for page in pages[2:-1]:
        following = pages[page.number]  # page numbers are 1-based: this is the next page
        if page.fill() < 0.33 and not starts_an_appendix(following):
            near_empty.append(f"sida {page.number} ({page.fill():.0%}): {page.text[:80]}")
    last = pages[-1]
    if len(last.text) < 150:
        near_empty.append(f"sista sidan {last.number}: {last.text!r}")
    assert not near_empty, f"Nästan tomma sidor i planen {year}:\n" + "\n".join(near_empty)


@pytest.mark.parametrize("year", [2010, 2012, 2017, 2019])
def test_a_heading_never_ends_a_page(anonym, year):
    """The plan's headings (as on its web page) never stand as the last line of a PDF page."""
    page_html = anonym.get(f"/planer/{year}/").content.decode()
    headings = {
        re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", h))).strip()
        for h in re.findall(r"<h[2-5][^>]*>(.*?)</h[2-5]>", page_html, re.S)
    }
    for page in pages_of(plan_pdf(anonym, year))[2:]:
        lines = {}
        for w in page.words:
            lines.setdefault(round(w.top), []).append(w.text)
        last_line = " ".join(lines[max(lines)])
        assert last_line not in headings, f"{year}, sida {page.number} slutar med rubriken {last_line!r}"


def test_the_2019_footnote_stands_at_the_foot_of_its_page_without_a_web_return_arrow(anonym):
    pages = pages_of(plan_pdf(anonym, 2019))
    text = " ".join(p.text for p in pages)
    assert "↩" not in text
    page = next(p for p in pages if "Eftersom" in p.text)
    assert "ägardialoger" in page.text, "the footnote is on the page of its marker"
    note = [w for w in page.words if w.text == "Eftersom"][0]
    assert note.top > max(w.bottom for w in page.words if w.text == "ägardialoger.1" or w.text.startswith("ägardialoger"))
    # The footnote is the last text of the page and set no larger than the table text.
    assert note.top >= max(w.top for w in page.words) - 25
    assert note.height <= 12


@pytest.mark.parametrize("year", [2010, 2012, 2017, 2019])
def test_every_glyph_is_set_in_the_project_font(anonym, year):
    """No fallback to DejaVu: CO₂ is set as CO with a subscript 2, no "↩" is printed."""
    reader = pypdf.PdfReader(__import__("io").BytesIO(plan_pdf(anonym, year)))
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("Open-Sans" in f for f in fonts), fonts


def test_the_cover_of_a_seeded_plan_says_decided_without_an_internal_note(anonym):
    cover = pages_of(plan_pdf(anonym, 2019))[0].text
    assert "Beslutad" in cover
    assert "saknas" not in cover and "Status:" not in cover


def test_the_cover_of_a_plan_decided_in_the_system_reads_as_clean_swedish(anonym):
    with lock_bypass():  # the seeded 2019 plan is decided; record its decision as the system would
        WorkPlan.objects.filter(year=2019).update(
            decided_on=datetime.date(2018, 2, 1), decision_reference="§ 3",
            decided_by=Body.objects.get(slug="samarbetskommitten"),
        )
    cover = pages_of(plan_pdf(anonym, 2019))[0].text
    assert "Beslutad av Södertörnskommunernas samarbetskommitté 1 februari 2018, § 3" in cover


@pytest.mark.parametrize("year, phrase", [(2017, "(jfr sid"), (2012, "(jfr sid.")])
def test_the_page_reference_points_at_the_regional_development_section(anonym, year, phrase):
    pages = pages_of(plan_pdf(anonym, year))
    full = [(p.number, p.text) for p in pages]
    referenced = next(int(re.search(re.escape(phrase) + r" (\d+)\)", t).group(1)) for _, t in full if phrase in t)
    # The section "Regionala utvecklingsfrågor" of the collaboration areas, which opens
    # with the programme's målområden.
    target = next(n for n, t in full if "Regionala utvecklingsfrågor Målområden" in t)
    assert referenced == target


def test_a_fee_document_is_dated_by_the_budgets_decision(anonym):
    text = " ".join(p.text for p in pages_of(anonym.get("/budget/2017/avgifter/huddinge/pdf/").content))
    assert datetime.date.today().isoformat() not in text
    assert "Budgetens beslutsdatum är inte känt" in text
    with lock_bypass():  # the date of the decided 2017 plan's decision, once known
        WorkPlan.objects.filter(year=2017).update(decided_on=datetime.date(2016, 12, 8))
    text = " ".join(p.text for p in pages_of(anonym.get("/budget/2017/avgifter/huddinge/pdf/").content))
    assert "Datum 2016-12-08" in text


def test_a_fee_document_keeps_the_source_note_with_its_table_and_the_sign_off_with_text(anonym):
    pages = pages_of(anonym.get("/budget/2017/avgifter/huddinge/pdf/").content)
    note_page = next(p for p in pages if "Källa för folkmängden" in p.text)
    assert "Huddinge kommuns avgift 2017" in note_page.text
    last = pages[-1]
    assert "Kansliet för Södertörnskommunernas samarbetskommitté" in last.text
    assert "Underlag" in last.text or "Avgifter 2017 per kommun" in last.text or len(pages) == 1
