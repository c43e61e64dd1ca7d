from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from sodertorn.admin import LockedAdminMixin, ReadOnlyRecordAdmin
from sodertorn.locking import VersionedAdminMixin, VersionedForm

from .models import (
    Activity,
    Body,
    Chairmanship,
    Chapter,
    CollaborationArea,
    CollaborationTopic,
    Document,
    Goal,
    GoalLevel,
    Membership,
    MunicipalDecision,
    Municipality,
    Network,
    NetworkMember,
    Person,
    PlanArchive,
    PlanCheckConfirmation,
    PlanReopening,
    Programme,
    SourceDocument,
    WorkPlan,
)
from .programme_change import ProgrammeChangeGuard
from .selectors import plan_changes_since


# Swedish column names for the computed properties the lists show.
for _property, _label in ((WorkPlan.display_title, "titel"), (Activity.objective_display, "mål"),
                          (Activity.when, "när")):
    _property.fget.short_description = _label

HTTPS_URL_MESSAGE = "Ange en giltig https-länk, som börjar med https:// (http-länkar tas inte emot)."


class HttpsUrlMessages:
    """URL fields say that https is required, also when the address is malformed."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.URLField) and field is not None:
            field.error_messages["invalid"] = HTTPS_URL_MESSAGE
            field.help_text = field.help_text or "Måste börja med https://."
        return field


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "filename"]
    search_fields = ["code", "title"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_member"]
    list_filter = ["is_member"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "title"]
    list_filter = ["municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name", "title", "municipality__name"]
    autocomplete_fields = ["municipality"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "municipality"]


class ChairmanshipInline(LockedAdminMixin, admin.TabularInline):
    model = Chairmanship
    form = VersionedForm
    fields = ["year", "role", "person", "source", "loaded_version"]
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Body)
class BodyAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["short_name", "name", "kind", "min_meetings_per_year", "meeting_weekday"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [MembershipInline, ChairmanshipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "body", "municipality", "role_title", "start_year", "end_year"]
    list_filter = ["body", "municipality", "start_year"]
    list_select_related = ["person", "body", "municipality"]
    search_fields = ["person__name", "role_title"]
    autocomplete_fields = ["person", "municipality"]


class ChairmanshipForm(VersionedForm):
    class Meta:
        model = Chairmanship
        fields = "__all__"

    def _post_clean(self):
        super()._post_clean()
        year = self.cleaned_data.get("year")
        plan = WorkPlan.objects.filter(year=year).first() if year else None
        if plan is not None and self.has_error("person"):
            self.add_error("person", format_html(
                '<a href="{}">Ange årets ordförande från planen för {}</a>: där läggs personen till som ledamot samtidigt.',
                reverse("admin:plans_workplan_chairs", args=[plan.pk]), plan.year))


@admin.register(Chairmanship)
class ChairmanshipAdmin(LockedAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
    form = ChairmanshipForm
    list_display = ["year", "body", "role", "person"]
    list_filter = ["body", "role", "year"]
    list_select_related = ["body", "person"]
    search_fields = ["person__name"]
    autocomplete_fields = ["person"]


class GoalLevelInline(admin.TabularInline):
    model = GoalLevel
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "valid_from", "valid_to"]
    search_fields = ["name", "short_name", "vision"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [GoalLevelInline]


@admin.register(Goal)
class GoalAdmin(LockedAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
    form = VersionedForm
    list_display = ["title", "programme", "level", "parent", "set_in_plan"]
    list_filter = ["programme", "level__depth"]
    list_select_related = ["programme", "level", "parent", "set_in_plan"]
    search_fields = ["title", "description", "programme__short_name", "programme__name"]
    autocomplete_fields = ["parent", "set_in_plan"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("programme", "level", "parent__programme")

    def get_search_results(self, request, queryset, search_term):
        """The goal autocomplete of a plan's activities and topics offers only the
        plan's programme (the plan is read from the page the widget is on)."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = getattr(request, "resolver_match", None)
        if match and match.url_name == "autocomplete" and request.GET.get("field_name") == "goal":
            from .admin_views import programme_of_admin_page

            programme = programme_of_admin_page(request.headers.get("referer", ""))
            if programme is not None:
                queryset = queryset.filter(programme=programme)
        return queryset, may_have_duplicates


