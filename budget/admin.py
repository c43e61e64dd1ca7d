from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Budget, BudgetLine, Population, SpecialProject


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["municipality", "date", "inhabitants", "source_text"]
    list_filter = ["date", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["municipality__name", "source_text"]
    autocomplete_fields = ["municipality"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["kind", "position", "label", "amount", "approximate", "is_member_fees", "note"]


@admin.register(Budget)
class BudgetAdmin(SimpleHistoryAdmin):
    list_display = ["year", "plan", "fee_rule", "fee_per_inhabitant", "reference_date"]
    list_filter = ["fee_rule"]
    list_select_related = ["plan"]
    search_fields = ["year", "fee_decision"]
    autocomplete_fields = ["plan"]
    fieldsets = [
        (None, {"fields": [("year", "plan"), "source"]}),
        ("Avgifter", {"fields": [("fee_rule", "fee_per_inhabitant"), "population_date",
                                 ("base_total", "base_population_date"), ("fee_decision", "fee_decision_date")]}),
        (None, {"fields": ["note"]}),
    ]
    inlines = [BudgetLineInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["label", "budget", "kind", "amount", "approximate"]
    list_filter = ["budget", "kind"]
    list_select_related = ["budget"]
    search_fields = ["label"]


@admin.register(SpecialProject)
class SpecialProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "amount", "reference_date"]
    list_filter = ["year"]
    search_fields = ["name", "description"]
