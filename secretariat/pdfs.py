"""The plan's PDFs, shared by the PDF view, the propose service and `prerender_pdfs`,
so a PDF rendered ahead is found under the same keys that a reader's request uses."""
import logging

from sodertorn.pdf import render_pdf

from plans.models import WorkPlan
from plans.selectors import archived_pdf, rendering_notice

from .comparison import plan_changes
from .selectors import work_plan_document

logger = logging.getLogger(__name__)

TEMPLATE = "plans/pdf/work_plan.html"


def work_plan_pdf_bytes(*, plan: WorkPlan, variant: str = "ua", compare_with: WorkPlan | None = None) -> bytes:
    """The plan as PDF (rendered, not the archived file), optionally with the appendix
    of changes since `compare_with`; from the cache when nothing changed."""

    def context():
        document = work_plan_document(plan)
        # A decided plan's rendering says it is not the file decided on (the archived
        # PDF at the decision is rendered without this, by work_plan_decide).
        document["rendering_notice"] = rendering_notice(plan, archived_pdf(plan))
        if compare_with is not None:
            document["changes"] = plan_changes(plan, compare_with)
        return document

    key = f"plan:{plan.pk}:{compare_with.pk if compare_with else ''}"
    return render_pdf(TEMPLATE, context, variant, key=key)


def work_plan_pdfs_prerender(*, plan: WorkPlan) -> list[str]:
    """Render ahead the PDFs a kommunstyrelse is sent for a plan put forward for
    decision: the tagged PDF, the archival PDF and the tagged PDF with the changes
    since the previous plan. Returns what was rendered, for the command's output."""
    previous = WorkPlan.objects.filter(year__lt=plan.year).order_by("-year").first()
    jobs = [("ua", None), ("archive", None)] + ([("ua", previous)] if previous else [])
    done = []
    for variant, other in jobs:
        work_plan_pdf_bytes(plan=plan, variant=variant, compare_with=other)
        done.append(f"{plan.year} {variant}" + (f" jämfört med {other.year}" if other else ""))
    return done


def work_plan_pdfs_prerender_quietly(plan_pk: int) -> None:
    """For transaction.on_commit: a failure is logged and never breaks the request;
    the reader then renders the PDF on demand."""
    try:
        work_plan_pdfs_prerender(plan=WorkPlan.objects.select_related("programme", "decided_by").get(pk=plan_pk))
    except Exception:
        logger.exception("Could not render the PDFs of plan %s ahead", plan_pk)
