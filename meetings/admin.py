"""The secretariat's meeting desk: dagordning, närvaro, protokoll, and the steps
kallelse → protokoll as admin actions. Justerade meetings are read-only here too
(the model layer refuses edits anyway).

Every form carries the version its editor loaded (sodertorn/locking.py), inlines
included. A page opened before justering began and saved after it shows its fields
editable once more, with the refusal above them and what was typed kept, instead of
dropping the input and reporting "Ändrade …" (issue 20)."""
import functools
import re

from django import forms
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
    Locked,
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


def _meeting_of(obj):
    if obj is None:
        return None
    if isinstance(obj, AgendaDocument):
        return obj.item.meeting if obj.item_id else None
    return obj if isinstance(obj, Meeting) else getattr(obj, "meeting", None)


def frozen_message(meeting: Meeting) -> str:
    began = "Protokollet har justerats" if meeting.is_locked else "Justeringen av protokollet har börjat"
    return (
        f"{began} medan du redigerade, så dina ändringar sparades inte: det som justeras är det som "
        "arkiveras. Det du skrev finns kvar i formuläret."
    )


class MinutesForm(VersionedForm):
    """A form of a meeting or one of its parts: besides the version check, a change
    to minutes whose justering has begun is refused here, with the input kept."""

    def clean(self):
        cleaned = super().clean()
        meeting = _meeting_of(self.instance)
        if meeting is not None and meeting.pk and self.has_changed():
            meeting = Meeting.objects.get(pk=meeting.pk)
            if meeting.minutes_frozen:
                raise forms.ValidationError(frozen_message(meeting), code="locked")
        return cleaned


def posted_edits(request, names, prefix: str | None = None) -> bool:
    """Whether a POST carries values for the fields `names` (of the inline rows under
    `prefix`): the editor's page showed them editable, so it was opened before
    justering began, and the form must show the refusal rather than drop the input."""
    if request is None or request.method != "POST":
        return False
    if prefix is None:
        return any(name in request.POST for name in names)
    row = re.compile(rf"^{re.escape(prefix)}-\d+-(?P<name>[\w]+)$")
    return any((match := row.match(key)) and match["name"] in names for key in request.POST)


def _editable(fields) -> list[str]:
    names = []
    for field in fields:
        names += list(field) if isinstance(field, (list, tuple)) else [field]
    return [name for name in names if name != "loaded_version"]


class MinutesAdminMixin(VersionedAdminMixin):
    """The change page of a meeting or one of its parts. A save that lost the race to
    the justering (refused by the model layer between the form's check and the write)
    runs the page again, whose form check then shows the refusal."""

    def get_readonly_fields(self, request, obj=None):
        meeting = _meeting_of(obj)
        if meeting is not None and meeting.minutes_frozen and not posted_edits(request, _editable(self.fields)):
            return _editable(self.fields)
        return self.unfrozen_readonly_fields(request, obj)

    def unfrozen_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Locked:
            return super().changeform_view(request, object_id, form_url, extra_context)


