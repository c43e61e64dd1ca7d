"""How the calendar writes times, hosts and a body's usual meeting time."""
import datetime

from django import template
from django.db import models

register = template.Library()


def clock(value: datetime.time | None) -> str:
    """12:00 → "12.00", as Swedish documents write times."""
    return value.strftime("%H.%M") if value else ""


def join_names(items) -> str:
    """["Södertälje", "Nykvarn", "Salem"] → "Södertälje, Nykvarn och Salem"."""
    names = [str(getattr(i, "name", i)) for i in items]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " och " + names[-1]


def time_range_text(start: datetime.time | None, end: datetime.time | None) -> str:
    if start and end:
        return f"{clock(start)}–{clock(end)}"
    if start:
        return f"från {clock(start)}"
    return ""


@register.filter
def time_range(event) -> str:
    """"12.00–15.00", "heldag", or nothing when no time is set."""
    if event.all_day:
        return "heldagar" if event.end_date else "heldag"
    return time_range_text(event.start_time, event.end_time)


def unusual_time(event, usual: tuple | None) -> str:
    """The event's time, only where it differs from the usual hours (which the
    group heading already states)."""
    if usual and not event.all_day and (event.start_time, event.end_time) == tuple(usual):
        return ""
    return time_range(event)


@register.filter
def hosts_text(hosts) -> str:
    """Host municipalities joined as the plans write them: "Södertälje och Nykvarn".
    Takes a related manager or what its .all() returned (calling .all() again on a
    prefetched queryset would query the database once more)."""
    if isinstance(hosts, models.Manager):
        hosts = hosts.all()
    return join_names(hosts)


@register.filter
def event_details(event, group: dict | None = None) -> str:
    """What the Kalendarium writes after the date: " – Haninge", " – heldag, Huddinge",
    " – planeringskonferens", " – värdkommuner Södertälje och Nykvarn", then the note
    in brackets. `group` is the event's group from events_for_plan()."""
    group = group or {}
    parts = []
    if group.get("body") is not None and event.kind == event.Kind.PLANNING:
        parts.append("planeringskonferens")
    times = unusual_time(event, group.get("times"))
    if times:
        parts.append(times)
    if event.place_display:
        parts.append(event.place_display)
    hosts = list(event.hosts.all())
    if hosts and not (len(hosts) == 1 and hosts[0].pk == event.place_id):
        parts.append(f"{'värdkommun' if len(hosts) == 1 else 'värdkommuner'} {join_names(hosts)}")
    text = f" – {', '.join(parts)}" if parts else ""
    if event.note:
        text += f" ({event.note})"
    return text


@register.filter
def titles(events) -> str:
    """"Samarbetskommittén och Södertörns rådslag": the events of a day in the month grid."""
    return join_names(e.display_title + (" (preliminär)" if e.preliminary else "") for e in events)
