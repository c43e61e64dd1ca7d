"""The pages that show a plan with its calendar and budget: the start page, the plan
page and its PDF, the comparison of two plans and the årsredovisning. Their URLs keep
the `plans:` names (secretariat/urls.py); the plan-only pages are in plans/views.py."""
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone

from plans.models import PlanArchive, WorkPlan
from plans.selectors import archived_pdf, municipal_decisions, rendering_notice, visible_plans
from plans.views import _get_visible_plan, _year_param
from sodertorn.archive import archive_was_made
from sodertorn.freshness import public_page
from sodertorn.pdf import pdf_response
from sodertorn.views import archive_missing

from .annual_report import annual_report_document
from .comparison import plan_changes
from .pdfs import work_plan_pdf_bytes
from .selectors import home_page, work_plan_document


@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/home.html", home_page(request.user, timezone.localdate()))


@public_page
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


@public_page
def work_plan_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """The plan as PDF/UA (or PDF/A with ?variant=arkiv). A plan decided in this
    system serves its archived PDF, byte for byte, instead of a new rendering;
    ?jamfor=<år> adds an appendix with the changes since that year's plan."""
    variants = {"": "ua", "arkiv": "archive"}
    if request.GET.get("variant", "") not in variants:
        return HttpResponseBadRequest("Okänd variant: ange variant=arkiv eller ingen.", content_type="text/plain; charset=utf-8")
    variant = variants[request.GET.get("variant", "")]
    compare_with = _year_param(request, "jamfor")
    plan = _get_visible_plan(request, year)
    archive = archived_pdf(plan)
    if (archive is None and variant == "ua" and compare_with is None and plan.status == WorkPlan.Status.DECIDED
            and archive_was_made(PlanArchive, plan_id=plan.pk, decided_on=plan.decided_on)):
        return archive_missing(request, what=f"Den beslutade PDF:en av {plan}")
    if archive and variant == "ua" and compare_with is None:
        response = HttpResponse(bytes(archive.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="verksamhetsplan-{year}.pdf"'
        response["X-Archive-SHA256"] = archive.sha256
        return response
    suffix = "-arkiv" if variant == "archive" else ""
    other = None
    if compare_with is not None:
        other = _get_visible_plan(request, compare_with)
        if other.year >= plan.year:
            raise Http404("Bilagan visar ändringar sedan en tidigare plan.")
        suffix += f"-jamfort-med-{other.year}"
    response = HttpResponse(
        work_plan_pdf_bytes(plan=plan, variant=variant, compare_with=other), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="verksamhetsplan-{year}{suffix}.pdf"'
    return response


def compare_redirect(request: HttpRequest, year: int) -> HttpResponse:
    """The plan page's "Jämför med" form, without JavaScript."""
    other = _year_param(request, "jamfor")
    if other is None:
        raise Http404("Välj ett år att jämföra med.")
    return redirect("plans:compare", year=year, other_year=other)


# -- the comparison of two plans and the årsredovisning ---------------------------------


@public_page
def compare(request: HttpRequest, year: int, other_year: int) -> HttpResponse:
    """What changed from the plan of `other_year` to the plan of `year`. Both must be
    visible to the user; asked the other way round, the page redirects to the later
    plan, so a comparison always reads forward in time."""
    if year == other_year:
        raise Http404("Välj ett annat år att jämföra med.")
    plan, other_plan = _get_visible_plan(request, year), _get_visible_plan(request, other_year)
    if other_year > year:
        return redirect("plans:compare", year=other_year, other_year=year)
    return render(request, "plans/compare.html", {
        "plan": plan, "other_plan": other_plan, "changes": plan_changes(plan, other_plan), "nav": "plans",
    })


@public_page
def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    plan = _get_visible_plan(request, year)
    return render(request, "plans/annual_report.html", {**annual_report_document(plan), "nav": "plans"})


@public_page
def annual_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    plan = _get_visible_plan(request, year)
    return pdf_response(
        "plans/pdf/annual_report.html", lambda: annual_report_document(plan), filename=f"arsredovisning-{year}.pdf",
        key=f"annual-report:{plan.pk}",
    )
