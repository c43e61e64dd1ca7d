"""Reads for the calendar pages, the feeds and the plan's Kalendarium chapter.

Every builder here runs a fixed number of queries however many events there are
(tests/calendar_app/test_queries.py pins them).
"""
import calendar
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from plans.models import Body, Municipality, WorkPlan
from sodertorn.dates import MONTHS, PRECISE, Precision, Season
from sodertorn.db import swedish
from sodertorn.printed import printed_names_apply

from .formatting import WEEKDAY_NAMES, genitive, join_names, time_range_text
from .models import Event, EventSeries, HostRotation


def _hosts_prefetch() -> Prefetch:
    return Prefetch("hosts", queryset=Municipality.objects.order_by(swedish("name")))


def events_with_details(*, include_preliminary: bool = False) -> QuerySet[Event]:
    """Events with everything a list row shows (2 queries: events with body, series
    and place joined; their hosts). Preliminary events, the secretariat's drafts,
    are left out unless asked for."""
    # "meeting": the sammanträde (meetings app) the Kalendarium and the feeds link to.
    events = Event.objects.select_related("body", "series", "place", "meeting").prefetch_related(_hosts_prefetch())
    if not include_preliminary:
        events = events.filter(preliminary=False)
    # All-day events and events without a time first within their day, on every database.
    return events.order_by("sort_key", F("start_time").asc(nulls_first=True), "id")


def events_visible_to(user) -> QuerySet[Event]:
    """events_with_details, as far as `user` may see them (Event.objects.visible_to)."""
    return events_with_details(include_preliminary=True).visible_to(user)


def upcoming_events(today: datetime.date, user) -> QuerySet[Event]:
    """Events from today on. An imprecise date stays "coming" until its period ends
    (a month until its last day), which is where `sort_key` puts it."""
    return events_visible_to(user).held().filter(sort_key__gte=today)


def calendar_years(user) -> list[int]:
    """The years that have events `user` may see, for the year navigation (1 query)."""
    events = Event.objects.visible_to(user)
    # order_by() drops the model's ordering, which would otherwise enter the DISTINCT.
    return list(events.order_by("year").values_list("year", flat=True).distinct())


# -- the plan's chapters ------------------------------------------------------


def events_for_plan(plan: WorkPlan, printed: dict | None = None) -> list[dict]:
    """The plan's Kalendarium: its events grouped as the plans write it (2 queries).

    The committee's meetings, then the committee's planning conference as a group of
    its own, then the management group (whose planning conference sits in its list,
    marked as such), then the conferences by series. Each group is
    {"title", "order", "body", "events"}, plus "times" and "schedule", the usual
    hours the heading states ("torsdagar 12.00–15.00"); each event gets `plan_date`,
    its date as written, with the year added when it lies in another year than the
    plan's. `printed`: the names a decided plan printed (sodertorn/printed.py), put
    back on the events' bodies and series before the group headings are taken from them."""
    groups: dict[tuple, dict] = {}
    # An event belongs to the year it happens in: besides its own events, a plan
    # lists those of its year that an earlier plan listed (the January–March
    # meetings a plan prints for the next year) or that no plan lists (e.g. the
    # preliminary copies of the meeting pattern). A plan's own events of the next
    # year stay in it, so a decided plan prints what it printed.
    own_year = Q(year=plan.year) & (Q(plan__isnull=True) | Q(plan__year__lt=plan.year))
    if plan.is_public:
        own_year &= Q(preliminary=False)  # drafts of the calendar stay unpublished
    events = list(events_with_details(include_preliminary=True).filter(Q(plan=plan) | own_year))
    printed_names_apply(printed, events)
    for event in events:
        event.plan_date = event.date_display(with_year=event.year != plan.year)
        if event.series_id:
            # A plan may head the series by its own name ("Nyckeltal Södertörn").
            title = event.title or event.series.name
            key, title, order, body = ("series", event.series_id), title, (2, event.series.position, 0), None
        elif event.body_id and event.kind == Event.Kind.PLANNING and event.body.kind == Body.Kind.COMMITTEE:
            key, title, order, body = ("planning", event.body_id), event.display_title, (1, event.body.position, 1), None
        elif event.body_id:
            key, title, order, body = ("body", event.body_id), event.body.name, (1, event.body.position, 0), event.body
        else:
            key, title, order, body = ("other", 0), "Övrigt", (3, 0, 0), None
        group = groups.setdefault(key, {"title": title, "order": order, "body": body, "events": []})
        group["events"].append(event)
    for group in groups.values():
        group["times"] = _usual_times(group)
        group["schedule"] = _schedule(group["body"], group["times"])
    return sorted(groups.values(), key=lambda g: g["order"])


