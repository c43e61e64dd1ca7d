"""The rendered pages say what the source documents say (seeds 000–004), document by
document: titles, headings, meeting lists, partly legible figures and gaps marked "[…]"."""
import pytest

from calendar_app.models import Event
from plans.models import Activity

pytestmark = pytest.mark.django_db


# --- Verksamhetsplan 2010 (004) ---------------------------------------------------------

def test_vp2010_has_the_sources_title_without_budget(anonym, text_of):
    text = text_of(anonym.get("/planer/2010/"))
    assert "Verksamhetsplan 2010" in text
    assert "Verksamhetsplan och budget 2010" not in text
    assert "Verksamhetsplan 2010" in text_of(anonym.get("/planer/"))


@pytest.mark.parametrize("url", ["/planer/2010/", "/planer/2010/pdf/"])
def test_vp2010_says_no_meeting_in_september_inside_the_committees_list(anonym, text_of, pdf_text_of, url):
    response = anonym.get(url)
    text = pdf_text_of(response.content) if url.endswith("pdf/") else text_of(response)
    committee = text.split("samarbetskommitté (torsdagar 12.00–15.00)")[1].split("Samarbetskommitténs planeringskonferens")[0]
    assert "10 juni – Botkyrka September inget möte p.g.a. valet 19 oktober – Tyresö" in committee
    assert text.count("inget möte p.g.a. valet") == 1


# --- Verksamhetsplan 2012 (000) ---------------------------------------------------------

def test_vp2012_has_its_planning_conference_once(anonym):
    planning = Event.objects.filter(plan__year=2012, kind=Event.Kind.PLANNING, body__slug="samarbetskommitten")
    assert planning.count() == 1
    uid = str(planning.get().uid)
    assert anonym.get("/kalender/2012/").content.decode().count(f'id="e-{uid}"') == 1
    feed = anonym.get("/kalender.ics").content.decode()
    assert feed.count(f"UID:{uid}") == 1
    assert feed.count("DTSTART;VALUE=DATE:20120822") == 1


def test_vp2012_heads_the_key_figures_as_the_plan_does(anonym, text_of):
    kalendarium = text_of(anonym.get("/planer/2012/")).split("8. Kalendarium")[-1]
    assert "Nyckeltal Södertörn Datum fastställs senare" in kalendarium


# --- Verksamhetsplan 2019 (003) ---------------------------------------------------------

def test_vp2019_names_the_management_groups_chairs_until_december(anonym, text_of):
    text = text_of(anonym.get("/planer/2019/"))
    assert "Ordförande och vice ordförande i ledningsgruppen t.o.m. december 2019 är Rickard Sundbom" in text


def test_vp2019_shows_costs_cut_off_in_the_scan_as_not_legible(anonym, text_of):
    for url in ("/planer/2019/", "/planer/2019/handlingsplan/"):
        text = text_of(anonym.get(url))
        for figure in ("100…", "…1000)", "4000…", "200…"):
            assert f"ej läsbart i källan: {figure}" in text, (url, figure)
    assert Activity.objects.filter(plan__year=2019).exclude(cost_illegible="").count() == 4


def test_vp2019_annual_report_keeps_illegible_costs_out_of_its_sums_and_says_so(anonym, text_of):
    legible = sum(a.cost for a in Activity.objects.filter(plan__year=2019, cost__isnull=False))
    text = text_of(anonym.get("/planer/2019/arsredovisning/"))
    assert f"{legible:,}".replace(",", " ") + " kr" in text
    assert "räknar inte med 4 belopp som inte går att läsa i källan" in text


# --- Documents (003, 004) ---------------------------------------------------------------

def test_the_yttrande_shows_the_legible_part_of_its_diarienummer(anonym, text_of):
    text = text_of(anonym.get("/dokument/yttrande-motion-kommunalforbund/"))
    assert "Diarienummer 2009/1… (delvis oläsligt i källan)" in text


def test_the_agreement_is_dated_by_its_signature_line(anonym, text_of):
    detail = text_of(anonym.get("/dokument/samarbetsavtal-2010/"))
    assert "Datum […]/6 2010 (enligt underskriften)" in detail
    assert "Nykvarn den […]/6 2010" in detail
    assert "[…]/6 2010" in text_of(anonym.get("/dokument/"))


# --- SUP 2013 (003) ---------------------------------------------------------------------

