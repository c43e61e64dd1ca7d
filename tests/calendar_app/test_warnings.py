"""The secretariat's warnings (calendar_warnings): hints, never errors."""
import pytest

from calendar_app.models import EventSeries, HostRotation
from calendar_app.selectors import calendar_warnings
from plans.models import Municipality

pytestmark = pytest.mark.django_db

THURSDAYS_2031 = ["2031-01-16", "2031-02-13", "2031-03-20", "2031-05-08", "2031-06-12", "2031-09-18"]
FRIDAYS_2031 = ["2031-01-17", "2031-02-14", "2031-03-21", "2031-05-09", "2031-06-13", "2031-09-19"]


def _rotation(series_slug, year, *hosts):
    rotation = HostRotation.objects.create(series=EventSeries.objects.get(slug=series_slug), year=year)
    rotation.hosts.set(Municipality.objects.filter(slug__in=hosts))
    return rotation


@pytest.fixture
def full_year_2031(make_event):
    """A 2031 without anything to warn about."""
    for day in THURSDAYS_2031:
        make_event(body="samarbetskommitten", day=day)
    for day in FRIDAYS_2031:
        make_event(body="ledningsgruppen", day=day, start="08:30", finish="13:00")
    _rotation("sodertorns-radslag", 2030, "tyreso")
    _rotation("sodertorns-radslag", 2031, "salem")
    _rotation("sodertorns-radslag", 2032, "botkyrka")
    _rotation("sodertornskonferensen", 2030, "haninge", "nynashamn")
    _rotation("sodertornskonferensen", 2031, "huddinge", "tyreso")
    _rotation("sodertornskonferensen", 2032, "nykvarn", "sodertalje")


def test_a_well_planned_year_has_no_warnings(full_year_2031):
    assert calendar_warnings(year=2031) == []


def test_warns_when_a_body_meets_fewer_than_six_times(make_event):
    for day in THURSDAYS_2031[:5]:
        make_event(body="samarbetskommitten", day=day)
    warnings = calendar_warnings(year=2031)
    assert ("Samarbetskommittén har 5 möten 2031, men ska enligt samarbetsavtalet träffas minst 6 gånger per år."
            in warnings)
    assert "Ledningsgruppen har 0 möten 2031, men ska enligt samarbetsavtalet träffas minst 6 gånger per år." in warnings


def test_planning_conferences_do_not_count_as_meetings(full_year_2031, make_event):
    make_event(body="ledningsgruppen", day="2031-04-03", end="2031-04-04", start=None, finish=None, kind="planning")
    assert calendar_warnings(year=2031) == []


def test_seeded_2010_has_five_committee_meetings(db):
    warnings = calendar_warnings(year=2010)
    assert "Samarbetskommittén har 5 möten 2010, men ska enligt samarbetsavtalet träffas minst 6 gånger per år." in warnings


def test_warns_about_a_committee_meeting_not_on_a_thursday(full_year_2031, make_event):
    make_event(body="samarbetskommitten", day="2031-10-21", note="obs tisdag!")
    assert calendar_warnings(year=2031) == [
        "Samarbetskommitténs möte 21 oktober 2031 är en tisdag, inte en torsdag som organet brukar mötas "
        "(anmärkning: ”obs tisdag!”)."
    ]


def test_warns_about_a_management_group_meeting_not_on_a_friday(full_year_2031, make_event):
    make_event(body="ledningsgruppen", day="2031-10-23", start="08:30", finish="13:00")
    assert calendar_warnings(year=2031) == [
        "Ledningsgruppens möte 23 oktober 2031 är en torsdag, inte en fredag som organet brukar mötas."
    ]


def test_seeded_weekday_exceptions_are_warned_about(db):
    assert any("19 oktober 2010 är en tisdag" in w and "obs tisdag!" in w for w in calendar_warnings(year=2010))
    assert "Samarbetskommitténs möte 29 november 2019 är en fredag, inte en torsdag som organet brukar mötas." in (
        calendar_warnings(year=2019)
    )