def _usual_times(group: dict) -> tuple:
    """The meeting hours a body's group heading states: the most common hours of its
    meetings that year (VP 2019: 12.00–15.30), else the body's usual hours."""
    body = group["body"]
    if body is None:
        return (None, None)
    hours = Counter(
        (e.start_time, e.end_time) for e in group["events"] if e.kind == Event.Kind.MEETING and e.start_time
    )
    return hours.most_common(1)[0][0] if hours else (body.usual_start, body.usual_end)


def _schedule(body: Body | None, times: tuple) -> str:
    """"torsdagar 12.00–15.00"."""
    if body is None:
        return ""
    parts = []
    if body.meeting_weekday is not None:
        parts.append(f"{WEEKDAY_NAMES[body.meeting_weekday]}ar")
    hours = time_range_text(*times)
    if hours:
        parts.append(hours)
    return " ".join(parts)


def rotations_for_plan(plan: WorkPlan) -> list[dict]:
    """Host rotations per series (2 queries): the series and years the plan's own tables
    print (`plan.rotation_years`), or else the plan's year and the years ahead
    (`WorkPlan.rotation_ranges()`, the rule the lock of the rotations follows too)."""
    rotations = (
        HostRotation.objects.filter(plan.rotation_q())
        .select_related("series")
        .prefetch_related(_hosts_prefetch())
        .order_by("series__position", "year")
    )
    by_series = defaultdict(list)
    for rotation in rotations:
        by_series[rotation.series].append(rotation)
    return [{"series": s, "rotations": r} for s, r in by_series.items()]


# -- host rotations by year ---------------------------------------------------


@dataclass
class HostYear:
    """Who hosts a series one year: the published rotation, or else the hosts named
    on that year's events of the series."""

    year: int
    hosts: list = field(default_factory=list)
    events: list = field(default_factory=list)
    rotation: HostRotation | None = None

    @property
    def hosts_text(self) -> str:
        return " och ".join(m.name for m in self.hosts)

    @property
    def from_events_only(self) -> bool:
        return self.rotation is None and bool(self.hosts)


def host_years(*, years: range | None = None) -> list[dict]:
    """For every series with rotating hosts: [{"series", "years": [HostYear]}], the
    years sorted (4 queries: series, rotations with hosts, events with hosts)."""
    series_list = list(EventSeries.objects.filter(hosts_per_year__gt=0).order_by("position", "name"))
    rotations = HostRotation.objects.filter(series__in=series_list).prefetch_related(_hosts_prefetch())
    events = (
        Event.objects.filter(series__in=series_list, preliminary=False)
        .select_related("place")
        .prefetch_related(_hosts_prefetch())
        .order_by("sort_key", "id")
    )
    if years is not None:
        rotations = rotations.filter(year__gte=years.start, year__lt=years.stop)
        events = events.filter(year__gte=years.start, year__lt=years.stop)
    table: dict[int, dict[int, HostYear]] = {s.pk: {} for s in series_list}
    for rotation in rotations:
        entry = table[rotation.series_id].setdefault(rotation.year, HostYear(rotation.year))
        entry.rotation = rotation
        entry.hosts = list(rotation.hosts.all())
    for event in events:
        entry = table[event.series_id].setdefault(event.year, HostYear(event.year))
        entry.events.append(event)
        if entry.rotation is None:
            for host in event.hosts.all():
                if host not in entry.hosts:
                    entry.hosts.append(host)
    return [
        {"series": s, "years": [table[s.pk][y] for y in sorted(table[s.pk])]}
        for s in series_list
    ]


def hosts_in_years(years: list[int]) -> list[dict]:
    """[{"series", "year", "hosts"}] for each series with rotating hosts and each of
    `years`, "hosts" being "" where none is decided (same queries as host_years)."""
    rows = host_years(years=range(min(years), max(years) + 1))
    return [
        {"series": row["series"], "year": year,
         "hosts": next((entry.hosts_text for entry in row["years"] if entry.year == year), "")}
        for row in rows
        for year in years
    ]


# -- the year page --------------------------------------------------------------


