"""What the meeting pages, PDFs and the kallelse e-mail show, in a fixed number of queries."""
import datetime

from django.db.models import Count, Max, Min, Prefetch
from django.utils import timezone

from sodertorn.printed import printed_names_apply, printed_names_take

from .models import AgendaDocument, AgendaItem, Assignment, Attendance, Meeting, MinutesApproval, Paragraph, ParagraphAdoption


def meetings_list(user):
    """Meetings this user may read, newest first, with their body, place and
    paragraph range (one query)."""
    return (
        Meeting.objects.visible_to(user)
        .select_related("event__body", "event__place")
        .annotate(
            first_paragraph=Min("paragraphs__number"),
            last_paragraph=Max("paragraphs__number"),
            item_count=Count("items", distinct=True),
        )
        .order_by("-event__sort_key", "event__body__position")
    )


def body_year(body, year: int, user, public: bool):
    """A body's meetings of one year with their paragraphs (two queries)."""
    paragraphs = Paragraph.objects.select_related("item").order_by("number", "id")
    if public:
        paragraphs = paragraphs.filter(item__not_for_publication=False)
    return (
        Meeting.objects.visible_to(user)
        .filter(event__body=body, event__year=year)
        .select_related("event__body", "event__place")
        .prefetch_related(Prefetch("paragraphs", queryset=paragraphs))
        .order_by("event__sort_key")
    )


# The shared registers the minutes name, whose rows stay editable after justering:
# what the justerade minutes showed is kept with them (Meeting.printed_names).
MEETING_PRINTED_NAMES = (
    ("plans.Person", ("name", "title")),
    ("plans.Municipality", ("name",)),
    ("plans.Body", ("name", "short_name")),
    ("plans.Network", ("name", "short_name")),
    ("plans.Goal", ("title",)),
)


def meeting_printed_names_take(document: dict) -> dict:
    """The snapshot of the names `document` (meeting_document's result) shows (no query)."""
    return printed_names_take(document, MEETING_PRINTED_NAMES)


def meeting_document(meeting: Meeting, *, public: bool) -> dict:
    """Everything the meeting page, the kallelse, the protokoll and the e-mail show.
    `public` leaves out the items not for publication. Justerade minutes show the
    names they showed at justering (Meeting.printed_names), put back in memory;
    minutes not yet justerade show the registers as they are."""
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("paragraph", "plan")
        .prefetch_related(
            Prefetch("documents", queryset=AgendaDocument.objects.order_by("position", "id")),
            "goals", "networks", "activities",
            Prefetch("paragraph__assignments", queryset=Assignment.objects.select_related(
                "to_body", "to_network", "to_municipality", "to_person").order_by("clause", "id")),
            Prefetch("paragraph__adoptions", queryset=ParagraphAdoption.objects.select_related("municipality")),
        )
        .order_by("position", "id")
    )
    if public:
        items = items.filter(not_for_publication=False)
    items = list(items)
    attendance = list(
        Attendance.objects.filter(meeting=meeting).select_related("person", "municipality")
        .order_by("municipality__name", "person__name", "name")
    )
    by_role = {role: [a for a in attendance if a.role == role and a.present] for role in Attendance.Role.values}
    approvals = list(MinutesApproval.objects.filter(meeting=meeting).select_related("person", "approved_by").order_by("role", "person__name"))
    paragraphs = [i.paragraph for i in items if hasattr(i, "paragraph") and i.paragraph.number]
    document = {
        "meeting": meeting,
        "body": meeting.event.body,
        "items": items,
        "paragraphs": paragraphs,
        "members_present": by_role[Attendance.Role.MEMBER],
        "deputies_present": by_role[Attendance.Role.DEPUTY],
        "others_present": by_role[Attendance.Role.OTHER],
        "absent": [a for a in attendance if not a.present],
        "adjusters": [a for a in attendance if a.adjuster],
        "approvals": approvals,
        "hidden_items": public and AgendaItem.objects.filter(meeting=meeting, not_for_publication=True).exists(),
        "public_version": public,
    }
    if meeting.status == Meeting.Status.APPROVED:
        printed_names_apply(meeting.printed_names, document)
    return document


def paragraph_extract(meeting: Meeting, paragraph: Paragraph) -> dict:
    """One paragraph as its own document, with the minutes' frame."""
    return {**meeting_document(meeting, public=False), "paragraph": paragraph, "item": paragraph.item}


def adoption_summary(paragraph: Paragraph, today: datetime.date | None = None) -> dict:
    """"X av 8", the late ones, and which have laga kraft."""
    today = today or timezone.localdate()
    adoptions = list(paragraph.adoptions.all())
    decided = [a for a in adoptions if a.status == ParagraphAdoption.Status.DECIDED]
    return {
        "adoptions": adoptions,
        "decided_count": len(decided),
        "total": len(adoptions),
        "late": [a for a in adoptions if a.is_late(today)],
        "in_force": [a for a in decided if a.has_legal_force(today)],
    }


def open_assignments():
    """Open uppdrag, overdue and oldest first (beslutsuppföljning)."""
    return (
        Assignment.objects.open()
        .select_related("paragraph__body", "paragraph__meeting__event__body", "paragraph__item",
                        "to_body", "to_network", "to_municipality", "to_person")
        .follow_up_order()
    )


def closed_assignments(year: int | None = None):
    qs = Assignment.objects.exclude(status=Assignment.Status.OPEN).select_related(
        "paragraph__body", "paragraph__meeting__event__body", "paragraph__item",
        "to_body", "to_network", "to_municipality", "to_person",
    ).order_by("-closed_on", "id")
    return qs.filter(paragraph__year=year) if year else qs


def pending_approval_for(meeting: Meeting, user) -> MinutesApproval | None:
    if not user.is_authenticated or meeting.status != Meeting.Status.HELD:
        return None
    return meeting.approvals.filter(person__contact__user=user, approved_at__isnull=True).select_related("person").first()


def body_years(user):
    """(body, year) pairs with meetings this user may read, for the index."""
    return (
        Meeting.objects.visible_to(user).values("event__body__slug", "event__body__short_name", "event__year")
        .annotate(n=Count("id")).order_by("-event__year", "event__body__short_name")
    )




def year_decisions(year: int):
    """The year's public decisions (justerade, published paragraphs) with their
    uppdrag, for the annual report (2 queries)."""
    return list(
        Paragraph.objects.filter(year=year, number__isnull=False, meeting__status=Meeting.Status.APPROVED,
                         item__not_for_publication=False)
        .select_related("body", "item", "meeting__event__body")
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related(
            "to_body", "to_network", "to_municipality", "to_person").order_by("clause", "id")))
        .order_by("body__position", "number")
    )


def adoptions_to_remind(today: datetime.date | None = None):
    """Kommunstyrelser that have had a joint paragraph longer than
    DECISION_REMINDER_WEEKS without deciding (1 query)."""
    return (
        ParagraphAdoption.objects.late(today)
        .select_related("municipality", "paragraph__body", "paragraph__item", "paragraph__meeting__event__body")
        .order_by("sent_on", "paragraph__year", "paragraph__number", "municipality__name")
    )
