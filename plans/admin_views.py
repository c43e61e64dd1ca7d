"""Admin pages of the yearly cycle that are not a model's change form: the year's
chairs and the change of development programme. Wired from WorkPlanAdmin.get_urls."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from .chairs import chairmanship_set
from .models import Body, Chairmanship, Person, WorkPlan


def _plan_for_change(request, pk) -> WorkPlan:
    plan = get_object_or_404(WorkPlan.objects.select_related("programme"), pk=pk)
    if not request.user.has_perm("plans.change_workplan"):
        raise PermissionDenied
    return plan


def _context(model_admin, request, plan, title, **extra) -> dict:
    return {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, "original": plan,
            "plan": plan, "title": title, **extra}


class ChairForm(forms.Form):
    body = forms.ModelChoiceField(
        label="Organ", queryset=Body.objects.filter(kind__in=[Body.Kind.COMMITTEE, Body.Kind.MANAGEMENT]))
    role = forms.ChoiceField(label="Uppdrag", choices=Chairmanship.Role.choices)
    person = forms.ModelChoiceField(
        label="Person", queryset=Person.objects.select_related("municipality").order_by("name"),
        help_text="Finns personen inte med? Lägg till den under Personer först.",
    )


def chairs_view(model_admin, request, pk):
    """Årets ordförande: the chairs of both bodies for the plan's year, set one by one."""
    plan = _plan_for_change(request, pk)
    form = ChairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            chair = chairmanship_set(body=data["body"], year=plan.year, role=data["role"], person=data["person"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            model_admin.message_user(request, f"{chair} är registrerat.", level=messages.SUCCESS)
            return redirect("admin:plans_workplan_chairs", plan.pk)
    bodies = Body.objects.filter(kind__in=[Body.Kind.COMMITTEE, Body.Kind.MANAGEMENT]).order_by("position")
    current = {(c.body_id, c.role): c.person for c in
               Chairmanship.objects.filter(year=plan.year).select_related("person__municipality")}
    rows = [{"body": body, "role": label, "person": current.get((body.pk, role))}
            for body in bodies for role, label in Chairmanship.Role.choices]
    return TemplateResponse(request, "admin/plans/workplan/chairs.html",
                            _context(model_admin, request, plan, f"Årets ordförande {plan.year}", form=form, rows=rows))


def programme_view(model_admin, request, pk):
    """Byt utvecklingsprogram: one choice of a new goal per old goal, applied at once."""
    from .programme_change import programme_change_goals, work_plan_programme_change
    from .models import Goal, Programme

    plan = _plan_for_change(request, pk)
    data = request.POST if request.method == "POST" else request.GET
    programmes = Programme.objects.order_by("-valid_from")
    try:
        programme = programmes.get(pk=data.get("programme") or plan.programme_id)
    except (Programme.DoesNotExist, ValueError):
        programme = plan.programme
    entries = programme_change_goals(plan, programme)
    targets = list(Goal.objects.filter(programme=programme).select_related("level").order_by("level__depth", "position"))
    by_pk = {g.pk: g for g in targets}
    errors = []
    if request.method == "POST":
        mapping = {}
        for entry in entries:
            value = request.POST.get(f"goal_{entry.goal.pk}", "")
            if value == "none":
                mapping[entry.goal.pk] = None
            elif value.isdigit() and int(value) in by_pk:
                mapping[entry.goal.pk] = by_pk[int(value)]
        try:
            changed = work_plan_programme_change(plan=plan, programme=programme, mapping=mapping)
        except ValidationError as exc:
            errors = exc.messages
        else:
            model_admin.message_user(
                request, f"{plan} följer nu {programme}; {changed} aktiviteter och inriktningar har fått nya mål.",
                level=messages.SUCCESS)
            return redirect("admin:plans_workplan_change", plan.pk)
    for entry in entries:
        chosen = request.POST.get(f"goal_{entry.goal.pk}") if request.method == "POST" else None
        entry.chosen = chosen or (str(entry.suggestion.pk) if entry.suggestion else "")
    return TemplateResponse(request, "admin/plans/workplan/programme.html", _context(
        model_admin, request, plan, "Byt utvecklingsprogram", programme=programme, programmes=programmes,
        entries=entries, targets=targets, errors=errors))


def programme_of_admin_page(url: str):
    """The programme of the plan an admin page edits (the plan, one of its
    activities, areas or topics), or None."""
    import re

    from .models import Activity, CollaborationArea, CollaborationTopic

    match = re.search(r"/plans/(workplan|activity|collaborationarea|collaborationtopic)/(\d+)/change/", url)
    if not match:
        return None
    kind, pk = match.group(1), int(match.group(2))
    lookups = {
        "workplan": (WorkPlan.objects, "programme"),
        "activity": (Activity.objects, "plan__programme"),
        "collaborationarea": (CollaborationArea.objects, "plan__programme"),
        "collaborationtopic": (CollaborationTopic.objects, "area__plan__programme"),
    }
    manager, field = lookups[kind]
    programme_id = manager.filter(pk=pk).values_list(field, flat=True).first()
    if programme_id is None:
        return None
    from .models import Programme

    return Programme.objects.filter(pk=programme_id).first()


class FollowUpUploadForm(forms.Form):
    file = forms.FileField(label="Fil (.csv eller .xlsx)",
                           help_text="Handlingsplanens export med Uppföljning, Resultat och Utfall (kr) ifyllda.")


def follow_up_view(model_admin, request, pk):
    """Importera uppföljning: the action plan's export, filled in, uploaded back."""
    from django.urls import reverse

    from .follow_up_import import FollowUpImportError, follow_up_import

    plan = _plan_for_change(request, pk)
    form = FollowUpUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = follow_up_import(plan=plan, path=upload.name, content=upload.read())
        except FollowUpImportError as exc:
            errors = exc.errors
        else:
            model_admin.message_user(request, f"Uppföljningen av {count} aktiviteter i {plan} är inläst.",
                                     level=messages.SUCCESS)
            return redirect("admin:plans_workplan_change", plan.pk)
    return TemplateResponse(request, "admin/plans/workplan/follow_up.html", _context(
        model_admin, request, plan, "Importera uppföljning", form=form, errors=errors,
        export_csv=reverse("plans:action_plan", args=[plan.year]) + "?_export=csv",
        export_xlsx=reverse("plans:action_plan", args=[plan.year]) + "?_export=xlsx"))
