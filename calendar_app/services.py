"""Writes across the calendar: quick entry of a year's meetings, and copying a
year's meeting pattern to the next year. (The secretariat's warnings are a read:
calendar_app.selectors.calendar_warnings.)"""
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from plans.models import Body, Municipality, WorkPlan
from sodertorn.dates import Precision

from .models import Event, HostRotation

# -- quick entry -----------------------------------------------------------------


@dataclass
class MeetingRow:
    date: datetime.date
    body: Body
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    place: Municipality | None = None
    venue: str = ""


@transaction.atomic
def calendar_meetings_create(*, rows: list[MeetingRow], plan: WorkPlan | None = None, preliminary: bool = False) -> list[Event]:
    """Create one meeting per row, all or none. A row without times gets the body's
    usual times. Raises ValidationError with one Swedish message per faulty row."""
    events, errors = [], []
    for number, row in enumerate(rows, start=1):
        event = Event(
            kind=Event.Kind.MEETING,
            body=row.body,
            year=row.date.year,
            date_precision=Precision.DAY,
            start_date=row.date,
            start_time=row.start_time or (row.body.usual_start if not row.end_time else None),
            end_time=row.end_time or (row.body.usual_end if not row.start_time else None),
            place=row.place,
            venue=row.venue,
            plan=plan,
            preliminary=preliminary,
        )
        try:
            event.full_clean()
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                errors.extend(f"Rad {number} ({row.date:%Y-%m-%d}, {row.body.short_name}): {m}" for m in messages)
            continue
        events.append(event)
    if errors:
        raise ValidationError(errors)
    for event in events:
        event.save()
    return events


# -- copying a year's meeting pattern ---------------------------------------------


@dataclass
class PatternCopyResult:
    created: list[Event] = field(default_factory=list)
    skipped: list[Event] = field(default_factory=list)  # no exact date: not copied
    present: list[Event] = field(default_factory=list)  # next year already has the meeting


def _month_of(event: Event) -> int | None:
    """The month an event lies in, when its date says it (a day, a span or a month)."""
    if event.start_date:
        return event.start_date.month
    return event.month if event.date_precision == Precision.MONTH else None


def same_week_next_year(day: datetime.date, target_year: int) -> datetime.date:
    """The same weekday of the same ISO week in `target_year`. Week 53 becomes the
    last week of a year that has only 52; a date that the ISO calendar puts in the
    neighbouring year is moved a week so that it stays in `target_year`."""
    iso_year, week, weekday = day.isocalendar()
    target_iso_year = iso_year + (target_year - day.year)
    weeks = datetime.date(target_iso_year, 12, 28).isocalendar().week
    result = datetime.date.fromisocalendar(target_iso_year, min(week, weeks), weekday)
    while result.year < target_year:
        result += datetime.timedelta(weeks=1)
    while result.year > target_year:
        result -= datetime.timedelta(weeks=1)
    return result


@transaction.atomic
def calendar_pattern_copy(*, year: int, bodies: list[Body] | None = None) -> PatternCopyResult:
    """Copy `year`'s meetings and planning conferences of the given bodies (default:
    every body with such events) to the same weekday of the same week next year.

    The copies are preliminary, belong to no plan and have no place (the meetings
    move between the municipalities): drafts for the secretariat to adjust. Events
    without an exact date are not copied. Adds only what is missing: a meeting
    whose body already has an event of the same kind in that month next year
    (exact or only the month, wherever it was entered) is left out and listed in
    `present`."""
    target = year + 1
    source = Event.objects.filter(
        year=year, body__isnull=False, series__isnull=True,
        kind__in=[Event.Kind.MEETING, Event.Kind.PLANNING],
    ).select_related("body").order_by("sort_key", "start_time", "id")
    if bodies is not None:
        source = source.filter(body__in=bodies)
    source = list(source)
    copyable = [e for e in source if e.is_precise and e.start_date]
    if not copyable:
        raise ValidationError(f"Det finns inga möten med fastställt datum {year} att kopiera.")

    body_ids = {e.body_id for e in copyable}
    # What next year already has, wherever it was entered (e.g. January–March
    # meetings listed in this year's plan): a body's event of a kind in a month.
    existing = {
        (e.body_id, e.kind, _month_of(e))
        for e in Event.objects.filter(year=target, body_id__in=body_ids)
    }
    result = PatternCopyResult(skipped=[e for e in source if e not in copyable])
    for original in copyable:
        start = same_week_next_year(original.start_date, target)
        if (original.body_id, original.kind, start.month) in existing:
            result.present.append(original)
            continue
        copy = Event(
            kind=original.kind,
            body=original.body,
            title=original.title,
            year=target,
            date_precision=original.date_precision,
            start_date=start,
            end_date=start + (original.end_date - original.start_date) if original.end_date else None,
            start_time=original.start_time,
            end_time=original.end_time,
            all_day=original.all_day,
            preliminary=True,
        )
        copy.full_clean()
        copy.save()
        result.created.append(copy)
    return result


@transaction.atomic
def conference_events_from_rotations(*, plan: WorkPlan) -> list[Event]:
    """One undated, preliminary event per rotating conference with `plan`'s year's
    hosts, for the secretariat to date (a new plan copied to the year, see
    secretariat.services.work_plan_copy_to_year)."""
    made = []
    for rotation in HostRotation.objects.filter(year=plan.year).select_related("series").prefetch_related("hosts"):
        hosts = list(rotation.hosts.all())
        event = Event.objects.create(
            plan=plan, kind=Event.Kind.CONFERENCE, series=rotation.series, year=plan.year, preliminary=True,
            date_precision=Precision.UNSET, all_day=True,
            place=hosts[0] if len(hosts) == 1 else None,
        )
        event.hosts.set(hosts)
        made.append(event)
    return made


def events_confirm(*, events) -> int:
    """Mark preliminary events as confirmed: they then show to everyone and enter
    the calendar files. Returns how many changed."""
    changed = 0
    for event in events:
        if event.preliminary:
            event.preliminary = False
            event.save()  # one by one, so that each change is in the history
            changed += 1
    return changed
