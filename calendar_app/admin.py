from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Event, EventSeries, HostRotation, validate_hosts


class HostsFormMixin:
    """Many-to-many hosts are only known to the form, so they are checked here."""

    def clean(self):
        cleaned = super().clean()
        if "hosts" in cleaned:
            try:
                validate_hosts(cleaned.get("series"), cleaned["hosts"])
            except forms.ValidationError as exc:
                self.add_error("hosts", exc)
        return cleaned


class EventForm(HostsFormMixin, forms.ModelForm):
    class Meta:
        model = Event
        fields = "__all__"


class HostRotationForm(HostsFormMixin, forms.ModelForm):
    class Meta:
        model = HostRotation
        fields = "__all__"


class HostRotationInline(admin.TabularInline):
    model = HostRotation
    form = HostRotationForm
    extra = 0
    autocomplete_fields = ["hosts"]


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "hosts_per_year", "every_other_year", "body"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [HostRotationInline]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    form = EventForm
    list_display = ["__str__", "kind", "body", "series", "start_time", "end_time", "place_display", "year"]
    list_filter = ["year", "kind", "body", "series", "date_precision"]
    list_select_related = ["body", "series", "place"]
    search_fields = ["title", "note", "venue", "place__name"]
    autocomplete_fields = ["body", "series", "plan", "place", "hosts"]
    date_hierarchy = "sort_key"
    fieldsets = [
        (None, {"fields": [("kind", "body", "series"), ("title", "plan")]}),
        ("När", {"fields": [("year", "date_precision"), ("start_date", "end_date"), ("month", "season", "date_text"),
                            ("start_time", "end_time", "all_day")]}),
        ("Var", {"fields": [("place", "venue"), "hosts"]}),
        (None, {"fields": ["note", "source"]}),
    ]


@admin.register(HostRotation)
class HostRotationAdmin(admin.ModelAdmin):
    form = HostRotationForm
    list_display = ["series", "year", "hosts_list", "note"]
    list_filter = ["series"]
    list_select_related = ["series"]
    search_fields = ["series__name", "hosts__name"]
    autocomplete_fields = ["hosts"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("hosts")

    @admin.display(description="värdkommuner")
    def hosts_list(self, obj):
        return " och ".join(m.name for m in obj.hosts.all())
