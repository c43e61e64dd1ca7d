"""iCalendar (RFC 5545) files of the calendar, built with the icalendar package.

Choices that calendar applications depend on:
- UID is the event's own UUID, which the seed loader derives from the plan and the
  event's place in it and which no edit changes, so an edited meeting moves in the
  subscriber's calendar instead of appearing twice.
- The files carry no METHOD, so DTSTAMP is, as RFC 5545 § 3.8.7.2 asks, the time
  the event was last revised (its latest history record), not the time of the
  request. The file is then the same bytes until something changes, and its hash
  serves as ETag.
- Times are local Stockholm times with TZID and a VTIMEZONE; events over several
  days, and all-day events, are dates with an exclusive DTEND (the day after).
- Events without an exact date cannot be put in a calendar and are left out.
- One-line texts (title, place, note) are refused with control characters on
  save; rows saved past validation have them replaced by spaces here, so a line
  break can never start a property of its own.
"""
import datetime
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from icalendar import Calendar
from icalendar import Event as ICalEvent

from sodertorn.validators import single_line

from .formatting import join_names, time_range
from .models import Event

TZ_NAME = "Europe/Stockholm"
STOCKHOLM = ZoneInfo(TZ_NAME)
PRODID = "-//Södertörnskommunernas samarbetskommitté//Kalender//SV"
CONTENT_TYPE = "text/calendar; charset=utf-8"
# Calendar apps that honour it poll twice a day; the ETag makes polling cheap.
REFRESH = datetime.timedelta(hours=12)


def ical_uid(event: Event) -> str:
    return f"{event.uid}@sodertorn"


def _stamp(event: Event) -> datetime.datetime:
    changed = getattr(event, "last_changed", None)
    if changed is None:
        # Events saved without history (none are, but a bulk load could): a fixed
        # time keeps the file stable.
        changed = datetime.datetime(event.year, 1, 1, tzinfo=datetime.UTC)
    return changed.astimezone(datetime.UTC).replace(microsecond=0)


def _start_end(event: Event) -> tuple:
    """DTSTART and DTEND: local times for a timed single day, dates otherwise."""
    first = event.start_date
    last = event.end_date or event.start_date
    if first == last and event.start_time and not event.all_day:
        start = datetime.datetime.combine(first, event.start_time, tzinfo=STOCKHOLM)
        end = datetime.datetime.combine(first, event.end_time, tzinfo=STOCKHOLM) if event.end_time else None
        return start, end
    return first, last + datetime.timedelta(days=1)


def _description(event: Event, url: str, minutes_url: str = "") -> str:
    """What it is (body or series), the hosts, the times of a multi-day event,
    the note, and the links back (and to the justerade minutes of a meeting)."""
    lines = []
    if event.body_id and event.kind == Event.Kind.PLANNING:
        lines.append(f"{single_line(event.display_title)} ({event.body.name}).")
    elif event.body_id:
        lines.append(f"{event.body.name}: {event.get_kind_display().lower()}.")
    if event.series_id:
        lines.append(f"{event.series.name}.")
    hosts = list(event.hosts.all())
    if hosts:
        lines.append(f"{'Värdkommun' if len(hosts) == 1 else 'Värdkommuner'}: {join_names(hosts)}.")
    if event.end_date and event.start_time:
        lines.append(f"Tid: {time_range(event)}.")
    if event.note:
        lines.append(f"Anmärkning: {single_line(event.note)}")
    lines.append(f"Mer information: {url}")
    if minutes_url:
        lines.append(f"Dagordning och protokoll: {minutes_url}")
    return "\n".join(lines)


def event_component(event: Event, request: HttpRequest) -> ICalEvent:
    url = request.build_absolute_uri(event.get_absolute_url())
    meeting = getattr(event, "meeting", None)  # selected with the event
    minutes_url = request.build_absolute_uri(meeting.get_absolute_url()) if meeting is not None and meeting.is_public else ""
    start, end = _start_end(event)
    stamp = _stamp(event)
    component = ICalEvent.new(
        uid=ical_uid(event),
        stamp=stamp,
        last_modified=stamp,
        start=start,
        end=end,
        summary=single_line(event.display_title),
        description=_description(event, url, minutes_url),
        location=single_line(event.place_display) or None,
        url=url,
        categories=[event.get_kind_display()],
    )
    component.add("status", "CONFIRMED")
    return component


def build_calendar(events, *, name: str, uid: str, request: HttpRequest, description: str = "") -> bytes:
    """The calendar file for `events` (which must have exact dates)."""
    events = list(events)
    cal = Calendar.new(
        prodid=PRODID,
        uid=uid,
        name=single_line(name),
        description=description or None,
        url=request.build_absolute_uri(),
        source=request.build_absolute_uri(),
        refresh_interval=REFRESH,
        calscale="GREGORIAN",
    )
    # RFC 7986 requires the VALUE parameter here, which icalendar leaves out.
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    cal.add("x-wr-timezone", TZ_NAME)
    cal.add("x-published-ttl", "PT12H")
    for event in events:
        cal.add_component(event_component(event, request))
    if events:
        years = [e.start_date.year for e in events]
        # The VTIMEZONE covers exactly the years the file uses; the default span
        # (1970–2038) would triple the file's size.
        cal.add_missing_timezones(
            first_date=datetime.date(min(years), 1, 1), last_date=datetime.date(max(years) + 2, 1, 1)
        )
    return cal.to_ical()


def ics_response(content: bytes, *, filename: str, attachment=False) -> HttpResponse:
    """Serve a calendar file. Its ETag and Last-Modified come from the content
    version before the feed is built (`public_page` on the view), so a client that
    already has this version gets 304 without the feed being built at all."""
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'{"attachment" if attachment else "inline"}; filename="{filename}"'
    # Clients may keep the file but must ask (cheaply, with the ETag) before using it.
    response["Cache-Control"] = "no-cache"
    return response
