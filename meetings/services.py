"""The meeting's life: kallelse → protokoll → justering, and what follows.

Every state change goes through one of these functions: each checks first
(raising ValidationError with a Swedish message) and then writes in one
transaction, so a refused action changes nothing. simple-history records each
write with who made it.
"""
import datetime
import hashlib
from dataclasses import dataclass, field

import weasyprint
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from plans.decisions import municipal_decisions_send
from plans.models import Membership
from sodertorn.pdf import VARIANTS, html_to_pdf, render_html, render_pdf

from .models import (
    APPROVAL_DAYS,
    Assignment,
    Attendance,
    Meeting,
    MinutesApproval,
    MinutesArchive,
    Paragraph,
    ParagraphAdoption,
    ParagraphNumbering,
    PersonContact,
    notice_days,
)


@dataclass
class Outcome:
    """What a service did, and the warnings the secretariat should see."""

    warnings: list[str] = field(default_factory=list)
    count: int = 0


def members_for(meeting: Meeting):
    """The body's memberships in the meeting's year, by municipality."""
    return (
        Membership.objects.filter(body_id=meeting.event.body_id, start_year__lte=meeting.year)
        .filter(models.Q(end_year__isnull=True) | models.Q(end_year__gte=meeting.year))
        .select_related("person", "municipality")
        .order_by("municipality__name", "person__name")
    )


@transaction.atomic
def meeting_attendance_from_members(*, meeting: Meeting) -> int:
    """One attendance row (present, ledamot) per member of the year who has none yet."""
    if meeting.is_locked:
        raise ValidationError("Protokollet är justerat och kan inte ändras.")
    have = set(meeting.attendance.values_list("person_id", flat=True))
    created = 0
    for membership in members_for(meeting):
        if membership.person_id in have:
            continue
        Attendance.objects.create(
            meeting=meeting, person=membership.person, municipality=membership.municipality, role=Attendance.Role.MEMBER,
        )
        have.add(membership.person_id)
        created += 1
    return created


def notice_deadline(meeting: Meeting) -> datetime.date:
    return meeting.date - datetime.timedelta(days=notice_days(meeting.body))


@transaction.atomic
def meeting_send_notice(*, meeting: Meeting, now: datetime.datetime | None = None) -> Outcome:
    """Planerat → kallat: the kallelse (PDF attached, dagordning in the text) to
    every member of the year with an e-mail address. Warns when it goes out later
    than the body's rule, and names members it cannot reach."""
    from .selectors import meeting_document

    now = now or timezone.now()
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(f"Kallelsen har redan gått ut; sammanträdet är {meeting.get_status_display().lower()}.")
    if not meeting.items.exists():
        raise ValidationError("Dagordningen är tom. Lägg till ärenden innan kallelsen skickas.")
    paragraphs_for_items(meeting=meeting)
    if timezone.localtime(now).date() > meeting.date:
        raise ValidationError("Sammanträdet har redan varit; en kallelse kan inte skickas i efterhand.")
    outcome = Outcome()
    deadline = notice_deadline(meeting)
    late = timezone.localtime(now).date() > deadline
    if late:
        outcome.warnings.append(
            f"Kallelsen går ut senare än {notice_days(meeting.body)} dagar före sammanträdet "
            f"(senast {deadline:%Y-%m-%d})."
        )
    meeting.status = Meeting.Status.NOTICED
    meeting.notice_sent_at = now
    meeting.notice_late = late
    meeting.save()

    context = meeting_document(meeting, public=False)
    members = list(members_for(meeting))
    contacts = dict(PersonContact.objects.filter(person__in=[m.person_id for m in members]).values_list("person_id", "email"))
    recipients = [contacts[m.person_id] for m in members if contacts.get(m.person_id)]
    missing = [m.person.name for m in members if not contacts.get(m.person_id)]
    if missing:
        outcome.warnings.append("Saknar e-postadress och fick ingen kallelse: " + ", ".join(missing) + ".")
    if recipients:
        message = EmailMessage(
            subject=f"Kallelse till {meeting.body.name.lower()} {meeting.date:%Y-%m-%d}",
            body=render_to_string("meetings/kallelse.txt", context),
            to=recipients,
        )
        message.attach(kallelse_filename(meeting), render_pdf("meetings/pdf/kallelse.html", context), "application/pdf")
        message.send()
    outcome.count = len(recipients)
    return outcome


