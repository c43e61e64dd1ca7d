"""Meetings built by the tests themselves: the seeds hold meeting dates but no
minutes, and minutes are never invented in fixtures/.

`build_meeting` makes a Samarbetskommittén meeting with one member per member
municipality (people made up for the test, named "Ledamot <kommun>"), each with an
e-mail address; `approver` gives a member a login to justera with."""
import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from calendar_app.models import Event
from meetings.models import AgendaDocument, AgendaItem, Attendance, Meeting, Paragraph, PersonContact
from meetings.services import meeting_attendance_from_members, paragraphs_for_items
from plans.models import Body, Membership, Municipality, Person
from sodertorn.dates import Precision
from tests.plans.conftest import page_text, pdf_text  # noqa: F401  (shared helpers)

YEAR = 2026


def tiny_pdf(title="Handling") -> bytes:
    """A one-page PDF made with pypdf, for upload tests."""
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def members(body: Body, year: int = YEAR) -> list[Person]:
    people = []
    for municipality in Municipality.objects.members().order_by("name"):
        person, _ = Person.objects.get_or_create(
            name=f"Ledamot {municipality.name} {body.slug}", municipality=municipality,
            defaults={"title": "Kommunstyrelsens ordförande"},
        )
        Membership.objects.get_or_create(body=body, person=person, municipality=municipality, start_year=year, end_year=year)
        PersonContact.objects.get_or_create(person=person, defaults={"email": f"{municipality.slug}.{body.slug}@example.se"})
        people.append(person)
    return people


def make_event(body: Body, date: datetime.date) -> Event:
    event = Event(
        kind=Event.Kind.MEETING, body=body, year=date.year, date_precision=Precision.DAY, start_date=date,
        start_time=datetime.time(12), end_time=datetime.time(15), place=Municipality.objects.get(slug="huddinge"),
    )
    event.full_clean()
    event.save()
    return event


def build_meeting(date: datetime.date, *, body_slug="samarbetskommitten", items=("Verksamhetsplan", "Remissvar")) -> Meeting:
    body = Body.objects.get(slug=body_slug)
    people = members(body, date.year)
    meeting = Meeting(event=make_event(body, date), chair=people[0], secretary=people[1])
    meeting.full_clean()
    meeting.save()
    for position, title in enumerate(items, start=1):
        AgendaItem.objects.create(meeting=meeting, position=position, title=title, presenter="Kansliet",
                                  proposal=f"Kansliet föreslår att **{title.lower()}** godkänns.")
    paragraphs_for_items(meeting=meeting)
    return meeting


def write_minutes(meeting: Meeting, adjusters=2, joint=()) -> None:
    """Attendance from the year's members, justerare among them, and a decision per item."""
    meeting_attendance_from_members(meeting=meeting)
    chosen = Attendance.objects.filter(meeting=meeting).exclude(person=meeting.chair).order_by("municipality__name")[:adjusters]
    for attendance in chosen:
        attendance.adjuster = True
        attendance.full_clean()
        attendance.save()
    for paragraph in Paragraph.objects.filter(meeting=meeting).select_related("item"):
        paragraph.decision = f"att godkänna {paragraph.item.title.lower()}\natt uppdra åt kansliet att redovisa arbetet"
        paragraph.joint = paragraph.item.title in joint
        paragraph.save()


def approver(person: Person, username: str) -> User:
    user = User.objects.create_user(username, password="justera-lösen-1")
    contact, _ = PersonContact.objects.get_or_create(person=person)
    contact.user = user
    contact.save()
    return user


def attach_document(item: AgendaItem, title="Förslag till yttrande") -> AgendaDocument:
    document = AgendaDocument(item=item, title=title, file=SimpleUploadedFile("forslag.pdf", tiny_pdf(), "application/pdf"))
    document.full_clean()
    document.save()
    return document


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def text_of():
    return page_text


@pytest.fixture
def pdf_text_of():
    return pdf_text