def _group_label(event: Event) -> tuple[tuple, str]:
    """Where an event is listed on the year page: under its month, under its season,
    or with the events that have no date yet."""
    p = event.date_precision
    if p in PRECISE and event.start_date:
        return (event.start_date.month, 0), MONTHS[event.start_date.month - 1].capitalize()
    if p == Precision.MONTH and event.month:
        return (event.month, 0), MONTHS[event.month - 1].capitalize()
    if p == Precision.SEASON and event.season:
        # After the month its sort date falls in, as FlexibleDate.sort_date() orders it.
        return (event.sort_key.month, 1), Season(event.season).label.capitalize()
    return (13, 0), "Utan fastställt datum"


def month_grid(year: int, month: int, events_by_day: dict) -> dict:
    """One month as weeks of days (Monday first), each day with its events."""
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        days = [
            {"date": d, "events": events_by_day.get(d, [])} if d.month == month else None
            for d in week
        ]
        weeks.append({"number": week[0].isocalendar().week, "days": days})
    return {"month": month, "name": MONTHS[month - 1].capitalize(), "year": year, "weeks": weeks}


def year_calendar(year: int, events: QuerySet[Event]) -> dict:
    """The year page: the (filtered) events of `year` as a list grouped by month and
    as twelve month grids (2 queries, the events and their hosts)."""
    events = list(events.filter(year=year))
    groups: dict[tuple, dict] = {}
    events_by_day = defaultdict(list)
    for event in events:
        key, label = _group_label(event)
        groups.setdefault(key, {"label": label, "events": []})["events"].append(event)
        if event.is_precise and event.start_date:
            day, last = event.start_date, event.end_date or event.start_date
            while day <= last:
                events_by_day[day].append(event)
                day += datetime.timedelta(days=1)
    return {
        "year": year,
        "events": events,
        "groups": [groups[k] for k in sorted(groups)],
        "months": [month_grid(year, m, events_by_day) for m in range(1, 13)],
        "imprecise_count": sum(1 for e in events if not e.is_precise),
    }


# -- the feeds -------------------------------------------------------------------


def feed_events(*, body: Body | None = None, series: EventSeries | None = None) -> QuerySet[Event]:
    """The events a feed holds: confirmed events with an exact date, each annotated
    with `last_changed`, the time of its latest saved revision (2 queries)."""
    history = Event.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    events = events_with_details().held().filter(date_precision__in=PRECISE).annotate(
        last_changed=Subquery(history.values("history_date")[:1])
    )
    if body is not None:
        events = events.filter(body=body)
    if series is not None:
        events = events.filter(series=series)
    return events


def feed_sources() -> dict:
    """The bodies and series that have a feed of their own (2 queries)."""
    return {
        "bodies": list(Body.objects.filter(events__isnull=False).distinct().order_by("position", "name")),
        "series": list(EventSeries.objects.filter(events__isnull=False).distinct().order_by("position", "name")),
    }


# -- the secretariat's warnings ------------------------------------------------------------------


def _interval(event: Event) -> tuple[datetime.datetime, datetime.datetime]:
    """The time an event takes; a day without times takes the whole day."""
    first, last = event.start_date, event.end_date or event.start_date
    timed = not event.all_day
    start = datetime.datetime.combine(first, (timed and event.start_time) or datetime.time.min)
    if timed and event.end_time:
        return start, datetime.datetime.combine(last, event.end_time)
    return start, datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min)


def _when(event: Event) -> str:
    return event.date_display(with_year=True)


def _label(event: Event) -> str:
    """"mötet 2 februari 2017", "Ledningsgruppens planeringskonferens 6–7 april 2017"."""
    what = "mötet" if event.kind == Event.Kind.MEETING else event.display_title
    return f"{what} {_when(event)}"


def meetings_short(*, year: int) -> list[tuple[Body, int]]:
    """The bodies with fewer meetings in `year`'s calendar than their minimum
    (Samarbetsavtalet: at least six), with the number they have; preliminary
    meetings count. One rule for the calendar warnings and Kontroll före beslut
    (1 query)."""
    bodies = Body.objects.filter(min_meetings_per_year__isnull=False).annotate(
        meetings=Count("events", filter=Q(events__year=year, events__kind=Event.Kind.MEETING))
    ).order_by("position")
    return [(body, body.meetings) for body in bodies if body.meetings < body.min_meetings_per_year]


