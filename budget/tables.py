"""The fee table: the page and its CSV/XLSX exports read the same FeeSchedule rows."""
import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import format_html

from sodertorn.templatetags.sodertorn import number

from plans.tables import LABELLED, LABELLED_NUM as NUM

from .schedules import FeeSchedule

MISSING_POPULATION = "saknas"
NO_FEE = "ej beräknad"


class FeeTable(tables.Table):
    municipality = tables.Column("Kommun", accessor="municipality__name", footer="Summa")
    code = tables.Column("Kommunkod", accessor="municipality__code")
    date = tables.Column("Folkmängd per", empty_values=(), visible=False)
    inhabitants = tables.Column(
        "Folkmängd", attrs=NUM, default=MISSING_POPULATION,
        footer=lambda table: number(table.schedule.total_population),
    )
    source = tables.Column("Källa", accessor="population__source_text", visible=False, default="")
    share = tables.Column(
        "Andel, %", accessor="share_percent", attrs=NUM, default="–",
        footer=lambda table: number_format(100, 2) if table.schedule.total_population else "",
    )
    fee = tables.Column(
        "Avgift, kr", attrs=NUM, default=NO_FEE,
        footer=lambda table: number(table.schedule.fee_total) if table.schedule.fee_total is not None else NO_FEE,
    )
    document = tables.Column(
        "Beslutsunderlag", empty_values=(), exclude_from_export=True, orderable=False
    )

    class Meta:
        orderable = False
        attrs = {"class": "fee-table stack", **LABELLED}
        empty_text = "Det finns inga medlemskommuner."

    def __init__(self, data, *, schedule: FeeSchedule, **kwargs):
        self.schedule = schedule
        super().__init__(data, **kwargs)
        date = date_format(schedule.reference_date, "j F Y")
        self.columns["inhabitants"].column.verbose_name = f"Folkmängd {date}"

    # -- page ---------------------------------------------------------------

    def render_inhabitants(self, value):
        return number(value)

    def render_share(self, value):
        return number_format(value, 2)

    def render_fee(self, value):
        return number(value)

    def render_document(self, record):
        if record.fee is None:
            return "–"
        url = reverse("budget:fee_pdf", args=[self.schedule.budget.year, record.municipality.slug])
        return format_html(
            '<a href="{}">PDF<span class="visually-hidden"> för {}</span></a>', url, record.municipality.name
        )

    # -- exports: plain values that a spreadsheet reads as numbers ------------

    def value_date(self):
        return self.schedule.reference_date.isoformat()

    def value_inhabitants(self, record):
        return record.inhabitants if record.inhabitants is not None else ""

    def value_share(self, record):
        return record.share_percent if record.share_percent is not None else ""

    def value_fee(self, record):
        return record.fee if record.fee is not None else ""

