from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from sodertorn.admin import LockedAdminMixin
from sodertorn.locking import VersionedAdminMixin, VersionedForm

from .forms import MeetingRowFormSet, PatternCopyForm, QuickEntryForm
from .guards import event_change_error
from .models import Event, EventSeries, HostRotation, validate_hosts
from .selectors import calendar_warnings
from .services import MeetingRow, calendar_meetings_create, calendar_pattern_copy, events_confirm


class HostsFormMixin:
    """Many-to-many hosts are only known to the form, so they are checked here."""

    def clean(self):
        cleaned = super().clean()
        if "hosts" in cleaned:
            try:
                validate_hosts(cleaned.get("series"), cleaned["hosts"], cleaned.get("kind"))
            except forms.ValidationError as exc:
                self.add_error("hosts", exc)
        return cleaned


class EventForm(HostsFormMixin, VersionedForm):
    class Meta:
        model = Event
        fields = "__all__"

    def _post_clean(self):
        super()._post_clean()
        # E.g. a kallat meeting's date and body belong to the meeting (a guard the
        # meetings app registers): the same rule the model layer enforces on save,
        # shown here as a form error instead of a 500.
        if not self.errors and (error := event_change_error(self.instance)):
            self.add_error(None, error)


class HostRotationForm(HostsFormMixin, VersionedForm):
    class Meta:
        model = HostRotation
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        # The hosts are many-to-many, which the model's lock check in full_clean()
        # does not see: a rotation a decided plan shows (e.g. in the series' inline)
        # gets the lock's message here instead of a server error when it is saved.
        if self.instance.pk and "hosts" in self.changed_data:
            hit = self.instance._saved_lock_hit()
            if hit:
                self.add_error("hosts", hit.error())
        return cleaned


class HostRotationFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # Deleted rows are not validated by their forms: a rotation a decided plan
        # shows is refused here, with the lock's message, instead of at the delete.
        for form in self.deleted_forms:
            hit = form.instance._saved_lock_hit() if form.instance.pk else None
            if hit:
                raise forms.ValidationError(hit.error().messages, code="locked")


class HostRotationInline(admin.TabularInline):
    model = HostRotation
    form = HostRotationForm
    formset = HostRotationFormSet
    extra = 0
    autocomplete_fields = ["hosts"]


Event.place_display.fget.short_description = "plats"  # the list's column name


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "hosts_per_year", "every_other_year", "body"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [HostRotationInline]


@admin.register(Event)
class EventAdmin(LockedAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    form = EventForm
    change_list_template = "calendar_app/admin/event_change_list.html"
    list_display = ["__str__", "kind", "body", "series", "start_time", "end_time", "place_display", "year", "preliminary"]
    list_filter = ["year", "kind", "body", "series", "date_precision", "preliminary"]
    list_select_related = ["body", "series", "place"]
    search_fields = ["title", "note", "venue", "place__name"]
    autocomplete_fields = ["body", "series", "plan", "place", "hosts"]
    date_hierarchy = "sort_key"
    actions = ["confirm_events"]
    fieldsets = [
        (None, {"fields": [("kind", "body", "series"), ("title", "plan"), "preliminary"]}),
        ("När", {"fields": [("year", "date_precision"), ("start_date", "end_date"), ("month", "season", "date_text"),
                            ("start_time", "end_time", "all_day")]}),
        ("Var", {"fields": [("place", "venue"), "hosts"]}),
        (None, {"fields": ["note", "source", "loaded_version"]}),
    ]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("snabbinmatning/", view(self.quick_entry_view), name="calendar_app_event_quick_entry"),
            path("kopiera-monster/", view(self.pattern_copy_view), name="calendar_app_event_pattern_copy"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        """The list, with the warnings of the filtered year (or of this year and the
        next, when they have events) above it."""
        year = request.GET.get("year__exact") or request.GET.get("sort_key__year")
        if year and year.isdigit():
            years = [int(year)]
        else:
            this = timezone.localdate().year
            years = sorted(set(Event.objects.filter(year__in=[this, this + 1]).values_list("year", flat=True)))
        warnings = [{"year": y, "messages": calendar_warnings(year=y)} for y in years]
        extra_context = {**(extra_context or {}), "calendar_warnings": [w for w in warnings if w["messages"]]}
        return super().changelist_view(request, extra_context=extra_context)

    @admin.action(description="Markera som fastställda (inte längre preliminära)", permissions=["change"])
    def confirm_events(self, request, queryset):
        changed = events_confirm(events=queryset)
        self.message_user(request, f"{changed} händelse{'r' if changed != 1 else ''} markerades som fastställda.", messages.SUCCESS)

    def _changelist_url(self, **params) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return reverse("admin:calendar_app_event_changelist") + (f"?{query}" if query else "")

    def quick_entry_view(self, request):
        """A year's meetings on one page: a row per meeting."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        header = QuickEntryForm(request.POST or None, prefix="alla")
        formset = MeetingRowFormSet(request.POST or None, prefix="rad")
        errors = []
        if request.method == "POST" and header.is_valid() and formset.is_valid():
            rows = [MeetingRow(**form.cleaned_data) for form in formset if form.has_changed() and form.cleaned_data]
            if not rows:
                errors = ["Fyll i minst en rad."]
            else:
                try:
                    events = calendar_meetings_create(
                        rows=rows, plan=header.cleaned_data["plan"], preliminary=header.cleaned_data["preliminary"]
                    )
                except ValidationError as exc:
                    errors = exc.messages
                else:
                    years = sorted({e.year for e in events})
                    self.message_user(request, f"{len(events)} möte{'n' if len(events) != 1 else ''} lades in.", messages.SUCCESS)
                    return redirect(self._changelist_url(year__exact=years[0]) if len(years) == 1 else self._changelist_url())
        context = {
            **self.admin_site.each_context(request),
            "title": "Snabbinmatning av möten",
            "opts": self.model._meta,
            "header": header,
            "formset": formset,
            "errors": errors,
        }
        return TemplateResponse(request, "calendar_app/admin/quick_entry.html", context)

    def pattern_copy_view(self, request):
        """"Kopiera årets mötesmönster till nästa år"."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PatternCopyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            year = form.cleaned_data["year"]
            try:
                result = calendar_pattern_copy(year=year, bodies=list(form.cleaned_data["bodies"]))
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                text = (
                    f"{len(result.created)} händelser kopierades till {year + 1} som preliminära, samma veckodag "
                    f"i samma vecka. Justera datum (helgdagar!) och platser och markera dem sedan som fastställda."
                )
                if result.present:
                    text += (f" {len(result.present)} möten fanns redan {year + 1} (samma organ och månad) "
                             "och kopierades inte.")
                if result.skipped:
                    text += f" {len(result.skipped)} händelser utan exakt datum kopierades inte."
                self.message_user(request, text, messages.SUCCESS)
                return redirect(self._changelist_url(year__exact=year + 1, preliminary__exact=1))
        context = {
            **self.admin_site.each_context(request),
            "title": "Kopiera årets mötesmönster till nästa år",
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "calendar_app/admin/pattern_copy.html", context)


@admin.register(HostRotation)
class HostRotationAdmin(LockedAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
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
