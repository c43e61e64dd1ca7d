import datetime

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_filters.views import FilterView
from django_tables2.export.views import ExportMixin
from django_tables2.views import SingleTableMixin

from calendar_app.selectors import events_with_details
from sodertorn.pdf import pdf_response

from .filters import ActivityFilter
from .models import Document, MunicipalDecision, Network, Programme, WorkPlan
from .services import archived_pdf
from .selectors import (
    activities_for_plan,
    goal_tree,
    municipal_decisions,
    network_detail,
    networks_overview,
    rendering_notice,
    visible_plans,
    work_plan_document,
)
from .tables import ActivityTable, MunicipalDecisionTable


def _get_visible_plan(request: HttpRequest, year: int) -> WorkPlan:
    """The plan of `year` if this user may read it (selects programme and decider).

    Decided plans are public documents. Other plans exist only for readers with
    the view_draft permission; to everyone else they do not exist (404), so a
    draft's existence is not disclosed either."""
    plan = get_object_or_404(WorkPlan.objects.select_related("programme", "decided_by"), year=year)
    if plan.is_public or request.user.has_perm("plans.view_draft"):
        return plan
    raise Http404("Planen är inte beslutad.")


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    plans = list(visible_plans(request.user).order_by("-year"))
    current = next((p for p in plans if p.year <= today.year), plans[0] if plans else None)
    programme = (
        Programme.objects.filter(valid_from__lte=today.year).order_by("-valid_from").first()
    )
    upcoming = list(events_with_details().filter(sort_key__gte=today).order_by("sort_key", "start_time")[:5])
    return render(request, "plans/home.html", {
        "current_plan": current,
        "plans": plans,
        "programme": programme,
        "upcoming": upcoming,
        "today": today,
    })


def work_plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/work_plan_list.html", {"plans": visible_plans(request.user).order_by("-year"), "nav": "plans"})


def work_plan_detail(request: HttpRequest, year: int) -> HttpResponse:
    plan = _get_visible_plan(request, year)
    archive = archived_pdf(plan)
    return render(request, "plans/work_plan_detail.html", {
        **work_plan_document(plan),
        "archive": archive,
        "rendering_notice": rendering_notice(plan, archive) if archive is None else "",
        "adoption": municipal_decisions(plan) if plan.is_public else None,
        "other_years": [p.year for p in visible_plans(request.user).exclude(pk=plan.pk).order_by("-year")],
        "nav": "plans",
    })


def work_plan_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """The plan as PDF/UA (or PDF/A with ?variant=arkiv). A plan decided in this
    system serves its archived PDF, byte for byte, instead of a new rendering;
    ?jamfor=<år> adds an appendix with the changes since that year's plan."""
    plan = _get_visible_plan(request, year)
    variant = "archive" if request.GET.get("variant") == "arkiv" else "ua"
    compare_with = request.GET.get("jamfor", "")
    archive = archived_pdf(plan)
    if archive and variant == "ua" and not compare_with:
        response = HttpResponse(bytes(archive.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="verksamhetsplan-{year}.pdf"'
        response["X-Archive-SHA256"] = archive.sha256
        return response
    context = {**work_plan_document(plan), "rendering_notice": rendering_notice(plan, archive)}
    suffix = "-arkiv" if variant == "archive" else ""
    if compare_with.isdigit():
        from .reports import plan_changes

        other = _get_visible_plan(request, int(compare_with))
        if other.year >= plan.year:
            raise Http404("Bilagan visar ändringar sedan en tidigare plan.")
        context["changes"] = plan_changes(plan, other)
        suffix += f"-jamfort-med-{other.year}"
    return pdf_response("plans/pdf/work_plan.html", context, filename=f"verksamhetsplan-{year}{suffix}.pdf", variant=variant)


class ActionPlanView(ExportMixin, SingleTableMixin, FilterView):
    """Bilaga 1 Handlingsplan as a sortable, filterable and exportable table."""

    table_class = ActivityTable
    filterset_class = ActivityFilter
    template_name = "plans/action_plan.html"
    export_formats = ("csv", "xlsx")
    table_pagination = False

    def dispatch(self, request, *args, **kwargs):
        self.plan = _get_visible_plan(request, kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return activities_for_plan(self.plan)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["plan"] = self.plan
        return kwargs

    def get_export_filename(self, export_format):
        return f"handlingsplan-{self.plan.year}.{export_format}"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "plan": self.plan, "nav": "plans"}


def programme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/programme_list.html", {
        "programmes": Programme.objects.order_by("-valid_from"), "nav": "programmes",
    })


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.prefetch_related("levels"), slug=slug)
    return render(request, "plans/programme_detail.html", {
        "programme": programme,
        "tree": goal_tree(programme),
        "visible_years": set(visible_plans(request.user).values_list("year", flat=True)),
        "nav": "programmes",
    })


def network_list(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/network_list.html", {"networks": networks_overview(), "nav": "networks"})


def network_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network.objects.select_related("reports_to"), slug=slug)
    context = network_detail(network)
    context["visible_years"] = set(visible_plans(request.user).values_list("year", flat=True))
    return render(request, "plans/network_detail.html", {**context, "nav": "networks"})


def document_list(request: HttpRequest) -> HttpResponse:
    documents = Document.objects.select_related("municipality").order_by("-date", "title")
    return render(request, "plans/document_list.html", {"documents": documents, "nav": "documents"})


def document_detail(request: HttpRequest, slug: str) -> HttpResponse:
    document = get_object_or_404(
        Document.objects.select_related("municipality", "responds_to", "source"), slug=slug
    )
    return render(request, "plans/document_detail.html", {
        "document": document,
        "responses": document.responses.order_by("date"),
        "nav": "documents",
    })


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/accessibility.html", {"reviewed": datetime.date(2026, 11, 23)})


def compare_redirect(request: HttpRequest, year: int) -> HttpResponse:
    """The plan page's "Jämför med" form, without JavaScript."""
    other = request.GET.get("jamfor", "")
    if not other.isdigit():
        raise Http404("Välj ett år att jämföra med.")
    return redirect("plans:compare", year=year, other_year=int(other))


def decisions(request: HttpRequest, year: int) -> HttpResponse:
    """The eight kommunstyrelser's decisions on the plan: for signed-in readers,
    and for everyone once all eight have decided."""
    plan = _get_visible_plan(request, year)
    context = municipal_decisions(plan)
    if not (request.user.has_perm("plans.view_municipaldecision") or context["all_decided"]):
        raise Http404("Kommunernas beslut visas när alla åtta har beslutat.")
    table = MunicipalDecisionTable(context["decisions"])
    export = request.GET.get("_export")
    if export:
        from django_tables2.export import TableExport

        if not TableExport.is_valid_format(export) or export not in ("csv", "xlsx"):
            raise Http404("Okänt exportformat.")
        return TableExport(export, table).response(f"beslut-{year}.{export}")
    return render(request, "plans/decisions.html", {**context, "plan": plan, "table": table, "nav": "plans"})


def decision_protocol(request: HttpRequest, year: int, municipality: str) -> HttpResponse:
    """An uploaded protocol extract, only for users allowed to see the decisions."""
    if not request.user.has_perm("plans.view_municipaldecision"):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    decision = get_object_or_404(
        MunicipalDecision.objects.select_related("plan", "municipality"),
        plan__year=year, municipality__slug=municipality,
    )
    if not decision.protocol:
        raise Http404("Inget protokollsutdrag är uppladdat.")
    return FileResponse(
        decision.protocol.open("rb"), content_type="application/pdf",
        filename=f"protokoll-{year}-{municipality}.pdf", as_attachment=False,
    )