def kallelse_filename(meeting: Meeting) -> str:
    return f"kallelse-{meeting.body.slug}-{meeting.date:%Y-%m-%d}.pdf"


def _take_numbering_lock(*, body_id: int, year: int, now: datetime.datetime) -> None:
    """The lock on the body's paragraph numbers of `year`, held until the transaction
    ends: PostgreSQL locks the row (FOR UPDATE); SQLite, which ignores FOR UPDATE,
    takes its one write lock at the INSERT, the first write of the transaction."""
    ParagraphNumbering.objects.bulk_create([ParagraphNumbering(body_id=body_id, year=year)], ignore_conflicts=True)
    numbering = ParagraphNumbering.objects.select_for_update().get(body_id=body_id, year=year)
    numbering.numbered_at = now
    numbering.save(update_fields=["numbered_at"])


def _span(numbers) -> str:
    numbers = sorted(numbers)
    return f"§ {numbers[0]}" if len(numbers) == 1 else f"§ {numbers[0]}–{numbers[-1]}"


def meeting_draw_up_minutes(*, meeting: Meeting, now: datetime.datetime | None = None, after_last: bool = False) -> Outcome:
    """Kallat → genomfört: the minutes are drawn up. Every ärende gets its
    paragraph, and the chair and justerare are asked to approve.

    The numbers run through the body's year in the meetings' date order, with no
    gap. They are given under a lock per body and year (`ParagraphNumbering`), and
    the meeting is read again under it, so two meetings drawn up at the same moment
    are numbered one after the other, and a second "Upprätta protokoll" of the same
    meeting (a double submit) finds the protokoll drawn up and is told so.

    A meeting drawn up after a later one of the same body and year takes its place
    in the numbering: the later minutes' paragraphs move up, with a warning. That is
    refused when the later minutes are being justerade (or are justerade), whose
    numbers never change; the refusal says what to do: check the date, or draw the
    minutes up with `after_last`, which numbers them after the year's last paragraph
    (out of date order, with a warning). The unique constraint on (body, year,
    number) is the last guard."""
    # Read before the transaction: on SQLite the lock must be its first statement
    # (a transaction that has read cannot wait for the write lock; it fails).
    body_id, year = Meeting.objects.filter(pk=meeting.pk).values_list("event__body_id", "event__year").get()
    return _draw_up_minutes(meeting_id=meeting.pk, body_id=body_id, year=year, now=now or timezone.now(),
                            after_last=after_last)


