"""Helpers for the calendar tests: look up seeded events, make new ones, read feeds."""
import datetime

import pytest
from icalendar import Calendar

from calendar_app.models import Event, EventSeries
from plans.models import Body, Municipality
from sodertorn.dates import Precision


def seeded(body_or_series: str, day: str) -> Event:
    """The seeded event of a body or series (by slug) that starts on `day` (YYYY-MM-DD)."""
    events = Event.objects.filter(start_date=datetime.date.fromisoformat(day))
    if Body.objects.filter(slug=body_or_series).exists():
        return events.filter(body__slug=body_or_series).order_by("id").first()
    return events.filter(series__slug=body_or_series).order_by("id").first()


def parse_feed(response) -> dict:
    """The VEVENTs of a calendar response, by UID."""
    calendar = Calendar.from_ical(response.content)
    return {str(component["UID"]): component for component in calendar.walk("VEVENT")}


@pytest.fixture
def make_event(db):
    """Create an event: make_event(body="ledningsgruppen", day="2031-03-07", ...)."""

    def make(*, body=None, series=None, day=None, end=None, start="12:00", finish="15:00", place=None,
             hosts=(), kind=Event.Kind.MEETING, year=None, **fields):
        start_date = datetime.date.fromisoformat(day) if day else None
        end_date = datetime.date.fromisoformat(end) if end else None
        if "date_precision" not in fields:
            fields["date_precision"] = Precision.SPAN if end_date else Precision.DAY
        event = Event(
            kind=kind,
            body=Body.objects.get(slug=body) if body else None,
            series=EventSeries.objects.get(slug=series) if series else None,
            year=year or start_date.year,
            start_date=start_date,
            end_date=end_date,
            start_time=datetime.time.fromisoformat(start) if start else None,
            end_time=datetime.time.fromisoformat(finish) if finish else None,
            place=Municipality.objects.get(slug=place) if place else None,
            **fields,
        )
        event.full_clean()
        event.save()
        event.hosts.set(Municipality.objects.filter(slug__in=hosts))
        return event

    return make
