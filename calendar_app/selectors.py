"""Reads for the calendar pages, the feeds and the plan's Kalendarium chapter."""
from collections import defaultdict

from django.db.models import Prefetch

from plans.models import Municipality, WorkPlan
from sodertorn.db import swedish

from .models import Event, EventSeries, HostRotation

# How many years of host rotation a plan shows: its own year and the coming ones,
# as the plans list them (VP 2012 lists 2012–2019).
ROTATION_YEARS_AHEAD = 7


def events_with_details():
    """Events with everything a list row shows (3 queries)."""
    return Event.objects.select_related("body", "series", "place").prefetch_related(
        Prefetch("hosts", queryset=Municipality.objects.order_by(swedish("name")))
    )


def events_for_plan(plan: WorkPlan) -> list[dict]:
    """The plan's Kalendarium: its events grouped by body or series, in the order
    the plans use (the committee, its planning conference, the management group,
    then the conferences)."""
    groups: dict[tuple, dict] = {}
    for event in events_with_details().filter(plan=plan).order_by("sort_key", "start_time", "id"):
        if event.series_id:
            key, title, order = ("series", event.series_id), event.series.name, (2, event.series.position)
        elif event.body_id:
            key, title, order = ("body", event.body_id), event.body.name, (1, event.body.position)
        else:
            key, title, order = ("other", 0), "Övrigt", (3, 0)
        group = groups.setdefault(key, {"title": title, "order": order, "body": event.body, "events": []})
        group["events"].append(event)
    return sorted(groups.values(), key=lambda g: g["order"])


def rotations_for_plan(plan: WorkPlan) -> list[dict]:
    """Host rotations from the plan's year and the years ahead, per series."""
    rotations = (
        HostRotation.objects.filter(year__gte=plan.year, year__lte=plan.year + ROTATION_YEARS_AHEAD)
        .select_related("series")
        .prefetch_related(Prefetch("hosts", queryset=Municipality.objects.order_by(swedish("name"))))
        .order_by("series__position", "year")
    )
    by_series = defaultdict(list)
    for rotation in rotations:
        by_series[rotation.series].append(rotation)
    return [{"series": s, "rotations": r} for s, r in by_series.items()]
