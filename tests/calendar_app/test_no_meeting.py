"""A note that a body does not meet ("September inget möte p.g.a. valet", VP 2010): a
line of the body's meeting list, never a meeting in a feed, a count or a clash."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from calendar_app.models import Event
from calendar_app.selectors import calendar_warnings
from plans.models import Body, Municipality
from sodertorn.dates import Precision

from .conftest import parse_feed
from .test_warnings import THURSDAYS_2031

pytestmark = pytest.mark.django_db


@pytest.fixture
def september_2010():
    return Event.objects.get(plan__year=2010, kind=Event.Kind.NO_MEETING)


@pytest.fixture
def no_meeting_2031(make_event):
    """A dated "no meeting" on a Tuesday, the day of a real meeting of the committee."""
    make_event(body="samarbetskommitten", day="2031-10-21", note="obs tisdag!")
    return make_event(body="samarbetskommitten", day="2031-10-21", start=None, finish=None,
                      kind=Event.Kind.NO_MEETING, note="p.g.a. valet")


def test_the_2010_entry_is_the_committees_and_has_no_time_or_place(september_2010):
    assert september_2010.body.slug == "samarbetskommitten"
    assert (september_2010.date_precision, september_2010.month) == (Precision.MONTH, 9)
    assert september_2010.note == "p.g.a. valet"
    assert september_2010.display_title == "Samarbetskommittén: inget möte"


def test_the_year_page_lists_it_under_september(anonym):
    text = anonym.get("/kalender/2010/").content.decode()
    september = text.split('aria-label="September, tabell"')[1].split("</table>")[0]
    assert "Samarbetskommittén: inget möte" in september
    assert "p.g.a. valet" in september


def test_no_feed_holds_it(anonym, no_meeting_2031):
    for url in ("/kalender.ics", "/kalender/samarbetskommitten.ics"):
        feed = parse_feed(anonym.get(url))
        assert str(no_meeting_2031.uid) not in feed, url
        assert any(str(e.get("DTSTART").dt).startswith("2031-10-21") for e in feed.values()), "the real meeting is there"
    assert anonym.get(f"/kalender/handelse/{no_meeting_2031.uid}.ics").status_code == 404
    detail = anonym.get(no_meeting_2031.get_absolute_url()).content.decode()
    assert "Inget möte hålls, därför finns ingen kalenderfil." in detail
    assert "Lägg till i kalender" not in detail


def test_upcoming_lists_leave_it_out(anonym, no_meeting_2031, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2031, 10, 1))
    upcoming = anonym.get("/kalender/").content.decode()
    assert "inget möte" not in upcoming
    assert "21 oktober" in upcoming


def test_it_is_not_counted_as_a_meeting_nor_clashes(make_event):
    for day in THURSDAYS_2031[:5]:
        make_event(body="samarbetskommitten", day=day)
    make_event(body="samarbetskommitten", day="2031-10-21", start=None, finish=None, kind=Event.Kind.NO_MEETING)
    make_event(body="samarbetskommitten", day="2031-06-12", start=None, finish=None, kind=Event.Kind.NO_MEETING)
    warnings = calendar_warnings(year=2031)
    assert any("har 5 möten 2031" in w for w in warnings)
    assert not any("tisdag" in w for w in warnings)
    assert not any("krockar" in w for w in warnings)


def test_its_kalendarium_line_reads_like_the_plans(no_meeting_2031):
    from calendar_app.templatetags.calendar_tags import event_details

    assert event_details(no_meeting_2031) == " inget möte p.g.a. valet"
    no_meeting_2031.note = ""
    assert event_details(no_meeting_2031) == " inget möte"


def test_a_no_meeting_with_a_time_or_place_is_refused_in_swedish(make_event):
    with pytest.raises(ValidationError) as error:
        make_event(body="samarbetskommitten", day="2031-09-18", kind=Event.Kind.NO_MEETING, place="haninge")
    message = error.value.message_dict["kind"][0]
    assert "kan inte ha starttid, sluttid, plats" in message
    assert not Event.objects.filter(year=2031).exists()


def test_the_shell_cannot_save_a_no_meeting_with_a_time_either():
    committee = Body.objects.get(slug="samarbetskommitten")
    with pytest.raises(ValidationError, match="kan inte ha starttid"), transaction.atomic():
        Event.objects.create(kind=Event.Kind.NO_MEETING, body=committee, year=2031, date_precision=Precision.MONTH,
                             month=9, start_time=datetime.time(12))
    assert not Event.objects.filter(year=2031).exists()


def test_hosts_are_refused_on_every_path(no_meeting_2031):
    tyreso = Municipality.objects.get(slug="tyreso")
    with pytest.raises(ValidationError, match="”Inget möte” har ingen värdkommun."), transaction.atomic():
        no_meeting_2031.hosts.add(tyreso)
    with pytest.raises(ValidationError), transaction.atomic():
        tyreso.hosted_events.add(no_meeting_2031)
    assert not no_meeting_2031.hosts.exists()


def test_the_admin_form_refuses_hosts_and_saves_nothing(client, sekretariat_user):
    client.force_login(sekretariat_user)
    committee = Body.objects.get(slug="samarbetskommitten")
    response = client.post(reverse("admin:calendar_app_event_add"), {
        "kind": Event.Kind.NO_MEETING, "body": committee.pk, "year": 2031,
        "date_precision": Precision.MONTH, "month": 9, "note": "p.g.a. valet",
        "hosts": [Municipality.objects.get(slug="tyreso").pk],
    })
    assert response.status_code == 200
    assert "”Inget möte” har ingen värdkommun." in response.content.decode()
    assert not Event.objects.filter(year=2031).exists()


def test_a_sammantrade_cannot_be_tied_to_it(client, no_meeting_2031, django_user_model):
    admin = django_user_model.objects.create_superuser("chef", "chef@example.se", "x")
    client.force_login(admin)
    form = client.get(reverse("admin:meetings_meeting_add")).context["adminform"].form
    choices = form.fields["event"].queryset
    assert no_meeting_2031 not in choices
    assert choices.filter(start_date="2031-10-21").exists()