def hosts_short(rows: list[dict], year: int) -> list[tuple[EventSeries, "HostYear | None"]]:
    """Of `rows` (host_years, with `year - 1` among their years), the series whose
    hosts for `year` are missing or fewer than usual: (series, that year's HostYear,
    or None when it has none). The year after an every-other-year series was held
    (it had hosts) is its off year, not a shortfall. One rule for the calendar
    warnings and Kontroll före beslut (no queries)."""
    short = []
    for row in rows:
        series, by_year = row["series"], {h.year: h for h in row["years"]}
        if series.every_other_year and (prior := by_year.get(year - 1)) and prior.hosts:
            continue  # an off year
        this = by_year.get(year)
        if this is None or len(this.hosts) < series.hosts_per_year:
            short.append((series, this))
    return short


def calendar_warnings(*, year: int) -> list[str]:
    """What the secretariat should look at in `year`'s calendar, in Swedish.

    Warnings, not errors: the plans have real exceptions (VP 2010's "obs tisdag!").
    - a body with fewer meetings than its minimum (Samarbetsavtal: at least six);
    - a meeting not on the body's usual weekday;
    - two events of the same body that overlap;
    - a series with rotating hosts that has no host (or too few) this year, its
      off year aside if it is held every other year;
    - a municipality hosting a series two years in a row.
    Preliminary events count: they are what the secretariat is planning.
    - a month-only meeting next to a dated one of the same body that month.
    A note that no meeting takes place ("Inget möte") is none of these.
    (At most 8 queries: bodies with meeting counts, events, month-only meetings,
    then host_years' 5.)"""
    warnings: list[str] = []

    for body, meetings in meetings_short(year=year):
        warnings.append(
            f"{body.short_name} har {meetings} möte{'n' if meetings != 1 else ''} {year}, "
            f"men ska enligt samarbetsavtalet träffas minst {body.min_meetings_per_year} gånger per år."
        )

    events = list(
        Event.objects.held().filter(year=year, body__isnull=False, date_precision__in=PRECISE, start_date__isnull=False)
        .select_related("body")
        .order_by("body__position", "start_date", "start_time", "id")
    )
    for event in events:
        weekday = event.body.meeting_weekday
        if event.kind == Event.Kind.MEETING and weekday is not None and event.start_date.weekday() != weekday:
            note = f" (anmärkning: ”{event.note}”)" if event.note else ""
            warnings.append(
                f"{genitive(event.body.short_name)} möte {_when(event)} är en {WEEKDAY_NAMES[event.start_date.weekday()]}, "
                f"inte en {WEEKDAY_NAMES[weekday]} som organet brukar mötas{note}."
            )

    for i, a in enumerate(events):
        a_start, a_end = _interval(a)
        for b in events[i + 1:]:
            if b.body_id != a.body_id:
                continue
            b_start, b_end = _interval(b)
            if a_start < b_end and b_start < a_end:
                warnings.append(f"{a.body.short_name} har två händelser som krockar: {_label(a)} och {_label(b)}.")

    # The same meeting entered twice: a month-only entry ("januari", e.g. from last
    # year's plan) next to a dated one ("25 januari") of the same body.
    month_only = (
        Event.objects.filter(year=year, body__isnull=False, kind=Event.Kind.MEETING, date_precision=Precision.MONTH)
        .select_related("body").order_by("body__position", "month")
    )
    for vague in month_only:
        dated = [e for e in events if e.body_id == vague.body_id and e.kind == Event.Kind.MEETING
                 and e.start_date.month == vague.month]
        if dated:
            warnings.append(
                f"{vague.body.short_name} har både ett möte ”{_when(vague)}” och "
                f"{' och '.join(_when(e) for e in dated)}: är det samma möte två gånger? Ta bort det ena."
            )

    rows = host_years(years=range(year - 1, year + 2))
    for series, this in hosts_short(rows, year):
        if this is None or not this.hosts:
            warnings.append(f"{series.name} saknar värdkommun {year}.")
        else:
            warnings.append(
                f"{series.name} har {len(this.hosts)} värdkommun {year} ({this.hosts_text}), "
                f"men brukar ha {series.hosts_per_year}."
            )
    for row in rows:
        series, by_year = row["series"], {h.year: h for h in row["years"]}
        for first, second in ((year - 1, year), (year, year + 1)):
            if first not in by_year or second not in by_year:
                continue
            twice = [m for m in by_year[first].hosts if m in by_year[second].hosts]
            if twice:
                warnings.append(
                    f"{join_names(twice)} är {'värd' if len(twice) == 1 else 'värdar'} för {series.name} "
                    f"två år i rad ({first} och {second})."
                )
    return warnings