@transaction.atomic
def _draw_up_minutes(*, meeting_id: int, body_id: int, year: int, now: datetime.datetime, after_last: bool) -> Outcome:
    _take_numbering_lock(body_id=body_id, year=year, now=now)
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("event__body").get(pk=meeting_id)
    if (meeting.event.body_id, meeting.event.year) != (body_id, year):
        raise ValidationError("Sammanträdet flyttades i kalendern medan protokollet upprättades; försök igen.")
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.APPROVED):
        raise ValidationError(
            f"Protokollet är redan upprättat ({timezone.localtime(meeting.held_at):%Y-%m-%d %H.%M}); "
            "det upprättas bara en gång."
        )
    if meeting.status != Meeting.Status.NOTICED:
        raise ValidationError("Protokollet upprättas för ett sammanträde som har kallats till och inte redan har protokoll.")
    if timezone.localtime(now).date() < meeting.date:
        raise ValidationError("Sammanträdet har inte ägt rum ännu.")
    if not meeting.chair_id:
        raise ValidationError("Ange sammanträdets ordförande.")
    adjusters = list(meeting.attendance.filter(adjuster=True, present=True).select_related("person"))
    if not adjusters:
        raise ValidationError("Välj minst en justerare bland de närvarande.")
    if meeting.chair_id in {a.person_id for a in adjusters}:
        raise ValidationError("Ordföranden justerar redan protokollet och väljs inte som justerare.")
    items = list(meeting.items.select_related("paragraph").order_by("position", "id"))
    if not items:
        raise ValidationError("Dagordningen är tom.")
    empty = [i.title for i in items if not (hasattr(i, "paragraph") and i.paragraph.decision.strip())]
    if empty:
        raise ValidationError("Skriv beslutet (att-satser) för: " + "; ".join(empty) + ".")

    outcome = Outcome(count=len(items))
    numbered = Paragraph.objects.filter(body_id=body_id, year=year, number__isnull=False)
    later = list(
        numbered.filter(meeting__event__start_date__gt=meeting.date).select_for_update(of=("self",))
        .select_related("meeting__event").order_by("meeting__event__start_date", "number")
    )
    later_meetings = list({p.meeting_id: p.meeting for p in later}.values())
    frozen = [m for m in later_meetings if m.minutes_frozen]
    if frozen and not after_last:
        first = frozen[0]
        raise ValidationError(
            f"Ett senare sammanträde ({first.date:%Y-%m-%d}, "
            f"{_span(p.number for p in later if p.meeting_id == first.pk)}) har ett protokoll som "
            f"{'är justerat' if first.is_locked else 'justeras'}, och dess paragrafer numreras aldrig om. "
            f"Kontrollera att det här sammanträdet hölls {meeting.date:%Y-%m-%d}. Ska det ha protokoll, välj "
            "”Upprätta protokoll efter årets sista paragraf”: paragraferna får då nummer från "
            f"§ {(numbered.aggregate(last=models.Max('number'))['last'] or 0) + 1}, och numren följer inte datumordningen."
        )
    if frozen:  # after the year's last paragraph, out of date order
        start = (numbered.aggregate(last=models.Max("number"))["last"] or 0) + 1
        later = []
        outcome.warnings.append(
            f"Paragraferna fick {_span(range(start, start + len(items)))}, efter årets sista paragraf, eftersom ett "
            "senare sammanträde redan justeras; numren följer inte datumordningen."
        )
    else:
        before = numbered.filter(meeting__event__start_date__lt=meeting.date)
        start = (before.aggregate(last=models.Max("number"))["last"] or 0) + 1

    # The later paragraphs give up their numbers first: the unique constraint
    # holds after every statement, and NULL never clashes.
    for paragraph in later:
        paragraph.number = None
        paragraph.save()
    for offset, item in enumerate(items):
        paragraph = item.paragraph
        paragraph.number = start + offset
        paragraph.save()
    next_number = start + len(items)
    for later_meeting in later_meetings if later else []:
        mine = [p for p in later if p.meeting_id == later_meeting.pk]
        for paragraph in mine:
            paragraph.number = next_number
            paragraph.save()
            next_number += 1
        outcome.warnings.append(
            f"Sammanträdet {later_meeting.date:%Y-%m-%d} hade redan numrerade paragrafer; de har numrerats om till "
            f"{_span(p.number for p in mine)} så att numren följer datumen."
        )
    meeting.status = Meeting.Status.HELD
    meeting.held_at = now
    meeting.save()
    MinutesApproval.objects.create(meeting=meeting, person=meeting.chair, role=MinutesApproval.Role.CHAIR)
    for attendance in adjusters:
        MinutesApproval.objects.create(meeting=meeting, person=attendance.person, role=MinutesApproval.Role.ADJUSTER)
    return outcome


def paragraphs_for_items(*, meeting: Meeting) -> int:
    """An empty paragraph for every ärende that has none (for writing the decisions)."""
    created = 0
    for item in meeting.items.filter(paragraph__isnull=True):
        Paragraph.objects.create(meeting=meeting, item=item)
        created += 1
    return created


