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
