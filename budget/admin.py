from django.contrib import admin, messages
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from sodertorn.admin import LockedAdminMixin, ReadOnlyRecordAdmin
from sodertorn.locking import VersionedAdminMixin, VersionedForm
from sodertorn.templatetags.sodertorn import kr, number

from .models import Budget, BudgetLine, FeeArchive, FeeArchiveRow, Population, SpecialProject
from .schedules import fee_line_difference_text, fees_for_budget
from .services import budget_member_fees_sync, split_by_population
from .templatetags.budget_tags import percent


# The lists' column name for the date the population figures are taken from.
Budget.reference_date.fget.short_description = "folkmängd per datum"
SpecialProject.reference_date.fget.short_description = "folkmängd per datum"


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["municipality", "date", "inhabitants", "source_text"]
    list_filter = ["date", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["municipality__name", "source_text"]
    autocomplete_fields = ["municipality"]


class BudgetLineInline(LockedAdminMixin, admin.TabularInline):
    model = BudgetLine
    form = VersionedForm
    extra = 0
    fields = ["kind", "position", "label", "amount", "approximate", "is_member_fees", "note", "actual_amount",
              "loaded_version"]


def _share_table(rows, missing, *, amount_header: str, reference_date) -> str:
    """Each member's population, share and amount as an HTML table for the admin,
    or the population figures that are missing (nothing is estimated)."""
    if missing:
        names = format_html_join(", ", "{} ({})", ((m.municipality.name, date_format(m.date, "j F Y")) for m in missing))
        return format_html(
            "<p><strong>Kan inte beräknas:</strong> folkmängd saknas för {}. "
            "Lägg in siffrorna under Folkmängd (eller med manage.py import_population).</p>",
            names,
        )
    if not rows:
        return "Det finns inga medlemskommuner."
    body = format_html_join(
        "", "<tr><th scope='row'>{}</th><td class='num'>{}</td><td class='num'>{}</td><td class='num'>{}</td></tr>",
        ((r.municipality.name, number(r.inhabitants), percent(r.share_percent), kr(r.fee))
         for r in rows),
    )
    total = sum(r.fee for r in rows)
    population = sum(r.inhabitants for r in rows)
    return format_html(
        "<table><caption>Folkmängd {}</caption><thead><tr><th scope='col'>Kommun</th>"
        "<th scope='col'>Folkmängd</th><th scope='col'>Andel</th><th scope='col'>{}</th></tr></thead>"
        "<tbody>{}</tbody><tfoot><tr><th scope='row'>Summa</th><td class='num'>{}</td><td class='num'>100 %</td>"
        "<td class='num'>{}</td></tr></tfoot></table>",
        date_format(reference_date, "j F Y"), amount_header, body, number(population), kr(total),
    )


@admin.register(Budget)
class BudgetAdmin(LockedAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    form = VersionedForm
    list_display = ["year", "plan", "fee_rule", "fee_per_inhabitant", "reference_date"]
    list_filter = ["fee_rule"]
    list_select_related = ["plan"]
    search_fields = ["year", "fee_decision"]
    autocomplete_fields = ["plan"]
    readonly_fields = ["fees"]
    locked_inlines_editable = True  # outcomes (utfall) are entered after the year
    fieldsets = [
        (None, {"fields": [("year", "plan"), "source", "loaded_version"]}),
        ("Avgifter", {"fields": [("fee_rule", "fee_per_inhabitant"), "population_date",
                                 ("base_total", "base_population_date"), ("fee_decision", "fee_decision_date"),
                                 "fees"]}),
        (None, {"fields": ["note"]}),
    ]
    inlines = [BudgetLineInline]

    def save_related(self, request, form, formsets, change):
        """After the lines are saved: the member-fee line follows the fee rule."""
        super().save_related(request, form, formsets, change)
        line = budget_member_fees_sync(budget=form.instance)
        if line is not None:
            self.message_user(request, f"Raden ”{line.label}” uppdaterades till {kr(line.amount)} enligt avgiftsregeln.",
                              level=messages.INFO)

    @admin.display(description="avgift per kommun")
    def fees(self, obj: Budget):
        if not obj.pk:
            return "Visas när budgeten är sparad."
        schedule = fees_for_budget(obj)
        link = format_html(
            '<p><a href="{}">Avgiftssidan med export och beslutsunderlag</a></p>',
            reverse("budget:fee_table", args=[obj.year]),
        )
        difference = fee_line_difference_text(schedule)
        if difference:
            link = format_html('<p class="errornote" role="alert">{}</p>{}', difference, link)
        if schedule.problems:
            return format_html("{}<p>{}</p>", link, " ".join(schedule.problems))
        return format_html("{}{}", link, _share_table(
            schedule.rows, schedule.missing, amount_header="Avgift", reference_date=schedule.reference_date,
        ))


@admin.register(BudgetLine)
class BudgetLineAdmin(LockedAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    form = VersionedForm
    list_display = ["label", "budget", "kind", "amount", "approximate"]
    list_filter = ["budget", "kind"]
    list_select_related = ["budget"]
    search_fields = ["label"]


@admin.register(SpecialProject)
class SpecialProjectAdmin(admin.ModelAdmin):
    """A joint project outside the budget (Samarbetsavtalet § 7): the change view
    shows each member's share of its cost, split by population."""

    list_display = ["name", "year", "amount", "reference_date"]
    list_filter = ["year"]
    search_fields = ["name", "description"]
    readonly_fields = ["municipality_shares"]
    fields = ["name", "year", "amount", "population_date", "description", "source", "municipality_shares"]

    @admin.display(description="fördelning per kommun (§ 7)")
    def municipality_shares(self, obj: SpecialProject):
        if not obj.pk:
            return "Spara projektet för att se varje kommuns andel."
        split = split_by_population(obj.amount, obj.reference_date)
        return _share_table(split.rows, split.missing, amount_header="Andel av kostnaden",
                            reference_date=split.reference_date)


class FeeArchiveRowInline(admin.TabularInline):
    model = FeeArchiveRow
    fields = ["municipality", "inhabitants", "source_text", "fee", "sha256"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FeeArchive)
class FeeArchiveAdmin(ReadOnlyRecordAdmin):
    """Fees frozen at a decision (budget.services.budget_fees_freeze); never edited."""

    list_display = ["budget", "decided_on", "reference_date", "created_at", "weasyprint_version"]
    list_select_related = ["budget"]
    inlines = [FeeArchiveRowInline]


@admin.register(FeeArchiveRow)
class FeeArchiveRowAdmin(ReadOnlyRecordAdmin):
    list_display = ["archive", "municipality", "inhabitants", "fee", "sha256"]
    list_select_related = ["archive__budget", "municipality"]
    exclude = ["pdf"]
