"""A link from a calendar event to its sammanträde, for those who may read it."""
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def meeting_for(context, event):
    """The event's meeting if the current user may see it, else None (one query)."""
    from meetings.models import Meeting

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not event.pk:
        return None
    meeting = Meeting.objects.filter(event=event).select_related("event__body").first()
    if meeting is None:
        return None
    return meeting if meeting.is_visible_to(user) else None


@register.simple_tag
def year_decisions(year):
    """The year's public decisions and their uppdrag (annual report)."""
    from meetings.selectors import year_decisions as select

    return select(year)
