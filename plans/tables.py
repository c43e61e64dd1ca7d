import django_tables2 as tables

from .models import Activity


def column_label(bound_column):
    """The column's header on each cell, for the stacked rows of narrow screens (site.css)."""
    return str(bound_column.header)


LABELLED = {"td": {"data-label": column_label}}
LABELLED_NUM = {"td": {"class": "num", "data-label": column_label}, "th": {"class": "num"}, "tf": {"class": "num"}}


class ActivityTable(tables.Table):
    # Only in the CSV/XLSX export: the row's number and its follow-up, so the
    # secretariat can fill in the file and import it back (import_follow_up).
    number = tables.Column("Nr", accessor="pk", visible=False)
    objective = tables.Column("Mål", accessor="objective_display", order_by=("goal__title", "objective", "topic__title"))
    title = tables.Column("Aktivitet")
    responsible = tables.Column("Ansvarig", accessor="responsible_display", empty_values=(), orderable=False)
    when = tables.Column("När", empty_values=(), order_by=("date_precision", "start_date", "month"))
    cost = tables.Column("Kostnad", attrs=LABELLED_NUM, empty_values=())
    comment = tables.Column("Kommentar")
    follow_up = tables.Column("Uppföljning", accessor="get_follow_up_status_display", visible=False)
    outcome = tables.Column("Resultat", visible=False)
    actual_cost = tables.Column("Utfall (kr)", visible=False)

    class Meta:
        model = Activity
        fields = ["number", "objective", "title", "responsible", "when", "cost", "comment",
                  "follow_up", "outcome", "actual_cost"]
        attrs = {"class": "action-plan stack", **LABELLED}
        empty_text = "Inga aktiviteter matchar filtret."

    def render_when(self, record):
        return record.when

    def value_when(self, record):
        return record.when

    def render_cost(self, record):
        return record.cost_display

    def value_cost(self, value):
        return value


class MunicipalDecisionTable(tables.Table):
    municipality = tables.Column("Kommun", accessor="municipality__name", order_by=("municipality__name",))
    status = tables.Column("Status", accessor="get_status_display", order_by=("status",))
    sent_on = tables.DateColumn(format="Y-m-d", verbose_name="Skickad")
    decided_on = tables.DateColumn(format="Y-m-d", verbose_name="Beslutad")
    assembly = tables.Column("Organ", accessor="get_assembly_display", order_by=("assembly",))
    decision_paragraph = tables.Column("Paragraf")
    reference = tables.Column("Diarienummer")
    protocol = tables.Column("Protokoll", empty_values=(), orderable=False, exclude_from_export=False)

    class Meta:
        attrs = {"class": "decisions stack", **LABELLED}
        orderable = False
        empty_text = "Inga kommuner."

    def render_protocol(self, record):
        from django.urls import reverse
        from django.utils.html import format_html

        if record.protocol and record.pk:
            url = reverse("plans:decision_protocol", args=[record.plan.year, record.municipality.slug])
            return format_html('<a href="{}">Protokollsutdrag (PDF)</a>', url)
        if record.protocol_url:
            return format_html('<a href="{}">Protokoll</a>', record.protocol_url)
        return "–"

    def value_protocol(self, record):
        return record.protocol_url or ("uppladdat" if record.protocol else "")