class LockedInline:
    """Inlines of a meeting: no deletion once kallat, no edits once justering has
    begun (unless the page was opened before: see `posted_edits`)."""

    form = MinutesForm

    def _frozen(self, request, obj) -> bool:
        meeting = _meeting_of(obj)
        if meeting is None or not meeting.minutes_frozen:
            return False
        prefix = self.model._meta.get_field(self.fk_name or "meeting").remote_field.get_accessor_name()
        return not posted_edits(request, _editable(self.fields), prefix)

    def has_delete_permission(self, request, obj=None):
        meeting = _meeting_of(obj)
        if meeting is not None and meeting.status != Meeting.Status.PLANNED:
            return False
        return super().has_delete_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if self._frozen(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if self._frozen(request, obj):
            return False
        return super().has_add_permission(request, obj)


class AgendaItemInline(LockedInline, admin.StackedInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "presenter", "proposal", "not_for_publication", "loaded_version"]
    show_change_link = True


class AttendanceInline(LockedInline, admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["role", "person", "name", "municipality", "present", "adjuster", "note", "loaded_version"]
    autocomplete_fields = ["person"]

    def has_delete_permission(self, request, obj=None):
        meeting = _meeting_of(obj)
        return not (meeting and meeting.minutes_frozen) and admin.TabularInline.has_delete_permission(self, request, obj)


class ParagraphInline(LockedInline, admin.StackedInline):
    model = Paragraph
    fk_name = "meeting"
    extra = 0
    fields = ["item", "number", "decision", "notes", "joint", "loaded_version"]
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
class MeetingAdmin(MinutesAdminMixin, SimpleHistoryAdmin):
    form = MinutesForm
    list_display = ["__str__", "status", "notice_sent_at", "approved_at"]
    list_filter = ["status", "event__body", "event__year"]
    list_select_related = ["event__body"]
    search_fields = ["event__body__short_name"]
    fields = ["event", "chair", "secretary", "status", "notice_sent_at", "notice_late", "held_at", "approved_at", "page",
              "loaded_version"]
    readonly_fields = ["status", "notice_sent_at", "notice_late", "held_at", "approved_at", "page"]
    autocomplete_fields = ["chair", "secretary"]
    inlines = [AgendaItemInline, AttendanceInline, ParagraphInline, ApprovalInline]
    actions = ["fill_attendance", "send_notice", "draw_up_minutes", "draw_up_minutes_after_last"]

    @admin.display(description="sida")
    def page(self, obj):
        if obj.pk and obj.event.start_date:
            return format_html('<a href="{}">Visa sammanträdet</a>', obj.get_absolute_url())
        return "–"

    def unfrozen_readonly_fields(self, request, obj=None):
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
        # In date order: minutes drawn up together are numbered as they were held.
        for meeting in queryset.select_related("event__body").order_by("event__start_date"):
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

    @admin.action(description="Upprätta protokoll efter årets sista paragraf (när ett senare protokoll redan justeras)")
    def draw_up_minutes_after_last(self, request, queryset):
        self._run(request, queryset, functools.partial(meeting_draw_up_minutes, after_last=True),
                  lambda n: f"Protokollet upprättat med {n} paragrafer.")


class AgendaDocumentInline(LockedInline, admin.TabularInline):
    model = AgendaDocument
    fk_name = "item"
    extra = 1
    fields = ["position", "title", "file", "loaded_version"]


@admin.register(AgendaItem)
class AgendaItemAdmin(MinutesAdminMixin, SimpleHistoryAdmin):
    form = MinutesForm
    list_display = ["title", "meeting", "position", "not_for_publication"]
    list_select_related = ["meeting__event__body"]
    list_filter = ["meeting__event__body", "meeting__event__year"]
    search_fields = ["title"]
    fields = ["meeting", "position", "title", "presenter", "proposal", "not_for_publication", "plan", "goals", "activities",
              "networks", "loaded_version"]
    autocomplete_fields = ["goals", "activities", "networks"]
    inlines = [AgendaDocumentInline]

    def unfrozen_readonly_fields(self, request, obj=None):
        return ["meeting"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.meeting.status == Meeting.Status.PLANNED) and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class AssignmentInline(admin.StackedInline):
    model = Assignment
    form = VersionedForm
    extra = 0
    fields = ["clause", "description", ("to_body", "to_network", "to_municipality", "to_person"), "due_date", "status", "closed_on",
              "outcome", "loaded_version"]
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
class ParagraphAdmin(MinutesAdminMixin, SimpleHistoryAdmin):
    form = MinutesForm
    list_display = ["__str__", "meeting", "joint"]
    list_select_related = ["item", "meeting__event__body"]
    list_filter = ["body", "year", "joint"]
    search_fields = ["item__title", "decision"]
    fields = ["meeting", "item", "number", "decision", "notes", "joint", "loaded_version"]
    readonly_fields = ["meeting", "item", "number"]
    inlines = [AssignmentInline, AdoptionInline]
    actions = ["send_to_municipalities"]

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
class AssignmentAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    form = VersionedForm
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
class PersonContactAdmin(VersionedAdminMixin, admin.ModelAdmin):
    form = VersionedForm
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
