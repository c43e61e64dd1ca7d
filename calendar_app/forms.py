"""Forms of the admin's calendar tools: quick entry of meetings and copying a year's
meeting pattern."""
from django import forms
from django.utils import timezone

from plans.models import Body, Municipality, WorkPlan
from sodertorn.db import swedish

from .models import Event


class QuickEntryForm(forms.Form):
    """What applies to every row of a quick entry."""

    plan = forms.ModelChoiceField(
        WorkPlan.objects.order_by("-year"), required=False, label="Verksamhetsplan",
        help_text="Mötena tas upp i planens kalendarium. Lämna tomt för möten utanför en plan.",
    )
    preliminary = forms.BooleanField(
        required=False, label="Preliminära",
        help_text="Preliminära möten visas inte för allmänheten och finns inte i kalenderfilerna.",
    )


class MeetingRowForm(forms.Form):
    """One meeting: a row of the quick entry."""

    date = forms.DateField(label="Datum", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    body = forms.ModelChoiceField(Body.objects.order_by("position", "name"), label="Organ")
    start_time = forms.TimeField(
        label="Starttid", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Tom: organets vanliga tid.",
    )
    end_time = forms.TimeField(
        label="Sluttid", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = forms.ModelChoiceField(Municipality.objects.none(), label="Plats (kommun)", required=False)
    venue = forms.CharField(label="Lokal", max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Municipality.objects.order_by(swedish("name"))


MeetingRowFormSet = forms.formset_factory(MeetingRowForm, extra=12, max_num=60)


def _default_copy_year() -> int:
    """The latest year, up to this one, that has meetings to copy."""
    years = Event.objects.filter(body__isnull=False, year__lte=timezone.localdate().year).values_list("year", flat=True)
    return max(years, default=timezone.localdate().year)


class PatternCopyForm(forms.Form):
    year = forms.IntegerField(
        label="Kopiera från år", min_value=2000, max_value=2100,
        help_text="Mötena läggs in året efter, samma veckodag i samma vecka.",
    )
    bodies = forms.ModelMultipleChoiceField(
        Body.objects.filter(meeting_weekday__isnull=False).order_by("position", "name"),
        label="Organ", required=True, widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("year", _default_copy_year())
            self.initial.setdefault("bodies", list(self.fields["bodies"].queryset))
