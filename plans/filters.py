import django_filters

from plans.models import Activity, Goal, Municipality, Network
from sodertorn.db import swedish


class ActivityFilter(django_filters.FilterSet):
    goal = django_filters.ModelChoiceFilter(
        label="Mål", queryset=Goal.objects.none(), method="filter_goal", empty_label="Alla mål"
    )
    municipality = django_filters.ModelChoiceFilter(
        label="Kommun", field_name="responsible_municipalities",
        queryset=Municipality.objects.members().order_by(swedish("name")), empty_label="Alla kommuner",
    )
    network = django_filters.ModelChoiceFilter(
        label="Nätverk", field_name="responsible_networks",
        queryset=Network.objects.order_by(swedish("name")), empty_label="Alla nätverk",
    )

    class Meta:
        model = Activity
        fields = ["goal", "municipality", "network"]

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.filters["goal"].queryset = Goal.objects.filter(programme=plan.programme).select_related("programme", "level")

    def filter_goal(self, queryset, name, goal):
        """A goal matches its own activities and those of the goals under it."""
        ids, frontier = {goal.pk}, {goal.pk}
        children = {}
        for pk, parent in Goal.objects.filter(programme_id=goal.programme_id).values_list("pk", "parent_id"):
            children.setdefault(parent, []).append(pk)
        while frontier:
            frontier = {c for p in frontier for c in children.get(p, [])} - ids
            ids |= frontier
        return queryset.filter(goal_id__in=ids)