def test_warns_when_two_meetings_of_a_body_overlap(full_year_2031, make_event):
    make_event(body="ledningsgruppen", day="2031-01-17", start="12:00", finish="14:00")
    assert calendar_warnings(year=2031) == [
        "Ledningsgruppen har två händelser som krockar: mötet 17 januari 2031 och mötet 17 januari 2031."
    ]


def test_a_meeting_during_a_planning_conference_overlaps(full_year_2031, make_event):
    make_event(body="samarbetskommitten", day="2031-08-20", end="2031-08-21", start=None, finish=None, kind="planning")
    make_event(body="samarbetskommitten", day="2031-08-21")
    assert calendar_warnings(year=2031) == [
        "Samarbetskommittén har två händelser som krockar: Samarbetskommitténs planeringskonferens "
        "20–21 augusti 2031 och mötet 21 augusti 2031."
    ]


def test_meetings_of_one_day_that_follow_each_other_do_not_overlap(full_year_2031, make_event):
    make_event(body="ledningsgruppen", day="2031-01-17", start="13:00", finish="15:00")
    assert calendar_warnings(year=2031) == []


def test_meetings_of_different_bodies_at_the_same_time_do_not_overlap(full_year_2031, make_event):
    make_event(body="samarbetskommitten", day="2031-01-17", note="extra")  # a Friday: only the weekday warning
    assert len(calendar_warnings(year=2031)) == 1


def test_the_2012_planning_conference_is_one_event_so_nothing_clashes(db):
    """VP 2012 names the conference twice (the committee's list and its own line); the
    seed holds it once, so the clash rule (tested above) has nothing to flag."""
    assert not any("krockar" in w for w in calendar_warnings(year=2012))


def test_warns_about_a_year_without_a_radslag_host(full_year_2031):
    HostRotation.objects.filter(series__slug="sodertorns-radslag", year=2031).delete()
    assert calendar_warnings(year=2031) == ["Södertörns rådslag saknar värdkommun 2031."]


def test_warns_about_a_year_without_a_conference_host(full_year_2031):
    HostRotation.objects.filter(series__slug="sodertornskonferensen", year=2031).delete()
    assert calendar_warnings(year=2031) == ["Södertörnskonferensen saknar värdkommun 2031."]


def test_the_hosts_of_the_years_conference_count_as_its_rotation(full_year_2031, make_event):
    HostRotation.objects.filter(series__slug="sodertornskonferensen", year=2031).delete()
    make_event(series="sodertornskonferensen", kind="conference", day="2031-09-25", start=None, finish=None,
               hosts=["huddinge", "tyreso"])
    assert calendar_warnings(year=2031) == []


def test_warns_when_the_conference_has_one_host_of_two(full_year_2031):
    rotation = HostRotation.objects.get(series__slug="sodertornskonferensen", year=2031)
    rotation.hosts.set(Municipality.objects.filter(slug="huddinge"))
    assert calendar_warnings(year=2031) == [
        "Södertörnskonferensen har 1 värdkommun 2031 (Huddinge), men brukar ha 2."
    ]


def test_warns_about_a_municipality_hosting_two_years_in_a_row(full_year_2031):
    HostRotation.objects.get(series__slug="sodertorns-radslag", year=2032).hosts.set(
        Municipality.objects.filter(slug="salem")
    )
    assert calendar_warnings(year=2031) == ["Salem är värd för Södertörns rådslag två år i rad (2031 och 2032)."]


def test_hosting_twice_in_a_row_is_found_looking_back_too(full_year_2031):
    HostRotation.objects.get(series__slug="sodertornskonferensen", year=2030).hosts.set(
        Municipality.objects.filter(slug__in=["huddinge", "tyreso"])
    )
    assert calendar_warnings(year=2031) == [
        "Huddinge och Tyresö är värdar för Södertörnskonferensen två år i rad (2030 och 2031)."
    ]


def test_seeded_rotations_have_no_host_twice_in_a_row(db):
    for year in (2010, 2012, 2017, 2019):
        assert not [w for w in calendar_warnings(year=year) if "två år i rad" in w]


def test_warnings_do_not_stop_saving(make_event):
    event = make_event(body="samarbetskommitten", day="2031-10-21")
    assert event.pk
