"""A meeting's life: kallelse → protokoll → justering, and the rules that keep
minutes what they were."""
import datetime
import hashlib
import io

import pypdf
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from calendar_app.models import Event
from meetings.models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    Locked,
    Meeting,
    MinutesApproval,
    Paragraph,
)
from meetings.services import meeting_draw_up_minutes, meeting_send_notice, minutes_approve
from plans.models import Body
from sodertorn.dates import Precision

from .conftest import approver, attach_document, build_meeting, make_event, write_minutes

pytestmark = pytest.mark.django_db


def at(date: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


def held(date: datetime.date, joint=(), **kwargs) -> Meeting:
    meeting = build_meeting(date, **kwargs)
    meeting_send_notice(meeting=meeting, now=at(date - datetime.timedelta(days=10)))
    write_minutes(meeting, joint=joint)
    meeting_draw_up_minutes(meeting=meeting, now=at(date, 16))
    meeting.refresh_from_db()
    return meeting


def approve_all(meeting: Meeting, when: datetime.datetime):
    outcomes = []
    for i, approval in enumerate(meeting.approvals.select_related("person")):
        user = approver(approval.person, f"justerare{meeting.pk}-{i}")
        outcomes.append(minutes_approve(meeting=meeting, user=user, now=when))
    meeting.refresh_from_db()
    return outcomes


def test_a_meeting_needs_an_exact_undisputed_date_of_a_body():
    body = Body.objects.get(slug="samarbetskommitten")
    event = make_event(body, datetime.date(2026, 3, 5))
    Event.objects.filter(pk=event.pk).update(date_precision=Precision.MONTH, month=3, start_date=None)
    event.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        Meeting(event=event).full_clean()
    assert "exakt datum" in str(error.value)


def test_one_meeting_per_body_and_day():
    meeting = build_meeting(datetime.date(2026, 3, 5))
    twin = make_event(meeting.body, datetime.date(2026, 3, 5))
    with pytest.raises(ValidationError) as error:
        Meeting(event=twin).full_clean()
    assert "har redan ett sammanträde 2026-03-05" in str(error.value)


def test_the_kallelse_goes_to_every_member_with_the_agenda_and_a_pdf(mailoutbox):
    meeting = build_meeting(datetime.date(2026, 3, 5))
    attach_document(meeting.items.first())
    outcome = meeting_send_notice(meeting=meeting, now=at(datetime.date(2026, 2, 20)))
    assert outcome.count == 8 and outcome.warnings == []
    [mail] = mailoutbox
    assert len(mail.to) == 8 and "huddinge.samarbetskommitten@example.se" in mail.to
    assert mail.subject == "Kallelse till södertörnskommunernas samarbetskommitté 2026-03-05"
    assert "1. Verksamhetsplan (föredragande: Kansliet)" in mail.body
    assert "Handling: Förslag till yttrande" in mail.body
    assert "torsdag 5 mars 2026 kl. 12.00–15.00" in mail.body
    name, content, mimetype = mail.attachments[0]
    assert name == "kallelse-samarbetskommitten-2026-03-05.pdf" and content.startswith(b"%PDF-")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.NOTICED and not meeting.notice_late
    assert meeting.history.first().status == Meeting.Status.NOTICED


def test_a_late_kallelse_is_sent_with_a_warning(mailoutbox):
    meeting = build_meeting(datetime.date(2026, 3, 5))
    outcome = meeting_send_notice(meeting=meeting, now=at(datetime.date(2026, 3, 2)))
    assert outcome.warnings == ["Kallelsen går ut senare än 7 dagar före sammanträdet (senast 2026-02-26)."]
    meeting.refresh_from_db()
    assert meeting.notice_late and len(mailoutbox) == 1


def test_members_without_e_mail_are_named(mailoutbox):
    meeting = build_meeting(datetime.date(2026, 3, 5))
    meeting.chair.contact.email = ""
    meeting.chair.contact.save()
    outcome = meeting_send_notice(meeting=meeting, now=at(datetime.date(2026, 2, 1)))
    assert outcome.count == 7
    assert outcome.warnings == [f"Saknar e-postadress och fick ingen kallelse: {meeting.chair.name}."]


def test_the_kallelse_refuses_an_empty_agenda_and_a_second_sending():
    meeting = build_meeting(datetime.date(2026, 3, 5), items=())
    with pytest.raises(ValidationError, match="Dagordningen är tom"):
        meeting_send_notice(meeting=meeting, now=at(datetime.date(2026, 2, 1)))
    AgendaItem.objects.create(meeting=meeting, title="Ett ärende")
    meeting_send_notice(meeting=meeting, now=at(datetime.date(2026, 2, 1)))
    with pytest.raises(ValidationError, match="Kallelsen har redan gått ut"):
        meeting_send_notice(meeting=meeting, now=at(datetime.date(2026, 2, 2)))


def test_paragraphs_are_numbered_continuously_per_body_and_year_across_meetings():
    first = held(datetime.date(2026, 2, 5))
    second = held(datetime.date(2026, 3, 5), items=("Budget", "Remiss", "Övrigt"))
    other_body = held(datetime.date(2026, 3, 6), body_slug="ledningsgruppen")
    next_year = held(datetime.date(2027, 1, 14))
    numbers = lambda m: list(m.paragraphs.order_by("number").values_list("number", flat=True))  # noqa: E731
    assert numbers(first) == [1, 2]
    assert numbers(second) == [3, 4, 5]
    assert numbers(other_body) == [1, 2]
    assert numbers(next_year) == [1, 2]


def test_minutes_are_numbered_in_date_order_even_when_drawn_up_out_of_it():
    early = build_meeting(datetime.date(2026, 2, 5))
    meeting_send_notice(meeting=early, now=at(datetime.date(2026, 1, 20)))
    late = held(datetime.date(2026, 3, 5))
    write_minutes(early)
    meeting_draw_up_minutes(meeting=early, now=at(datetime.date(2026, 3, 10)))
    numbers = lambda m: sorted(m.paragraphs.values_list("number", flat=True))  # noqa: E731
    assert numbers(early) == [1, 2] and numbers(late) == [3, 4]


def test_minutes_need_a_decision_per_item_and_adjusters_among_those_present():
    meeting = build_meeting(datetime.date(2026, 3, 5))
    meeting_send_notice(meeting=meeting, now=at(datetime.date(2026, 2, 1)))
    with pytest.raises(ValidationError, match="Välj minst en justerare"):
        meeting_draw_up_minutes(meeting=meeting, now=at(datetime.date(2026, 3, 5), 16))
    write_minutes(meeting)
    absent = Attendance.objects.filter(meeting=meeting, adjuster=False).exclude(person=meeting.chair).first()
    absent.present, absent.adjuster = False, True
    with pytest.raises(ValidationError) as error:
        absent.full_clean()
    assert error.value.message_dict["adjuster"] == ["Justerare väljs bland de närvarande."]
    Paragraph.objects.filter(meeting=meeting, item__title="Remissvar").update(decision="")
    with pytest.raises(ValidationError, match="Skriv beslutet .* Remissvar"):
        meeting_draw_up_minutes(meeting=meeting, now=at(datetime.date(2026, 3, 5), 16))


def test_nothing_is_deleted_once_kallat():
    meeting = build_meeting(datetime.date(2026, 3, 5))
    extra = AgendaItem.objects.create(meeting=meeting, title="Strykes före kallelsen")
    extra.delete()  # allowed while planerat
    meeting_send_notice(meeting=meeting, now=at(datetime.date(2026, 2, 1)))
    item = meeting.items.first()
    for attempt in (meeting.delete, item.delete, item.paragraph.delete,
                    AgendaItem.objects.filter(meeting=meeting).delete, Meeting.objects.filter(pk=meeting.pk).delete):
        with pytest.raises(ValidationError):
            attempt()
    assert meeting.items.count() == 2 and Meeting.objects.filter(pk=meeting.pk).exists()


def test_chair_and_two_adjusters_approve_then_the_minutes_are_locked_and_archived():
    meeting = held(datetime.date(2026, 3, 5))
    roles = sorted(meeting.approvals.values_list("role", flat=True))
    assert roles == ["adjuster", "adjuster", "chair"]
    outcomes = approve_all(meeting, at(datetime.date(2026, 3, 12)))
    assert [o.count for o in outcomes] == [0, 0, 1] and all(not o.warnings for o in outcomes)
    assert meeting.status == Meeting.Status.APPROVED and meeting.approved_at is not None
    assert not MinutesApproval.objects.filter(meeting=meeting, approved_at__isnull=True).exists()
    archive = meeting.archive
    assert hashlib.sha256(bytes(archive.pdf)).hexdigest() == archive.sha256
    assert archive.pdf_variant == "pdf/a-2a"
    pdf = pypdf.PdfReader(io.BytesIO(bytes(archive.pdf)))
    assert b"pdfaid:part" in pdf.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert "/StructTreeRoot" in pdf.trailer["/Root"] and pdf.trailer["/Root"]["/Lang"] == "sv"
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "§ 1 Verksamhetsplan" in text and "att godkänna verksamhetsplan" in text
    # Every state change is in the history, with who approved.
    statuses = list(meeting.history.order_by("history_id").values_list("status", flat=True))
    assert statuses == ["planned", "noticed", "held", "approved"]
    assert MinutesApproval.history.filter(approved_by__isnull=False).count() == 3

    item = meeting.items.first()
    item.title = "Ändrat i efterhand"
    paragraph = item.paragraph
    paragraph.decision = "att ändra i efterhand"
    meeting.chair = None
    for attempt in (
        item.save, paragraph.save, meeting.save,
        lambda: Paragraph.objects.filter(meeting=meeting).update(decision="att ändra"),
        lambda: Meeting.objects.filter(pk=meeting.pk).update(chair=None),
        lambda: AgendaItem.objects.create(meeting=meeting, title="Nytt"),
    ):
        with pytest.raises(Locked):
            attempt()
    assert AgendaItem.objects.get(pk=item.pk).title == "Verksamhetsplan"


def test_the_database_refuses_a_paragraph_number_twice():
    """The last guard behind the lock taken while numbering."""
    from django.db import IntegrityError, transaction

    first = held(datetime.date(2026, 2, 5))
    other = build_meeting(datetime.date(2026, 3, 5))
    paragraph = other.paragraphs.first()
    paragraph.number = 1
    with pytest.raises(IntegrityError), transaction.atomic():
        paragraph.save()
    assert first.paragraphs.filter(number=1).count() == 1


def test_a_late_justering_warns():
    meeting = held(datetime.date(2026, 3, 5))
    outcomes = approve_all(meeting, at(datetime.date(2026, 3, 20)))
    assert outcomes[0].warnings == ["Justeringen sker senare än 14 dagar efter sammanträdet (senast 2026-03-19)."]


def test_only_the_chair_and_the_adjusters_approve_and_only_once(lasare_user):
    meeting = held(datetime.date(2026, 3, 5))
    with pytest.raises(ValidationError, match="varken ordförande eller justerare"):
        minutes_approve(meeting=meeting, user=lasare_user, now=at(datetime.date(2026, 3, 6)))
    chair = approver(meeting.chair, "ordforande")
    minutes_approve(meeting=meeting, user=chair, now=at(datetime.date(2026, 3, 6)))
    with pytest.raises(ValidationError, match="Du justerade protokollet 2026-03-06"):
        minutes_approve(meeting=meeting, user=chair, now=at(datetime.date(2026, 3, 7)))


def test_handlingar_are_pdfs_checked_like_protocols():
    meeting = build_meeting(datetime.date(2026, 3, 5))
    fake = AgendaDocument(item=meeting.items.first(), title="Inte en PDF",
                          file=SimpleUploadedFile("forslag.pdf", b"<html>hej</html>", "application/pdf"))
    with pytest.raises(ValidationError) as error:
        fake.full_clean()
    assert error.value.message_dict["file"] == ["Filen heter .pdf men är inte en PDF. Ladda upp handlingen som PDF."]
    word = AgendaDocument(item=meeting.items.first(), title="Word", file=SimpleUploadedFile("forslag.docx", b"PK..", "application/msword"))
    with pytest.raises(ValidationError) as error:
        word.full_clean()
    assert error.value.message_dict["file"] == ["Handlingen ska vara en PDF-fil (.pdf)."]


def test_the_roles_get_the_meeting_permissions():
    reader = Group.objects.get(name="Läsare").permissions.filter(content_type__app_label="meetings")
    secretariat = Group.objects.get(name="Sekretariat").permissions.filter(content_type__app_label="meetings")
    assert set(reader.values_list("codename", flat=True)) == {"view_unapproved", "view_assignment", "view_paragraphadoption"}
    assert {"change_meeting", "add_agendaitem", "view_unapproved", "change_paragraphadoption"} <= set(
        secretariat.values_list("codename", flat=True)
    )
    assert not secretariat.filter(content_type__model__startswith="historical").exists()


def test_once_a_justerare_has_approved_the_minutes_stay_as_approved():
    meeting = held(datetime.date(2026, 3, 5))
    first = meeting.approvals.filter(role=MinutesApproval.Role.ADJUSTER).select_related("person").first()
    minutes_approve(meeting=meeting, user=approver(first.person, "forste"), now=at(datetime.date(2026, 3, 6)))
    paragraph = meeting.paragraphs.first()
    paragraph.decision = "att göra något annat"
    with pytest.raises(Locked, match="Justeringen har börjat"):
        paragraph.save()
    assert meeting.minutes_frozen


def test_the_calendar_cannot_move_a_meeting_once_kallat():
    meeting = build_meeting(datetime.date(2026, 3, 5))
    event = meeting.event
    event.start_time = datetime.time(13)
    event.save()  # the time may still change
    meeting_send_notice(meeting=meeting, now=at(datetime.date(2026, 2, 1)))
    event.refresh_from_db()
    event.note = "Lokal: Huddinge kommunhus"
    event.save()  # so may a note
    event.start_date = datetime.date(2026, 3, 12)
    with pytest.raises(ValidationError, match="Sammanträdet 2026-03-05 är kallat; datum och organ kan inte ändras"):
        event.save()
    assert Event.objects.get(pk=event.pk).start_date == datetime.date(2026, 3, 5)
