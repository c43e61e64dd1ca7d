"""The plan's chapters rendered from the calendar: events_for_plan() with
_kalendarium.html, rotations_for_plan() with _rotations.html."""
import re

import pytest
from django.template.loader import render_to_string

from calendar_app.selectors import events_for_plan, rotations_for_plan
from plans.models import WorkPlan

pytestmark = pytest.mark.django_db


def _kalendarium(year: int) -> str:
    html = render_to_string("calendar_app/_kalendarium.html", {"calendar_events": events_for_plan(WorkPlan.objects.get(year=year))})
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _rotations(year: int) -> str:
    return render_to_string("calendar_app/_rotations.html", {"rotations": rotations_for_plan(WorkPlan.objects.get(year=year))})


def test_groups_follow_the_plans_order():
    groups = events_for_plan(WorkPlan.objects.get(year=2017))
    assert [g["title"] for g in groups] == [
        "Södertörnskommunernas samarbetskommitté",
        "Samarbetskommitténs planeringskonferens",
        "Ledningsgruppen",
        "Södertörnskonferensen",
        "Södertörns rådslag",
        "Nyckeltalsdagen",
    ]
    assert all({"title", "order", "body", "events"} <= set(g) for g in groups)


def test_2017_kalendarium_reads_like_the_plan():
    text = _kalendarium(2017)
    assert "Södertörnskommunernas samarbetskommitté (torsdagar 12.00–15.00)" in text
    for line in ("2 februari – Haninge", "23 mars – Nykvarn", "1 juni – Salem", "14 september – Botkyrka",
                 "26 oktober – Tyresö", "7 december – Södertälje", "Januari 2018 – Huddinge",
                 "Mars 2018 – Haninge", "April 2018 – Nykvarn"):
        assert line in text
    assert "Samarbetskommitténs planeringskonferens 16–17 augusti – Nynäshamn" in text
    assert "Ledningsgruppen (fredagar 08.30–13.00) 20 januari 24 februari 6–7 april – planeringskonferens 12 maj" in text
    assert "Södertörnskonferensen 7 september – värdkommuner Nykvarn och Södertälje" in text
    assert "Södertörns rådslag 30 mars – Nykvarn" in text


def test_2010_kalendarium_keeps_the_notes():
    text = _kalendarium(2010)
    assert "26 januari – Stockholm (12–14 möte med Stockholms stad, därefter kommitté)" in text
    assert "19 oktober – Tyresö (obs tisdag!)" in text
    assert "Januari 2011 – Haninge" in text
    assert "12–13 augusti (lunch till lunch)" in text
    assert "14 januari – heldag, Botkyrka" in text
    assert "25 mars – heldag, Huddinge" in text


def test_2012_kalendarium_shows_a_month_and_an_unset_date_as_written():
    text = _kalendarium(2012)
    assert "Oktober – Nynäshamn (Datum fastställes senare)" in text
    assert "Nyckeltal Södertörn Datum fastställs senare" in text  # the plan's heading (000)
    assert "1 oktober" not in text
    assert "29–30 mars – planeringskonferens (lunch till lunch)" in text
    assert "13 september – heldag, värdkommuner Nykvarn och Södertälje" in text


def test_2019_heading_states_the_years_own_meeting_hours():
    text = _kalendarium(2019)
    assert "Södertörnskommunernas samarbetskommitté (torsdagar 12.00–15.30)" in text
    assert "Ledningsgruppen (fredagar 08.30–11.00) 25 januari – StorSthlm" in text
    assert "Södertörns rådslag 10 april – Salem" in text
    assert "Nyckeltalsdagen Hösten" in text


def test_kalendarium_is_plain_html_with_dates_machine_readable():
    html = render_to_string("calendar_app/_kalendarium.html", {"calendar_events": events_for_plan(WorkPlan.objects.get(year=2017))})
    assert "<script" not in html and "style=" not in html
    assert '<time datetime="2017-02-02">2 februari</time>' in html
    assert html.count("<h3>") == 6


def test_rotations_list_the_hosts_year_by_year():
    html = _rotations(2019)
    assert "<h3>Värdkommuner för Södertörnskonferensen</h3>" in html
    assert '<th scope="row">2020</th><td>Botkyrka och Salem</td>' in html
    assert "<h3>Värdkommuner för Södertörns rådslag</h3>" in html
    # The plan's rådslag table prints 2020–2026; 2019 (Salem) is in its text only.
    assert '<th scope="row">2019</th><td>Salem</td>' not in html
    assert '<th scope="row">2020</th><td>Nynäshamn</td>' in html
    assert '<th scope="row">2026</th><td>Huddinge</td>' in html


def test_rotations_of_2010_start_with_huddinge():
    html = _rotations(2010)
    assert '<th scope="row">2010</th><td>Huddinge (25 mars)</td>' in html
    assert '<th scope="row">2011</th><td>Salem</td>' in html


def test_the_plan_page_renders_both_chapters(anonym):
    html = anonym.get(WorkPlan.objects.get(year=2017).get_absolute_url()).content.decode()
    assert "Södertörnskommunernas samarbetskommitté (torsdagar 12.00–15.00)" in html
    assert "Värdkommuner för Södertörns rådslag" in html
