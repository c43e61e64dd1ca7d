"""The meeting lists run a fixed number of queries, whether there are 10 or 300 meetings."""
import datetime

import pytest
from django.test import Client

from calendar_app.models import Event
from meetings.models import AgendaItem, Assignment, Meeting, Paragraph
from plans.models import Body, Municipality
from sodertorn.dates import Precision
from sodertorn.lock import lock_bypass
from tests.growth import count_queries

pytestmark = pytest.mark.django_db


def many_meetings(n: int) -> list[Meeting]:
    """n justerade meetings of the committee with two paragraphs each (bulk, no services:
    only the lists' shape matters here; written past the lock, as the seed loader
    registers records made before the system)."""
    with lock_bypass("test: many justerade meetings"):
        return _many_meetings(n)


def _many_meetings(n: int) -> list[Meeting]:
    body = Body.objects.get(slug="samarbetskommitten")
    place = Municipality.objects.get(slug="huddinge")
    start = datetime.date(2030, 1, 1)
    events = Event.objects.bulk_create([
        Event(kind=Event.Kind.MEETING, body=body, year=(start + datetime.timedelta(days=3 * i)).year,
              date_precision=Precision.DAY, start_date=start + datetime.timedelta(days=3 * i),
              sort_key=start + datetime.timedelta(days=3 * i), place=place)
        for i in range(n)
    ])
    meetings = Meeting.objects.bulk_create([Meeting(event=e, status=Meeting.Status.APPROVED) for e in events])
    items = AgendaItem.objects.bulk_create([
        AgendaItem(meeting=m, position=k, title=f"Ärende {k}") for m in meetings for k in (1, 2)
    ])
    numbers = {}
    paragraphs = []
    for item, meeting, event in [(i, i.meeting, i.meeting.event) for i in items]:
        numbers[event.year] = numbers.get(event.year, 0) + 1
        paragraphs.append(Paragraph(meeting=meeting, item=item, body=body, year=event.year,
                                    number=numbers[event.year], decision="att godkänna"))
    Paragraph.objects.bulk_create(paragraphs)
    Assignment.objects.bulk_create([
        Assignment(paragraph=p, description=f"Uppdrag {p.number}", to_body=body, due_date=datetime.date(2031, 1, 1))
        for p in paragraphs[::2]
    ])
    return meetings


@pytest.mark.parametrize("n", [10, 300])
def test_the_public_meeting_list_runs_two_queries(n):
    many_meetings(n)
    client = Client()
    # 1 meetings with event, body, place and paragraph range; 2 the body/year index
    assert count_queries(client, "/sammantraden/") == 2
    assert Meeting.objects.public().count() == n


@pytest.mark.parametrize("n", [10, 300])
def test_the_body_year_page_runs_three_queries(n):
    many_meetings(n)
    client = Client()
    # 1 the body; 2 its meetings of the year with event and place; 3 their paragraphs with items
    assert count_queries(client, "/sammantraden/samarbetskommitten/2030/") == 3


@pytest.mark.parametrize("n", [10, 300])
def test_the_reader_lists_run_a_fixed_number_of_queries(n, lasare):
    many_meetings(n)
    # 1 session; 2 user; 3 the user's own permissions; 4 its groups' permissions;
    # 5 the body/year index; 6 the meetings
    assert count_queries(lasare, "/sammantraden/") == 6
    # 1–4 as above; 5 open assignments with paragraph, meeting, body, item and
    # assignees; 6 the adoptions to remind; 7 the closed assignments
    assert count_queries(lasare, "/uppdrag/") == 7
    assert Assignment.objects.open().count() == n


def test_the_meeting_page_runs_the_same_queries_for_2_and_12_items(lasare):
    """Items, their papers, paragraphs, uppdrag and adoptions are fetched per list, not per row."""
    from .test_flow import approve_all, at, held

    def measure(date, titles):
        meeting = held(date, joint=titles[:1], items=titles)
        approve_all(meeting, at(date + datetime.timedelta(days=2)))
        for paragraph in meeting.paragraphs.all():
            Assignment.objects.create(paragraph=paragraph, clause=1, description="Uppdrag", to_body=paragraph.body)
        return count_queries(lasare, meeting.get_absolute_url())

    small = measure(datetime.date(2026, 3, 5), [f"Ärende {i}" for i in range(2)])
    large = measure(datetime.date(2026, 4, 2), [f"Ärende {i}" for i in range(12)])
    assert small == large
