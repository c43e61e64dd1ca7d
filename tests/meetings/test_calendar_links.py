"""The calendar, its iCal files and the plan's Kalendarium link to a meeting once
its minutes are public (readers see the link before)."""
import datetime

import pytest
from django.test import Client

from calendar_app.models import Event
from meetings.models import AgendaItem, Meeting
from meetings.services import meeting_draw_up_minutes, meeting_send_notice, paragraphs_for_items
from plans.models import WorkPlan
from sodertorn.dates import Precision

from .conftest import members, write_minutes
from .test_flow import approve_all, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded_meeting():
    """A meeting on one of the 2019 plan's own committee dates (the seed has the date, the test the minutes)."""
    event = Event.objects.filter(
        plan__year=2019, body__slug="samarbetskommitten", kind=Event.Kind.MEETING, date_precision=Precision.DAY,
    ).order_by("sort_key").first()
    people = members(event.body, event.year)
    meeting = Meeting.objects.create(event=event, chair=people[0])
    AgendaItem.objects.create(meeting=meeting, position=1, title="Verksamhetsplan 2020")
    paragraphs_for_items(meeting=meeting)
    meeting_send_notice(meeting=meeting, now=at(event.start_date - datetime.timedelta(days=10)))
    write_minutes(meeting)
    meeting_draw_up_minutes(meeting=meeting, now=at(event.start_date, 16))
    meeting.refresh_from_db()
    return meeting


def test_the_feeds_link_to_the_minutes_once_justerade(seeded_meeting):
    client = Client()
    link = "Dagordning och protokoll: http://testserver" + seeded_meeting.get_absolute_url()

    def feed(url):
        return client.get(url).content.decode().replace("\r\n ", "").replace("\\n", "\n")

    assert link not in feed("/kalender/samarbetskommitten.ics")
    approve_all(seeded_meeting, at(seeded_meeting.date + datetime.timedelta(days=3)))
    assert link in feed("/kalender/samarbetskommitten.ics")
    assert link in feed(f"/kalender/handelse/{seeded_meeting.event.uid}.ics")


def test_the_kalendarium_links_to_the_meeting(seeded_meeting, lasare_user):
    plan_url = WorkPlan.objects.get(year=2019).get_absolute_url()
    assert seeded_meeting.get_absolute_url() not in Client().get(plan_url).content.decode()
    reader = Client()
    reader.force_login(lasare_user)
    assert seeded_meeting.get_absolute_url() in reader.get(plan_url).content.decode()
    approve_all(seeded_meeting, at(seeded_meeting.date + datetime.timedelta(days=3)))
    assert seeded_meeting.get_absolute_url() in Client().get(plan_url).content.decode()


def test_the_annual_report_lists_the_years_decisions_and_their_assignments(seeded_meeting, text_of):
    from meetings.models import Assignment
    from meetings.services import assignment_close

    paragraph = seeded_meeting.paragraphs.get()
    assignment = Assignment.objects.create(paragraph=paragraph, clause=2, description="Redovisa arbetet",
                                           to_body=paragraph.body, due_date=seeded_meeting.date + datetime.timedelta(days=30))
    url = "/planer/2019/arsredovisning/"
    assert "Samarbetskommittén § 1" not in text_of(Client().get(url))  # not public before justering
    approve_all(seeded_meeting, at(seeded_meeting.date + datetime.timedelta(days=3)))
    assignment_close(assignment=assignment, status=Assignment.Status.DONE,
                     closed_on=seeded_meeting.date + datetime.timedelta(days=20), outcome="Redovisat i juni.")
    text = text_of(Client().get(url))
    assert "Beslut och uppdrag 2019" in text
    assert "Samarbetskommittén § 1" in text and "Verksamhetsplan 2020" in text
    assert "Uppdrag till Södertörnskommunernas samarbetskommitté: Redovisa arbetet – slutfört" in text
    assert "Redovisat i juni." in text
