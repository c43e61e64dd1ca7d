"""Template filters of the calendar: times, hosts, the Kalendarium's lines."""
from django import template
from django.db import models

from ..formatting import join_names, time_range

register = template.Library()
register.filter(time_range)


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
    if event.kind == event.Kind.NO_MEETING:
        # As the plans write it: "September inget möte p.g.a. valet".
        return " inget möte" + (f" {event.note}" if event.note else "")
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
