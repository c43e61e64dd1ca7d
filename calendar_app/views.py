from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_safe

from plans.models import Body
from sodertorn.freshness import public_page

from . import ics
from .filters import EventFilter
from .models import Event, EventSeries
from .selectors import (
    calendar_warnings,
    calendar_years,
    events_visible_to,
    feed_events,
    feed_sources,
    host_years,
    hosts_in_years,
    upcoming_events,
    year_calendar,
)

UPCOMING_LIMIT = 30
# The year pages that exist: the collaboration's agreement is from 2010, and the
# secretariat plans a few years ahead.
FIRST_YEAR = 2000
YEARS_AHEAD = 10


@public_page
@require_safe
def upcoming(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    events = list(upcoming_events(today, request.user)[:UPCOMING_LIMIT])
    return render(request, "calendar_app/upcoming.html", {
        "events": events,
        "today": today,
        "upcoming_caption": f"Från och med {date_format(today, 'j F Y')}",
        "years": calendar_years(request.user),
        "hosts_now": hosts_in_years([today.year, today.year + 1]),
        **feed_sources(),
        "nav": "calendar",
    })


@public_page
@require_safe
def year_view(request: HttpRequest, year: int) -> HttpResponse:
    if not FIRST_YEAR <= year <= timezone.localdate().year + YEARS_AHEAD:
        raise Http404("Kalendern sträcker sig inte till det året.")
    years = calendar_years(request.user)
    events = events_visible_to(request.user)
    event_filter = EventFilter(request.GET, queryset=events)
    # An unknown choice (an old link) shows the whole year rather than an error.
    chosen = event_filter.form.cleaned_data if event_filter.is_valid() else {}
    if chosen:
        events = event_filter.qs
    context = {
        **year_calendar(year, events),
        "filter": event_filter,
        "filtered": any(chosen.values()),
        "filtered_source": chosen.get("organ") or chosen.get("serie"),
        "years": years,
        # The nearest years that have events: the plans skip years (2010, 2012, 2017, 2019).
        "previous_year": max((y for y in years if y < year), default=None),
        "next_year": min((y for y in years if y > year), default=None),
        # Warnings are for those who can act on them: None hides the section.
        "warnings": calendar_warnings(year=year) if request.user.has_perm("calendar_app.change_event") else None,
        "nav": "calendar",
    }
    return render(request, "calendar_app/year.html", context)


@public_page
@require_safe
def rotation(request: HttpRequest) -> HttpResponse:
    return render(request, "calendar_app/rotation.html", {
        "series_years": host_years(),
        "this_year": timezone.localdate().year,
        "nav": "calendar",
    })


def _get_event(request: HttpRequest, uid) -> Event:
    """The event with this UID (with body, series, place, plan and hosts), unless it is
    preliminary and the user may not see drafts (404)."""
    return get_object_or_404(events_visible_to(request.user).select_related("plan"), uid=uid)


@public_page
@require_safe
def event_detail(request: HttpRequest, uid) -> HttpResponse:
    event = _get_event(request, uid)
    plan = event.plan if event.plan_id else None
    plan_visible = plan is not None and plan.is_visible_to(request.user)
    return render(request, "calendar_app/event_detail.html", {
        "event": event,
        "plan": plan if plan_visible else None,
        "nav": "calendar",
    })


@public_page
@require_safe
def event_ics(request: HttpRequest, uid) -> HttpResponse:
    """"Lägg till i kalender": one event as a calendar file."""
    event = _get_event(request, uid)
    if event.preliminary or not event.is_precise:
        raise Http404("Händelsen har inget fastställt datum och kan inte läggas i en kalender.")
    if event.is_no_meeting:
        raise Http404("Inget möte hålls; det finns inget att lägga i en kalender.")
    event = feed_events().get(pk=event.pk)
    content = ics.build_calendar(
        [event], name=event.display_title, uid=f"handelse-{event.uid}@sodertorn", request=request
    )
    return ics.ics_response(content, filename=f"{event.start_date:%Y-%m-%d}-{event.uid}.ics", attachment=True)


def _feed_title(body: Body | None, series: EventSeries | None) -> tuple[str, str]:
    """The name and description a calendar application shows for a feed."""
    if body:
        return f"Södertörnssamverkan – {body.short_name}", f"Möten och konferenser för {body.name}."
    if series:
        hosts = " och dess värdkommuner" if series.hosts_per_year else ""
        return f"Södertörnssamverkan – {series.name}", f"Datum för {series.name}{hosts}."
    return "Södertörnssamverkan", "Samarbetskommitténs och ledningsgruppens möten och de återkommande konferenserna."


@public_page
@require_safe
def feed(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """/kalender.ics with everything, or /kalender/<slug>.ics for one body or series."""
    body = series = None
    if slug is not None:
        body = Body.objects.filter(slug=slug).first()
        if body is None:
            series = get_object_or_404(EventSeries, slug=slug)
    name, description = _feed_title(body, series)
    content = ics.build_calendar(
        feed_events(body=body, series=series), name=name, uid=f"kalender-{slug or 'alla'}@sodertorn",
        request=request, description=description,
    )
    return ics.ics_response(content, filename=f"{slug or 'kalender'}.ics")