@transaction.atomic
def minutes_approve(*, meeting: Meeting, user, now: datetime.datetime | None = None) -> Outcome:
    """The signed-in chair or justerare approves. When the last one has, the
    meeting is justerat: locked, and archived as PDF/A with its SHA-256."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError("Det finns inget protokoll att justera för det här sammanträdet.")
    person_id = PersonContact.objects.filter(user=user).values_list("person_id", flat=True).first()
    approval = meeting.approvals.filter(person_id=person_id).first() if person_id else None
    if approval is None:
        raise ValidationError("Du är varken ordförande eller justerare för det här protokollet.")
    if approval.approved_at:
        raise ValidationError(f"Du justerade protokollet {timezone.localtime(approval.approved_at):%Y-%m-%d %H.%M}.")
    outcome = Outcome()
    deadline = meeting.date + datetime.timedelta(days=APPROVAL_DAYS)
    if timezone.localtime(now).date() > deadline:
        outcome.warnings.append(
            f"Justeringen sker senare än {APPROVAL_DAYS} dagar efter sammanträdet (senast {deadline:%Y-%m-%d})."
        )
    approval.approved_at, approval.approved_by = now, user
    approval.save()
    if not meeting.approvals.filter(approved_at__isnull=True).exists():
        meeting_finalise(meeting=meeting, now=now)
        outcome.count = 1
    return outcome


def meeting_finalise(*, meeting: Meeting, now: datetime.datetime) -> MinutesArchive:
    """Genomfört → justerat, and the minutes frozen as PDF/A-2a."""
    from .selectors import meeting_document, meeting_printed_names_take

    meeting.status = Meeting.Status.APPROVED
    meeting.approved_at = now
    meeting.printed_names = {}  # the minutes below show the registers as they are now
    # Rendered before the save: the names the archived minutes show (the template
    # reads them at render, from instances the document holds) are kept in the
    # same save as the status, which locks the row.
    document = meeting_document(meeting, public=False)
    html = render_html("meetings/pdf/protokoll.html", document)
    meeting.printed_names = meeting_printed_names_take(document)
    meeting.save()
    pdf = html_to_pdf(html, "archive")
    return MinutesArchive.objects.create(
        meeting=meeting, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(),
        weasyprint_version=weasyprint.__version__, pdf_variant=VARIANTS["archive"],
    )


@transaction.atomic
def assignment_close(*, assignment: Assignment, status: str, closed_on: datetime.date, outcome: str) -> Assignment:
    """Pågår → slutfört or avskrivet, with what came of it."""
    if assignment.status != Assignment.Status.OPEN:
        raise ValidationError("Uppdraget är redan avslutat.")
    assignment.status, assignment.closed_on, assignment.outcome = status, closed_on, outcome.strip()
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def paragraph_send_to_municipalities(*, paragraph: Paragraph, sent_on: datetime.date) -> int:
    """A joint paragraph sent to the eight kommunstyrelser; returns how many got it now."""
    if not paragraph.joint:
        raise ValidationError("Paragrafen är inte markerad som ett ärende för kommunstyrelserna.")
    if paragraph.meeting.status != Meeting.Status.APPROVED:
        raise ValidationError("Protokollsutdraget skickas när protokollet är justerat.")
    if sent_on < paragraph.meeting.date:
        raise ValidationError("Utdraget kan inte ha skickats före sammanträdet.")
    return municipal_decisions_send(model=ParagraphAdoption, subject=paragraph, sent_on=sent_on)


@transaction.atomic
def paragraph_adoption_record(
    *, adoption: ParagraphAdoption, decided_on: datetime.date, assembly: str, decision_paragraph: str,
    reference: str = "", announced_on: datetime.date | None = None, status: str = ParagraphAdoption.Status.DECIDED,
) -> ParagraphAdoption:
    """A kommunstyrelse's decision on a joint paragraph."""
    adoption.status, adoption.decided_on, adoption.assembly = status, decided_on, assembly
    adoption.decision_paragraph, adoption.reference, adoption.announced_on = decision_paragraph, reference, announced_on
    adoption.full_clean()
    adoption.save()
    return adoption
