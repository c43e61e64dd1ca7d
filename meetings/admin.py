"""The secretariat's meeting desk: dagordning, närvaro, protokoll, and the steps
kallelse → protokoll as admin actions. Justerade meetings are read-only here too
(the model layer refuses edits anyway)."""
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from calendar_app.models import Event
from sodertorn.dates import Precision
from sodertorn.locking import VersionedAdminMixin, VersionedForm

from .models import (
    AgendaDocument,
    AgendaItem,
    Assignment,
    Attendance,
    Meeting,
    MinutesApproval,
    MinutesArchive,
    Paragraph,
    ParagraphAdoption,
    PersonContact,
)
from .services import (
    meeting_attendance_from_members,
    meeting_draw_up_minutes,
    meeting_send_notice,
    paragraph_send_to_municipalities,
    paragraphs_for_items,
)


class SkipSaveWhenLocked:
    """Once justering has begun the meeting's own records are read-only; the page
    may still save what follows the decision (uppdrag, antaganden) in its inlines."""

    def save_model(self, request, obj, form, change):
        meeting = _meeting_of(obj)
        if change and meeting is not None and Meeting.objects.get(pk=meeting.pk).minutes_frozen:
            return
        super().save_model(request, obj, form, change)


def _meeting_of(obj):
    if obj is None:
        return None
    return obj if isinstance(obj, Meeting) else getattr(obj, "meeting", None)


class LockedInline:
    """Inlines of a meeting: no deletion once kallat, no edits once justerat."""

    def has_delete_permission(self, request, obj=None):
        meeting = _meeting_of(obj)
        if meeting is not None and meeting.status != Meeting.Status.PLANNED:
            return False
        return super().has_delete_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        meeting = _meeting_of(obj)
        if meeting is not None and meeting.minutes_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        meeting = _meeting_of(obj)
        if meeting is not None and meeting.minutes_frozen:
            return False
        return super().has_add_permission(request, obj)


class AgendaItemInline(LockedInline, admin.StackedInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "presenter", "proposal", "not_for_publication"]
    show_change_link = True


