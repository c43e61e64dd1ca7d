import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from plans.models import Body
from sodertorn.pdf import pdf_response
from sodertorn.views import archive_missing

from .models import AgendaDocument, Meeting, MinutesApproval, Paragraph
from .selectors import (
    adoption_summary,
    adoptions_to_remind,
    body_year,
    body_years,
    closed_assignments,
    meeting_document,
    meetings_list,
    open_assignments,
    paragraph_extract,
    pending_approval_for,
)
from .services import kallelse_filename, minutes_approve

PERMISSION = "meetings.view_unapproved"


def _get_visible_meeting(request: HttpRequest, body: str, date: datetime.date) -> tuple[Meeting, bool]:
    """The meeting and whether this user sees only its public version (selects the
    event, body, place, chair and secretary).

    Justerade minutes are public. Everything else exists only for readers with
    view_unapproved and for the meeting's own chair and justerare (who must read
    what they approve); to everyone else it answers 404."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("event__body", "event__place", "chair", "secretary", "archive"),
        event__body__slug=body, event__start_date=date,
    )
    if request.user.has_perm(PERMISSION):
        return meeting, False
    if request.user.is_authenticated and MinutesApproval.objects.filter(
        meeting=meeting, person__contact__user=request.user
    ).exists():
        return meeting, False
    if meeting.is_public:
        return meeting, True
    raise Http404("Protokollet är inte justerat.")


def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/meeting_list.html", {
        "meetings": meetings_list(request.user),
        "index": body_years(request.user),
        "can_read_drafts": request.user.has_perm(PERMISSION),
        "nav": "meetings",
    })


def body_year_view(request: HttpRequest, body: str, year: int) -> HttpResponse:
    body_obj = get_object_or_404(Body, slug=body)
    public = not request.user.has_perm(PERMISSION)
    meetings = list(body_year(body_obj, year, request.user, public))
    return render(request, "meetings/body_year.html", {
        "body": body_obj, "year": year, "meetings": meetings, "nav": "meetings",
    })


def meeting_detail(request: HttpRequest, body: str, date: datetime.date) -> HttpResponse:
    meeting, public = _get_visible_meeting(request, body, date)
    context = meeting_document(meeting, public=public)
    for paragraph in context["paragraphs"]:
        if paragraph.joint:
            paragraph.adoption_summary = adoption_summary(paragraph)
    return render(request, "meetings/meeting_detail.html", {
        **context,
        "pending_approval": pending_approval_for(meeting, request.user),
        "show_documents": not public,
        "nav": "meetings",
    })


def kallelse_pdf(request: HttpRequest, body: str, date: datetime.date) -> HttpResponse:
    meeting, public = _get_visible_meeting(request, body, date)
    return pdf_response("meetings/pdf/kallelse.html", meeting_document(meeting, public=public), filename=kallelse_filename(meeting))


def protokoll_pdf(request: HttpRequest, body: str, date: datetime.date) -> HttpResponse:
    """The justerade minutes: the archived PDF/A byte for byte. Readers see a
    draft rendering before justering; the public, when items are not for
    publication, a rendering without them."""
    meeting, public = _get_visible_meeting(request, body, date)
    if meeting.status not in (Meeting.Status.HELD, Meeting.Status.APPROVED):
        raise Http404("Protokollet är inte upprättat ännu.")
    filename = f"protokoll-{meeting.event.body.slug}-{meeting.date:%Y-%m-%d}.pdf"
    context = meeting_document(meeting, public=public)
    archive = getattr(meeting, "archive", None)
    if archive is None and meeting.status == Meeting.Status.APPROVED:
        return archive_missing(request, what=f"Det justerade protokollet från {meeting}")
    if archive and not context["hidden_items"]:
        response = HttpResponse(bytes(archive.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["X-Archive-SHA256"] = archive.sha256
        return response
    return pdf_response("meetings/pdf/protokoll.html", context, filename=filename)


def extract_pdf(request: HttpRequest, body: str, date: datetime.date, number: int) -> HttpResponse:
    meeting, public = _get_visible_meeting(request, body, date)
    paragraph = get_object_or_404(Paragraph.objects.select_related("item"), meeting=meeting, number=number)
    if public and paragraph.item.not_for_publication:
        raise Http404("Paragrafen publiceras inte.")
    return pdf_response(
        "meetings/pdf/utdrag.html", paragraph_extract(meeting, paragraph),
        filename=f"protokollsutdrag-{meeting.event.body.slug}-{meeting.year}-paragraf-{number}.pdf",
    )


def document_file(request: HttpRequest, body: str, date: datetime.date, pk: int) -> HttpResponse:
    """A handling, for readers (and the meeting's own chair and justerare) only."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    meeting, public = _get_visible_meeting(request, body, date)
    if public:
        raise Http404
    document = get_object_or_404(AgendaDocument, pk=pk, item__meeting=meeting)
    return FileResponse(document.file.open("rb"), content_type="application/pdf",
                        filename=document.file.name.rsplit("/", 1)[-1], as_attachment=False)


@require_POST
def approve(request: HttpRequest, body: str, date: datetime.date) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    meeting, _ = _get_visible_meeting(request, body, date)
    try:
        outcome = minutes_approve(meeting=meeting, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        for warning in outcome.warnings:
            messages.warning(request, warning)
        messages.success(
            request,
            "Protokollet är justerat och låst." if outcome.count else "Din justering är registrerad.",
        )
    return redirect(meeting.get_absolute_url())


def assignment_list(request: HttpRequest) -> HttpResponse:
    """Beslutsuppföljning: open uppdrag, overdue and oldest first (readers)."""
    if not request.user.has_perm(PERMISSION):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    today = timezone.localdate()
    return render(request, "meetings/assignment_list.html", {
        "open": open_assignments(),
        "closed": closed_assignments()[:50],
        "reminders": adoptions_to_remind(today),
        "reminder_weeks": settings.DECISION_REMINDER_WEEKS,
        "today": today,
        "nav": "assignments",
    })
