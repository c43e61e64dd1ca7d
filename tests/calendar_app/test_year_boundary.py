"""Meetings across the year boundary (issue 11, item 4): an event belongs to the
year it happens in, and the same meeting entered twice is flagged."""
import datetime

import pytest

from calendar_app.models import Event
from calendar_app.selectors import events_for_plan
from calendar_app.selectors import calendar_warnings
from calendar_app.services import MeetingRow, calendar_meetings_create
from plans.models import Body, WorkPlan
from secretariat.services import work_plan_copy_to_year

pytestmark = pytest.mark.django_db


def listed(plan) -> list[Event]:
    return [e for group in events_for_plan(plan) for e in group["events"]]


def test_next_years_plan_shows_the_meetings_the_previous_plan_listed_for_it():
    plan_2018 = work_plan_copy_to_year(source=WorkPlan.objects.get(year=2017), year=2018)
    early = list(Event.objects.filter(plan__year=2017, year=2018))
    assert len(early) == 3  # the committee's January, March and April
    events = listed(plan_2018)
    assert set(early) <= set(events)
    assert len(events) == len(set(events))  # each once


def test_the_2017_kalendarium_still_prints_what_2017_printed():
    plan = WorkPlan.objects.get(year=2017)
    assert set(listed(plan)) == set(Event.objects.filter(plan=plan))


def test_a_dated_meeting_next_to_a_month_only_one_is_flagged():
    committee = Body.objects.get(slug="samarbetskommitten")
    calendar_meetings_create(rows=[MeetingRow(datetime.date(2018, 1, 25), committee)])
    warnings = calendar_warnings(year=2018)
    assert any("Samarbetskommittén har både ett möte ”januari 2018” och 25 januari 2018" in w for w in warnings)


def test_no_duplicate_warning_for_different_months():
    committee = Body.objects.get(slug="samarbetskommitten")
    calendar_meetings_create(rows=[MeetingRow(datetime.date(2018, 2, 1), committee)])
    assert not [w for w in calendar_warnings(year=2018) if "samma möte två gånger" in w]
