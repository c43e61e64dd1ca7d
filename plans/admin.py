from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
    Municipality,
    Network,
    NetworkMember,
    Person,
    Programme,
    SourceDocument,
    WorkPlan,
)


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


class ChairmanshipInline(admin.TabularInline):
    model = Chairmanship
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
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


@admin.register(Chairmanship)
class ChairmanshipAdmin(admin.ModelAdmin):
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
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "level", "parent", "set_in_plan"]
    list_filter = ["programme", "level__depth"]
    list_select_related = ["programme", "level", "parent", "set_in_plan"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["parent", "set_in_plan"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("programme", "level", "parent__programme")


class NetworkMemberInline(admin.TabularInline):
    model = NetworkMember
    extra = 0
    autocomplete_fields = ["municipality", "person"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
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


class ChapterInline(admin.StackedInline):
    model = Chapter
    extra = 0
    fields = [("position", "number", "title", "kind"), "body", "document"]
    autocomplete_fields = ["document"]
    classes = ["collapse"]


class ActivityInline(admin.StackedInline):
    model = Activity
    extra = 0
    fields = [
        ("position", "title"),
        ("goal", "topic", "objective"),
        ("responsible_municipalities", "responsible_networks", "responsible_people", "responsible_text"),
        ("date_precision", "start_date", "end_date", "month", "season", "date_text"),
        ("cost", "comment"),
        ("follow_up_status", "actual_cost", "outcome"),
    ]
    autocomplete_fields = ["goal", "topic", "responsible_municipalities", "responsible_networks", "responsible_people"]
    classes = ["collapse"]


class CollaborationAreaInline(admin.StackedInline):
    model = CollaborationArea
    extra = 0
    fields = [("position", "title"), ("purpose", "governing_document"), "body"]
    show_change_link = True


@admin.register(WorkPlan)
class WorkPlanAdmin(SimpleHistoryAdmin):
    list_display = ["year", "display_title", "programme", "status", "decided_on", "decided_by"]
    list_filter = ["status", "programme"]
    list_select_related = ["programme", "decided_by"]
    search_fields = ["year", "title", "chapters__body"]
    autocomplete_fields = ["programme", "decided_by"]
    fieldsets = [
        (None, {"fields": [("year", "programme"), ("title", "subtitle"), "source"]}),
        ("Beslut", {"fields": [("status", "decided_on", "decided_by", "decision_reference")]}),
    ]
    inlines = [ChapterInline, CollaborationAreaInline, ActivityInline]


@admin.register(Chapter)
class ChapterAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "kind", "position"]
    list_filter = ["plan", "kind"]
    list_select_related = ["plan"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["plan", "document"]


class CollaborationTopicInline(admin.StackedInline):
    model = CollaborationTopic
    extra = 0
    fields = [("position", "title", "goal"), "body", "networks"]
    autocomplete_fields = ["goal", "networks"]


@admin.register(CollaborationArea)
class CollaborationAreaAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "position"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["plan"]
    inlines = [CollaborationTopicInline]


@admin.register(CollaborationTopic)
class CollaborationTopicAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "goal"]
    list_filter = ["area__plan"]
    list_select_related = ["area__plan", "goal__programme"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["area", "goal", "networks"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
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