class NetworkMemberInline(admin.TabularInline):
    model = NetworkMember
    extra = 0
    autocomplete_fields = ["municipality", "person"]


class GoalsWithProgramme:
    """Goal.__str__ reads the programme: select it with the goals a form shows."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Goal:
            kwargs["queryset"] = Goal.objects.select_related("programme")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Goal:
            kwargs["queryset"] = Goal.objects.select_related("programme")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Network)
class NetworkAdmin(GoalsWithProgramme, admin.ModelAdmin):
    list_display = ["name", "kind", "reports_to"]
    list_filter = ["kind", "reports_to"]
    list_select_related = ["reports_to"]
    search_fields = ["name", "purpose"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["goals"]
    inlines = [NetworkMemberInline]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "municipality", "reference"]
    list_filter = ["kind", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["title", "body", "reference"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["municipality", "responds_to"]


class ChapterInline(LockedAdminMixin, admin.StackedInline):
    model = Chapter
    form = VersionedForm
    extra = 0
    fields = [("position", "number", "title", "kind"), "body", "document", "loaded_version"]
    autocomplete_fields = ["document"]
    classes = ["collapse"]


class ActivityInline(LockedAdminMixin, admin.StackedInline):
    model = Activity
    form = VersionedForm
    extra = 0
    fields = [
        ("position", "title"),
        ("goal", "topic", "objective"),
        ("responsible_municipalities", "responsible_networks", "responsible_people", "responsible_text"),
        ("date_precision", "start_date", "end_date", "month", "season", "date_text"),
        ("cost", "comment"),
        ("follow_up_status", "actual_cost", "outcome"),
        "loaded_version",
    ]
    autocomplete_fields = ["goal", "topic", "responsible_municipalities", "responsible_networks", "responsible_people"]
    classes = ["collapse"]


class CollaborationAreaInline(LockedAdminMixin, admin.StackedInline):
    model = CollaborationArea
    form = VersionedForm
    extra = 0
    fields = [("position", "title"), ("purpose", "governing_document"), "body", "loaded_version"]
    show_change_link = True


class PlanArchiveInline(admin.TabularInline):
    model = PlanArchive
    extra = 0
    fields = ["created_at", "decided_on", "sha256", "weasyprint_version", "pdf_variant"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PlanReopeningInline(admin.TabularInline):
    model = PlanReopening
    extra = 0
    fields = ["reopened_at", "reopened_by", "previous_decision", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class WorkPlanForm(ProgrammeChangeGuard, VersionedForm):
    """The plan's version check (sodertorn/locking.py), whose message also lists what
    others saved in the plan's chapters and activities meanwhile."""

    stale_what = "planen"

    class Meta:
        model = WorkPlan
        fields = "__all__"

    def stale_changes(self, loaded: int) -> list[str]:
        return plan_changes_since(self.instance, loaded)


class PlanCheckConfirmationInline(admin.TabularInline):
    model = PlanCheckConfirmation
    extra = 0
    fields = ["step", "confirmed_at", "confirmed_by", "warnings_text"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "Bekräftade varningar vid kontrollen före beslut"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="varningar")
    def warnings_text(self, obj):
        return obj.warnings_text


class MunicipalDecisionInline(HttpsUrlMessages, admin.StackedInline):
    """Stays editable after the committee's decision: that is when the
    municipalities decide. Stacked, three short rows per municipality, so that
    the eight fit a 1280 px screen."""

    model = MunicipalDecision
    form = VersionedForm
    extra = 0
    fields = [("municipality", "status", "sent_on"), ("decided_on", "assembly", "decision_paragraph", "reference"),
              ("protocol", "protocol_url"), "loaded_version"]
    autocomplete_fields = ["municipality"]
    can_delete = False