def test_sup2013_marks_the_passages_it_leaves_out(anonym, text_of):
    text = text_of(anonym.get("/program/sup-2013/"))
    assert "föra oss bort från Stockholms centrum i vår vardag. […]" in text
    assert "Mindre tid på dagliga resor – starka regionala kärnor … […] God arkitektur" in text


# --- Målområde / ämnesområde headings and network labels (000, 002, 003) --------------

@pytest.mark.parametrize("year", [2012, 2017, 2019])
def test_the_development_goals_stand_under_their_malomrade_headings(anonym, year):
    import re

    # The heading levels depend on whether the area is a numbered chapter (VP 2019).
    html = re.sub(r"<(/?)h[2-6]( class=\"goal-area\")?>", r"<\1h\2>", anonym.get(f"/planer/{year}/").content.decode())
    order = [
        '<h class="goal-area">Näringsliv och högskola</h>', "Höj utbildningsnivån på Södertörn",
        '<h class="goal-area">Olikhet och mångfald</h>', "<h>Nyttja tillgänglig kompetens i tillväxtsyfte</h>",
        '<h class="goal-area">Klimat</h>', "<h>Leda omställningen till ett klimateffektivt samhälle</h>",
        '<h class="goal-area">Infrastruktur</h>', "<h>Utnyttja den nya infrastrukturen</h>",
    ]
    for heading, goal in zip(order[::2], order[1::2]):
        assert heading in html, (year, heading)
        assert html.index(heading) < html.index(goal, html.index(heading) - 1), (year, heading)


def test_vp2019_labels_networks_and_collaborations_as_the_plan_does(anonym, text_of, pdf_text_of):
    page = text_of(anonym.get("/planer/2019/"))
    pdf = pdf_text_of(anonym.get("/planer/2019/pdf/").content)
    for text in (page, pdf):
        assert "Nätverk: Klimatstrateger" in text
        assert "Samarbete: Etablering Södertörn" in text
        assert "Nätverk: Etablering Södertörn" not in text
        assert "Nätverk: Nätverk för klimatstrateger" not in text


# --- Host tables print the rotation each plan printed (000, 002, 003, 004) -------------

def _host_tables(html: str) -> dict[str, list[str]]:
    """{"Värdkommuner för …": ["2019", "2020", …]} from the plan page's rotation tables."""
    import re

    tables = {}
    for heading, body in re.findall(r"<h3>(Värdkommuner? för [^<]+)</h3>\s*<table class=\"rotation\">(.*?)</table>", html, re.S):
        tables[heading] = re.findall(r'<th scope="row">(\d{4})</th>', body)
    return tables


@pytest.mark.parametrize("year, expected", [
    (2010, {"Värdkommuner för Södertörns rådslag": [str(y) for y in range(2010, 2018)]}),
    (2012, {"Värdkommuner för Södertörns rådslag": [str(y) for y in range(2012, 2020)]}),
    (2017, {"Värdkommuner för Södertörns rådslag": [str(y) for y in range(2017, 2025)]}),
    (2019, {"Värdkommuner för Södertörnskonferensen": [str(y) for y in range(2019, 2023)],
            "Värdkommuner för Södertörns rådslag": [str(y) for y in range(2020, 2027)]}),
])
def test_each_plan_prints_the_host_rotation_it_printed(anonym, year, expected):
    assert _host_tables(anonym.get(f"/planer/{year}/").content.decode()) == expected


def test_vp2019_numbers_chapters_4_and_5_and_its_contents_run_without_a_gap(anonym, pdf_text_of):
    html = anonym.get("/planer/2019/").content.decode()
    assert "<h2>4. Regionala utvecklingsfrågor</h2>" in html
    assert "<h2>5. Verksamhetsutveckling och samverkansområden</h2>" in html
    toc = html[html.index('<nav class="toc"'):html.index("</nav>", html.index('<nav class="toc"'))]
    numbers = [int(n) for n in __import__("re").findall(r">(\d)\. ", toc)]
    assert numbers[:5] == [1, 2, 3, 4, 5]
    pdf = pdf_text_of(anonym.get("/planer/2019/pdf/").content)
    contents = pdf[pdf.index("Innehåll"):pdf.index("Bilaga 1")]
    assert "3. Samarbetsområden" in contents and "4. Regionala utvecklingsfrågor" in contents
    assert "5. Verksamhetsutveckling och samverkansområden" in contents