class AttendanceInline(LockedInline, admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["role", "person", "name", "municipality", "present", "adjuster", "note"]
    autocomplete_fields = ["person"]

    def has_delete_permission(self, request, obj=None):
        meeting = _meeting_of(obj)
        return not (meeting and meeting.minutes_frozen) and admin.TabularInline.has_delete_permission(self, request, obj)


class ParagraphInline(LockedInline, admin.StackedInline):
    model = Paragraph
    fk_name = "meeting"
    extra = 0
    fields = ["item", "number", "decision", "notes", "joint"]
    readonly_fields = ["item", "number"]
    show_change_link = True
    verbose_name_plural = "protokoll: beslut per ärende"

    def has_add_permission(self, request, obj=None):
        return False


class ApprovalInline(admin.TabularInline):
    model = MinutesApproval
    extra = 0
    fields = ["role", "person", "approved_at", "approved_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(SkipSaveWhenLocked, SimpleHistoryAdmin):
    list_display = ["__str__", "status", "notice_sent_at", "approved_at"]
    list_filter = ["status", "event__body", "event__year"]
    list_select_related = ["event__body"]
    search_fields = ["event__body__short_name"]
    fields = ["event", "chair", "secretary", "status", "notice_sent_at", "notice_late", "held_at", "approved_at", "page"]
    readonly_fields = ["status", "notice_sent_at", "notice_late", "held_at", "approved_at", "page"]
    autocomplete_fields = ["chair", "secretary"]
    inlines = [AgendaItemInline, AttendanceInline, ParagraphInline, ApprovalInline]
    actions = ["fill_attendance", "send_notice", "draw_up_minutes"]

    @admin.display(description="sida")
    def page(self, obj):
        if obj.pk and obj.event.start_date:
            return format_html('<a href="{}">Visa sammanträdet</a>', obj.get_absolute_url())
        return "–"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.minutes_frozen:
            return self.fields
        if obj is not None and obj.status != Meeting.Status.PLANNED:
            return [*self.readonly_fields, "event"]
        return self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event":
            kwargs["queryset"] = (
                Event.objects.held().filter(body__isnull=False, date_precision=Precision.DAY, preliminary=False)
                .select_related("body").order_by("-sort_key")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != Meeting.Status.PLANNED:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        meeting = form.instance
        if not meeting.minutes_frozen:
            paragraphs_for_items(meeting=meeting)

    def _run(self, request, queryset, service, done):
        for meeting in queryset.select_related("event__body"):
            try:
                outcome = service(meeting=meeting)
            except ValidationError as error:
                self.message_user(request, f"{meeting}: " + " ".join(error.messages), messages.ERROR)
                continue
            for warning in getattr(outcome, "warnings", []):
                self.message_user(request, f"{meeting}: {warning}", messages.WARNING)
            count = outcome if isinstance(outcome, int) else outcome.count
            self.message_user(request, f"{meeting}: {done(count)}", messages.SUCCESS)

    @admin.action(description="Fyll i närvaro med årets ledamöter")
    def fill_attendance(self, request, queryset):
        self._run(request, queryset, meeting_attendance_from_members, lambda n: f"{n} ledamöter tillagda.")

    @admin.action(description="Skicka kallelse till ledamöterna")
    def send_notice(self, request, queryset):
        self._run(request, queryset, meeting_send_notice, lambda n: f"Kallelsen skickad till {n} ledamöter.")

    @admin.action(description="Upprätta protokoll (numrera paragraferna, begär justering)")
    def draw_up_minutes(self, request, queryset):
        self._run(request, queryset, meeting_draw_up_minutes, lambda n: f"Protokollet upprättat med {n} paragrafer.")


class AgendaDocumentInline(admin.TabularInline):
    model = AgendaDocument
    extra = 1
    fields = ["position", "title", "file"]

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.meeting.status == Meeting.Status.PLANNED) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return (obj is None or not obj.meeting.minutes_frozen) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.meeting.minutes_frozen) and super().has_change_permission(request, obj)


@admin.register(AgendaItem)
class AgendaItemAdmin(SkipSaveWhenLocked, SimpleHistoryAdmin):
    list_display = ["title", "meeting", "position", "not_for_publication"]
    list_select_related = ["meeting__event__body"]
    list_filter = ["meeting__event__body", "meeting__event__year"]
    search_fields = ["title"]
    fields = ["meeting", "position", "title", "presenter", "proposal", "not_for_publication", "plan", "goals", "activities", "networks"]
    autocomplete_fields = ["goals", "activities", "networks"]
    inlines = [AgendaDocumentInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.meeting.minutes_frozen:
            return self.fields
        return ["meeting"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.meeting.status == Meeting.Status.PLANNED) and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class AssignmentInline(admin.StackedInline):
    model = Assignment
    extra = 0
    fields = ["clause", "description", ("to_body", "to_network", "to_municipality", "to_person"), "due_date", "status", "closed_on", "outcome"]
    autocomplete_fields = ["to_person"]

    def has_delete_permission(self, request, obj=None):
        return False


class AdoptionInline(admin.TabularInline):
    model = ParagraphAdoption
    form = VersionedForm
    extra = 0
    fields = ["municipality", "status", "sent_on", "decided_on", "assembly", "decision_paragraph", "reference", "announced_on",
              "protocol", "protocol_url", "loaded_version"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Paragraph)
class ParagraphAdmin(SkipSaveWhenLocked, SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "joint"]
    list_select_related = ["item", "meeting__event__body"]
    list_filter = ["body", "year", "joint"]
    search_fields = ["item__title", "decision"]
    fields = ["meeting", "item", "number", "decision", "notes", "joint"]
    inlines = [AssignmentInline, AdoptionInline]
    actions = ["send_to_municipalities"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.meeting.minutes_frozen:
            return self.fields
        return ["meeting", "item", "number"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Skicka protokollsutdraget till de åtta kommunstyrelserna (i dag)")
    def send_to_municipalities(self, request, queryset):
        from django.utils import timezone

        for paragraph in queryset.select_related("meeting__event"):
            try:
                count = paragraph_send_to_municipalities(paragraph=paragraph, sent_on=timezone.localdate())
            except ValidationError as error:
                self.message_user(request, f"{paragraph}: " + " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, f"{paragraph}: skickad till {count} kommuner.", messages.SUCCESS)


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["description", "assignee", "due_date", "status"]
    list_filter = ["status"]
    list_select_related = ["paragraph__item", "to_body", "to_network", "to_municipality", "to_person"]
    search_fields = ["description"]
    autocomplete_fields = ["paragraph", "to_person"]
    fields = AssignmentInline.fields[:1] + ["paragraph"] + AssignmentInline.fields[1:]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ParagraphAdoption)
class ParagraphAdoptionAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    form = VersionedForm
    list_display = ["municipality", "paragraph", "status", "decided_on", "announced_on"]
    list_filter = ["status", "municipality"]
    list_select_related = ["municipality", "paragraph__item"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonContact)
class PersonContactAdmin(admin.ModelAdmin):
    list_display = ["person", "email", "user"]
    list_select_related = ["person__municipality", "user"]
    autocomplete_fields = ["person"]
    search_fields = ["person__name", "email"]


@admin.register(MinutesArchive)
class MinutesArchiveAdmin(admin.ModelAdmin):
    list_display = ["meeting", "sha256", "pdf_variant", "created_at"]
    list_select_related = ["meeting__event__body"]
    fields = ["meeting", "sha256", "weasyprint_version", "pdf_variant", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