@admin.register(Chapter)
class ChapterAdmin(LockedAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    form = VersionedForm
    list_display = ["__str__", "plan", "kind", "position"]
    list_filter = ["plan", "kind"]
    list_select_related = ["plan"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["plan", "document"]


class CollaborationTopicInline(GoalsWithProgramme, LockedAdminMixin, admin.StackedInline):
    model = CollaborationTopic
    form = VersionedForm
    extra = 0
    fields = [("position", "title", "goal"), "body", "networks", "loaded_version"]
    autocomplete_fields = ["goal", "networks"]


@admin.register(CollaborationArea)
class CollaborationAreaAdmin(LockedAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
    form = VersionedForm
    list_display = ["title", "plan", "position"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["plan"]
    inlines = [CollaborationTopicInline]


@admin.register(CollaborationTopic)
class CollaborationTopicAdmin(GoalsWithProgramme, LockedAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
    form = VersionedForm
    list_display = ["title", "area", "goal"]
    list_filter = ["area__plan"]
    list_select_related = ["area__plan", "goal__programme"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["area", "goal", "networks"]


@admin.register(Activity)
class ActivityAdmin(GoalsWithProgramme, LockedAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    form = VersionedForm
    list_display = ["title", "plan", "objective_display", "when", "cost", "follow_up_status"]
    list_filter = ["plan", "follow_up_status", "responsible_municipalities", "responsible_networks"]
    list_select_related = ["plan", "goal", "topic"]
    search_fields = ["title", "objective", "comment", "goal__title"]
    autocomplete_fields = ["plan", "goal", "topic", "responsible_municipalities", "responsible_networks", "responsible_people"]


@admin.register(GoalLevel)
class GoalLevelAdmin(admin.ModelAdmin):
    list_display = ["programme", "depth", "name", "name_plural"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["name"]


@admin.register(NetworkMember)
class NetworkMemberAdmin(admin.ModelAdmin):
    list_display = ["network", "municipality", "person"]
    list_filter = ["network", "municipality"]
    list_select_related = ["network", "municipality", "person"]
    search_fields = ["network__name", "person__name"]
    autocomplete_fields = ["network", "municipality", "person"]


@admin.register(PlanArchive)
class PlanArchiveAdmin(ReadOnlyRecordAdmin):
    list_display = ["plan", "decided_on", "created_at", "sha256", "weasyprint_version", "pdf_variant"]
    list_select_related = ["plan"]
    exclude = ["pdf"]
    search_fields = ["sha256", "plan__year"]


@admin.register(PlanReopening)
class PlanReopeningAdmin(ReadOnlyRecordAdmin):
    list_display = ["plan", "reopened_at", "reopened_by", "previous_decision"]
    list_select_related = ["plan", "reopened_by"]
    search_fields = ["reason", "plan__year"]


@admin.register(MunicipalDecision)
class MunicipalDecisionAdmin(HttpsUrlMessages, VersionedAdminMixin, SimpleHistoryAdmin):
    form = VersionedForm
    list_display = ["municipality", "plan", "status", "sent_on", "decided_on", "assembly", "decision_paragraph", "reference"]
    list_editable = ["status", "sent_on", "decided_on", "assembly", "decision_paragraph", "reference"]
    list_filter = ["plan", "status", "municipality"]
    list_select_related = ["municipality", "plan"]
    search_fields = ["municipality__name", "reference", "decision_paragraph"]
    autocomplete_fields = ["plan", "municipality"]


@admin.register(PlanCheckConfirmation)
class PlanCheckConfirmationAdmin(ReadOnlyRecordAdmin):
    list_display = ["plan", "step", "confirmed_at", "confirmed_by", "warnings_text"]
    list_filter = ["step", "plan"]
    list_select_related = ["plan", "confirmed_by"]

    @admin.display(description="varningar")
    def warnings_text(self, obj):
        return obj.warnings_text
