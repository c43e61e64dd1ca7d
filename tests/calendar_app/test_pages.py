"""/kalender/ (coming events), an event's page and /kalender/rotation/."""
import pytest
from django.urls import reverse
from django.utils import timezone

from calendar_app.models import Event, EventSeries, HostRotation
from plans.models import Municipality, WorkPlan
from secretariat.services import work_plan_reopen

from .conftest import seeded

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_year():
    return timezone.localdate().year + 1


def test_calendar_page_lists_coming_events_not_past_ones(anonym, make_event, next_year):
    make_event(body="samarbetskommitten", day=f"{next_year}-02-06", place="tyreso")
    html = anonym.get(reverse("calendar_app:upcoming")).content.decode()
    assert "6 februari" in html and "Tyresö" in html
    assert "2 februari" not in html  # 2017 is past


def test_calendar_page_lists_a_coming_month_without_inventing_a_day(anonym, make_event, next_year):
    make_event(body="ledningsgruppen", year=next_year, day=None, start=None, finish=None,
               date_precision="month", month=3)
    html = anonym.get(reverse("calendar_app:upcoming")).content.decode()
    assert f"Mars {next_year}" in html
    assert f"1 mars {next_year}" not in html


def test_calendar_page_without_coming_events_points_to_the_archive(anonym):
    Event.objects.filter(sort_key__gte=timezone.localdate()).delete()
    html = anonym.get(reverse("calendar_app:upcoming")).content.decode()
    assert "Inga kommande möten eller konferenser är inlagda ännu." in html
    for year in (2010, 2012, 2017, 2019):
        assert f'href="/kalender/{year}/"' in html


def test_calendar_page_hides_preliminary_events_from_the_public(anonym, make_event, next_year):
    make_event(body="samarbetskommitten", day=f"{next_year}-02-06", preliminary=True)
    assert "6 februari" not in anonym.get(reverse("calendar_app:upcoming")).content.decode()


def test_calendar_page_shows_preliminary_events_to_readers_of_drafts(lasare, make_event, next_year):
    make_event(body="samarbetskommitten", day=f"{next_year}-02-06", preliminary=True)
    html = lasare.get(reverse("calendar_app:upcoming")).content.decode()
    assert "6 februari" in html and "Preliminär" in html


def test_event_page_shows_date_time_place_and_what_it_is(anonym):
    event = seeded("samarbetskommitten", "2017-02-02")
    html = anonym.get(event.get_absolute_url()).content.decode()
    assert "<h1>Samarbetskommittén</h1>" in html
    assert '<time datetime="2017-02-02">2 februari 2017</time>' in html
    assert "12.00–15.00" in html and "Haninge" in html
    assert "Möte – Södertörnskommunernas samarbetskommitté" in html
    assert f'href="{reverse("calendar_app:event_ics", args=[event.uid])}"' in html
    assert "Lägg till i kalender" in html
    assert 'href="/planer/2017/"' in html


def test_event_page_names_the_hosts(anonym):
    html = anonym.get(seeded("sodertornskonferensen", "2017-09-07").get_absolute_url()).content.decode()
    assert "<dt>Värdkommuner</dt><dd>Nykvarn och Södertälje</dd>" in html
    assert "Om Södertörnskonferensen" in html


def test_event_page_of_an_imprecise_date_has_no_calendar_file(anonym):
    event = Event.objects.get(series__slug="nyckeltalsdagen", year=2019)
    html = anonym.get(event.get_absolute_url()).content.decode()
    assert "Hösten 2019" in html
    assert "Lägg till i kalender" not in html
    assert "Datumet är inte fastställt, därför finns ingen kalenderfil ännu." in html


def test_event_page_of_a_preliminary_event_is_not_found_for_the_public(anonym, make_event):
    draft = make_event(body="samarbetskommitten", day="2031-02-06", preliminary=True)
    assert anonym.get(draft.get_absolute_url()).status_code == 404
    assert anonym.get(reverse("calendar_app:event_ics", args=[draft.uid])).status_code == 404


def test_event_page_of_a_preliminary_event_is_shown_to_the_secretariat(sekretariat, make_event):
    draft = make_event(body="samarbetskommitten", day="2031-02-06", preliminary=True)
    html = sekretariat.get(draft.get_absolute_url()).content.decode()
    assert "Preliminär." in html and "Lägg till i kalender" not in html


def test_event_page_does_not_link_a_draft_plan_for_the_public(anonym):
    work_plan_reopen(plan=WorkPlan.objects.get(year=2019), reason="Planen blir ett utkast igen.", user=None)
    html = anonym.get(seeded("sodertorns-radslag", "2019-04-10").get_absolute_url()).content.decode()
    assert 'href="/planer/2019/"' not in html


def test_unknown_event_is_not_found(anonym):
    assert anonym.get(reverse("calendar_app:event_detail", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404


def test_rotation_page_lists_radslag_hosts_past_and_coming(anonym):
    html = anonym.get(reverse("calendar_app:rotation")).content.decode()
    assert "<caption>Värdkommuner för Södertörns rådslag, tidigare och kommande år</caption>" in html
    radslag = html.split('id="serie-sodertorns-radslag"')[1]
    for year, host in [(2010, "Huddinge"), (2011, "Salem"), (2017, "Nykvarn"), (2019, "Salem"), (2026, "Huddinge")]:
        row = radslag[radslag.index(f'<th scope="row">{year}'):]
        assert f'<td data-label="Värdkommun">{host}</td>' in row[:row.index("</tr>")]


def test_rotation_page_lists_two_conference_hosts_a_year(anonym):
    html = anonym.get(reverse("calendar_app:rotation")).content.decode()
    konferens = html.split('id="serie-sodertornskonferensen"')[1].split("<section")[0]
    row = konferens[konferens.index('<th scope="row">2020'):]
    assert '<td data-label="Värdkommuner">Botkyrka och Salem</td>' in row[:row.index("</tr>")]
    # 2017 has no published rotation; the year's conference names its hosts.
    row = konferens[konferens.index('<th scope="row">2017'):]
    assert '<td data-label="Värdkommuner">Nykvarn och Södertälje</td>' in row[:row.index("</tr>")]
    assert "Enligt årets kalendarium" in row[:row.index("</tr>")]
    assert "7 september" in row[:row.index("</tr>")]


def test_rotation_page_marks_this_year(anonym):
    this_year = timezone.localdate().year
    rotation, _ = HostRotation.objects.get_or_create(
        series=EventSeries.objects.get(slug="sodertorns-radslag"), year=this_year
    )
    rotation.hosts.set(Municipality.objects.filter(slug="huddinge"))
    html = anonym.get(reverse("calendar_app:rotation")).content.decode()
    assert f'<th scope="row">{this_year} <span class="tag">i år</span></th>' in html
