import django_filters

from plans.models import Body

from .models import Event, EventSeries


class EventFilter(django_filters.FilterSet):
    """The year page's filter: one body or one series, by slug (?organ=ledningsgruppen)."""

    organ = django_filters.ModelChoiceFilter(
        field_name="body",
        to_field_name="slug",
        queryset=Body.objects.filter(events__isnull=False).distinct().order_by("position", "name"),
        label="Organ",
        empty_label="Alla organ",
    )
    serie = django_filters.ModelChoiceFilter(
        field_name="series",
        to_field_name="slug",
        queryset=EventSeries.objects.order_by("position", "name"),
        label="Konferens",
        empty_label="Alla konferenser",
    )

    class Meta:
        model = Event
        fields = []
