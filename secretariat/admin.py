"""The plan's admin page, registered from the roof because its buttons run the work
that spans apps: the copy to next year, Kontroll före beslut, propose, decide (the
archived PDF and the frozen fees), reopen. Its inlines and form, and every other
admin of the plans app, stay in plans/admin.py; the URLs and names are the plans
app's as before (admin:plans_workplan_*)."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from plans import admin_views
from plans.admin import (
    ActivityInline,
    ChapterInline,
    CollaborationAreaInline,
    MunicipalDecisionInline,
    PlanArchiveInline,
    PlanCheckConfirmationInline,
    PlanReopeningInline,
    WorkPlanForm,
)
from plans.forms import CopyPlanForm, DecideForm, ProposeForm, ReopenForm, SendForm
from plans.models import WorkPlan
from plans.services import municipal_decisions_mark_sent
from sodertorn.locking import VersionedAdminMixin

from .checks import work_plan_checklist
from .services import work_plan_copy_to_year, work_plan_decide, work_plan_propose, work_plan_reopen


def _add_service_error(form, exc: ValidationError) -> None:
    """A service's refusal onto the form: errors of fields the form has go to the
    field, the rest (e.g. the plan's own fields) above the form, never a 500."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@admin.register(WorkPlan)
class WorkPlanAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    form = WorkPlanForm
    list_display = ["year", "display_title", "programme", "status", "decided_on", "decided_by"]
    list_filter = ["status", "programme"]
    list_select_related = ["programme", "decided_by"]
    search_fields = ["year", "title", "chapters__body"]
    autocomplete_fields = ["programme"]
    readonly_fields = ["status", "decided_on", "decided_by", "decision_reference", "version"]
    locked_fields = ["year", "programme", "title", "subtitle", "source"]
    fieldsets = [
        (None, {"fields": [("year", "programme"), ("title", "subtitle"), "source", "loaded_version"]}),
        ("Beslut", {"fields": [("status", "decided_on", "decided_by", "decision_reference"), "version"],
                    "description": "Status ändras med knapparna överst: lägg fram för beslut, besluta, öppna igen."}),
    ]
    inlines = [
        ChapterInline, CollaborationAreaInline, ActivityInline, MunicipalDecisionInline,
        PlanArchiveInline, PlanReopeningInline, PlanCheckConfirmationInline,
    ]
    actions = ["copy_to_next_year"]
    change_form_template = "admin/plans/workplan/change_form.html"

    def has_delete_permission(self, request, obj=None):
        return False  # public records (allmänna handlingar) are never deleted

    def get_readonly_fields(self, request, obj=None):
        """A decided plan's own fields are read-only; only the municipalities'
        decisions below can still be recorded."""
        if obj is not None and obj.is_locked:
            return self.locked_fields + self.readonly_fields
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change and obj.is_locked:
            return  # nothing of a decided plan itself is editable
        super().save_model(request, obj, form, change)

    @admin.action(description="Skapa nästa års plan från den valda planen")
    def copy_to_next_year(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Välj exakt en plan att utgå från.", level=messages.ERROR)
            return None
        return redirect("admin:plans_workplan_copy", queryset.get().pk)

    def get_urls(self):
        own = [
            path("<int:pk>/skapa-nasta-ar/", self.admin_site.admin_view(self.copy_view), name="plans_workplan_copy"),
            path("<int:pk>/lagg-fram/", self.admin_site.admin_view(self.propose_view), name="plans_workplan_propose"),
            path("<int:pk>/besluta/", self.admin_site.admin_view(self.decide_view), name="plans_workplan_decide"),
            path("<int:pk>/oppna/", self.admin_site.admin_view(self.reopen_view), name="plans_workplan_reopen"),
            path("<int:pk>/skicka/", self.admin_site.admin_view(self.send_view), name="plans_workplan_send"),
            path("<int:pk>/ordforande/", self.admin_site.admin_view(lambda request, pk: admin_views.chairs_view(self, request, pk)),
                 name="plans_workplan_chairs"),
            path("<int:pk>/uppfoljning/", self.admin_site.admin_view(lambda request, pk: admin_views.follow_up_view(self, request, pk)),
                 name="plans_workplan_follow_up"),
            path("<int:pk>/byt-program/", self.admin_site.admin_view(lambda request, pk: admin_views.programme_view(self, request, pk)),
                 name="plans_workplan_programme"),
        ]
        return own + super().get_urls()

    def _workflow(self, request, pk, form_class, title, action, template="admin/plans/workplan/workflow.html"):
        plan = get_object_or_404(WorkPlan, pk=pk)
        if not request.user.has_perm("plans.change_workplan"):
            raise PermissionDenied
        form = form_class(request.POST if request.method == "POST" else None, plan=plan)
        if request.method == "POST" and form.is_valid():
            try:
                result = action(plan, form.cleaned_data)
            except ValidationError as exc:
                _add_service_error(form, exc)
            else:
                self.message_user(request, result[1], level=messages.SUCCESS)
                return redirect("admin:plans_workplan_change", result[0].pk)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "original": plan,
                   "title": title, "form": form, "plan": plan,
                   "checklist": work_plan_checklist(plan) if getattr(form_class, "checked", False) else None}
        return TemplateResponse(request, template, context)

    def copy_view(self, request, pk):
        def action(plan, data):
            new = work_plan_copy_to_year(source=plan, year=data["year"], programme=data["programme"])
            return new, format_html(
                '{} skapades som utkast från planen för {}. <a href="{}">Fyll i årets ordförande</a> och datum, '
                "och gå igenom kontrollen före beslut på planens sida.",
                new, plan.year, reverse("admin:plans_workplan_chairs", args=[new.pk]))
        return self._workflow(request, pk, CopyPlanForm, "Skapa nästa års plan", action)

    def propose_view(self, request, pk):
        def action(plan, data):
            return (work_plan_propose(plan=plan, user=request.user, confirm_warnings=data["confirm_warnings"]),
                    f"{plan} är lagd för beslut.")
        return self._workflow(request, pk, ProposeForm, "Lägg fram planen för beslut", action)

    def decide_view(self, request, pk):
        def action(plan, data):
            archive = work_plan_decide(
                plan=plan, user=request.user, confirm_warnings=data["confirm_warnings"],
                decided_on=data["decided_on"], decided_by=data["decided_by"], reference=data["reference"],
                base_url=request.build_absolute_uri("/"))
            return plan, f"{plan} är beslutad. PDF:en är arkiverad (SHA-256 {archive.sha256[:16]}…)."
        return self._workflow(request, pk, DecideForm, "Registrera beslut", action)

    def send_view(self, request, pk):
        def action(plan, data):
            count = municipal_decisions_mark_sent(plan=plan, sent_on=data["sent_on"])
            return plan, f"Planen är markerad som skickad {data['sent_on']:%Y-%m-%d} till {count} kommuner."
        return self._workflow(request, pk, SendForm, "Markera som skickad till alla åtta", action)

    def reopen_view(self, request, pk):
        def action(plan, data):
            work_plan_reopen(plan=plan, reason=data["reason"], user=request.user)
            return plan, f"{plan} är öppnad igen som utkast. Skälet är registrerat."
        return self._workflow(request, pk, ReopenForm, "Öppna beslutad plan igen", action)
