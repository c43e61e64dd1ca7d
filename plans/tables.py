import django_tables2 as tables

from .models import Activity


class ActivityTable(tables.Table):
    objective = tables.Column("Mål", accessor="objective_display", order_by=("goal__title", "objective", "topic__title"))
    title = tables.Column("Aktivitet")
    responsible = tables.Column("Ansvarig", empty_values=(), orderable=False)
    when = tables.Column("När", empty_values=(), order_by=("date_precision", "start_date", "month"))
    cost = tables.Column("Kostnad", attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    comment = tables.Column("Kommentar")

    class Meta:
        model = Activity
        fields = ["objective", "title", "responsible", "when", "cost", "comment"]
        attrs = {"class": "action-plan"}
        empty_text = "Inga aktiviteter matchar filtret."

    def render_responsible(self, record):
        return responsible_display(record)

    def value_responsible(self, record):
        return responsible_display(record)

    def render_when(self, record):
        return record.when

    def value_when(self, record):
        return record.when

    def render_cost(self, value):
        from sodertorn.templatetags.sodertorn import kr

        return kr(value)

    def value_cost(self, value):
        return value


def responsible_display(activity: Activity) -> str:
    """Municipalities, networks, people and free text, as the plan lists them."""
    parts = [m.name for m in activity.responsible_municipalities.all()]
    parts += [n.name for n in activity.responsible_networks.all()]
    parts += [p.name for p in activity.responsible_people.all()]
    if activity.responsible_text:
        parts.append(activity.responsible_text)
    return ", ".join(parts)
