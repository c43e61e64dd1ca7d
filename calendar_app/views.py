from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .selectors import events_with_details


def upcoming(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    events = events_with_details().filter(sort_key__gte=today).order_by("sort_key", "start_time")
    return render(request, "calendar_app/upcoming.html", {"events": events, "today": today, "nav": "calendar"})
