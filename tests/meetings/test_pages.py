"""The meeting pages and PDFs per role: the public reads justerade minutes (items
not for publication left out), Läsare read drafts and handlingar."""
import datetime
import io

import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import AgendaItem, Assignment

from .conftest import attach_document, build_meeting
from .test_flow import approve_all, at, held

pytestmark = pytest.mark.django_db
DATE = datetime.date(2026, 3, 5)


def url(name, meeting, *args):
    return reverse(f"meetings:{name}", args=[meeting.event.body.slug, meeting.date, *args])


@pytest.fixture
def approved():
    meeting = build_meeting(DATE, items=("Verksamhetsplan", "Personalärende", "Remissvar"))
    AgendaItem.objects.filter(meeting=meeting, title="Personalärende").update(not_for_publication=True)
    attach_document(meeting.items.get(title="Remissvar"))
    from meetings.services import meeting_draw_up_minutes, meeting_send_notice

    from .conftest import write_minutes

    meeting_send_notice(meeting=meeting, now=at(DATE - datetime.timedelta(days=10)))
    write_minutes(meeting)
    meeting_draw_up_minutes(meeting=meeting, now=at(DATE, 16))
    meeting.refresh_from_db()
    approve_all(meeting, at(DATE + datetime.timedelta(days=3)))
    return meeting


def test_an_unapproved_meeting_is_hidden_from_the_public_and_shown_to_readers(anonym, lasare_user, client, text_of):
    meeting = held(DATE)
    for name in ("meeting_detail", "kallelse_pdf", "protokoll_pdf"):
        assert anonym.get(url(name, meeting)).status_code == 404
    assert anonym.get(url("extract_pdf", meeting, 1)).status_code == 404
    assert meeting.get_absolute_url() == "/sammantraden/samarbetskommitten/2026-03-05/"
    client.force_login(lasare_user)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    text = text_of(response)
    assert "Status Genomfört" in text and "Protokollet är inte justerat" in text
    assert "§ 1 Verksamhetsplan" in text and "Samarbetskommittén beslutar" in text
    draft = client.get(url("protokoll_pdf", meeting))
    assert draft["Content-Type"] == "application/pdf" and "X-Archive-SHA256" not in draft


def test_the_justerade_minutes_are_public_without_the_items_not_for_publication(anonym, approved, text_of, pdf_text_of):
    response = anonym.get(approved.get_absolute_url())
    text = text_of(response)
    assert "§ 1 Verksamhetsplan" in text and "§ 3 Remissvar" in text
    assert "Personalärende" not in text and "§ 2" not in text
    assert "Ärenden som inte publiceras är utelämnade" in text
    assert "Förslag till yttrande" not in text  # handlingar are for readers
    protocol = anonym.get(url("protokoll_pdf", approved))
    assert "X-Archive-SHA256" not in protocol  # the complete archive holds the hidden item
    assert "Personalärende" not in pdf_text_of(protocol.content)
    assert anonym.get(url("extract_pdf", approved, 2)).status_code == 404
    extract = anonym.get(url("extract_pdf", approved, 3))
    assert extract.status_code == 200
    extract_text = pdf_text_of(extract.content)
    assert "Protokollsutdrag" in extract_text and "§ 3 Remissvar" in extract_text and "Verksamhetsplan" not in extract_text
    assert 'filename="protokollsutdrag-samarbetskommitten-2026-paragraf-3.pdf"' in extract["Content-Disposition"]


def test_the_archived_minutes_are_served_byte_for_byte(lasare, approved):
    response = lasare.get(url("protokoll_pdf", approved))
    assert response.content == bytes(approved.archive.pdf)
    assert response["X-Archive-SHA256"] == approved.archive.sha256


def test_a_meeting_without_hidden_items_serves_its_archive_to_everyone(anonym):
    meeting = held(DATE)
    approve_all(meeting, at(DATE + datetime.timedelta(days=2)))
    response = anonym.get(url("protokoll_pdf", meeting))
    assert response.content == bytes(meeting.archive.pdf)


def test_the_kallelse_pdf_is_tagged_swedish_and_lists_the_agenda(lasare, pdf_text_of):
    meeting = build_meeting(DATE)
    attach_document(meeting.items.first())
    from meetings.services import meeting_send_notice

    meeting_send_notice(meeting=meeting, now=at(DATE - datetime.timedelta(days=10)))
    response = lasare.get(url("kallelse_pdf", meeting))
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv" and "/StructTreeRoot" in root
    assert reader.metadata.title == "Kallelse Samarbetskommittén 5 mars 2026"
    text = pdf_text_of(response.content)
    assert "Dagordning" in text and "Verksamhetsplan" in text and "Förslag till yttrande" in text
    assert "torsdag 5 mars 2026" in text and "12.00–15.00" in text


def test_handlingar_are_served_to_readers_only(anonym, lasare_user, client, approved):
    document = approved.items.get(title="Remissvar").documents.get()
    link = url("document_file", approved, document.pk)
    assert anonym.get(link).status_code == 302
    client.force_login(lasare_user)
    page = client.get(approved.get_absolute_url())
    assert link in page.content.decode()
    response = client.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_justerare_sees_the_draft_and_approves_on_the_page(client, text_of):
    from .conftest import approver

    meeting = held(DATE)
    user = approver(meeting.chair, "ordforanden")
    client.force_login(user)
    page = client.get(meeting.get_absolute_url())
    assert f"Justera protokollet som {meeting.chair.name}" in text_of(page)
    response = client.post(url("approve", meeting), follow=True)
    assert "Din justering är registrerad." in text_of(response)
    assert meeting.approvals.get(person=meeting.chair).approved_by == user


def test_the_lists_show_the_public_minutes_and_the_body_year(lasare, approved, text_of):
    anonym = Client()
    draft = held(datetime.date(2026, 4, 2))
    public = text_of(anonym.get("/sammantraden/"))
    assert "5 mars 2026" in public and "§ 1–3" in public and "2 april 2026" not in public
    reader = text_of(lasare.get("/sammantraden/"))
    assert "2 april 2026" in reader and "§ 4–5" in reader
    year = text_of(anonym.get("/sammantraden/samarbetskommitten/2026/"))
    assert "§ 1 Verksamhetsplan" in year and "§ 3 Remissvar" in year and "Personalärende" not in year
    assert draft.get_absolute_url() not in year


def test_the_calendar_event_links_to_its_meeting(lasare, approved):
    anonym = Client()
    unapproved = held(datetime.date(2026, 4, 2))
    assert approved.get_absolute_url() in anonym.get(approved.event.get_absolute_url()).content.decode()
    assert unapproved.get_absolute_url() not in anonym.get(unapproved.event.get_absolute_url()).content.decode()
    assert unapproved.get_absolute_url() in lasare.get(unapproved.event.get_absolute_url()).content.decode()


def test_the_assignment_list_is_for_readers_overdue_and_oldest_first(lasare, approved, text_of):
    anonym = Client()
    paragraph = approved.paragraphs.get(number=1)
    late = Assignment.objects.create(paragraph=paragraph, clause=2, description="Redovisa remissvaret",
                                     to_body=approved.event.body, due_date=datetime.date(2026, 4, 1))
    later = Assignment.objects.create(paragraph=paragraph, clause=2, description="Ta fram en tidplan",
                                      to_municipality=paragraph.meeting.event.place, due_date=datetime.date(2099, 1, 1))
    assert anonym.get("/uppdrag/").status_code == 302
    text = text_of(lasare.get("/uppdrag/"))
    assert text.index(late.description) < text.index(later.description)
    assert "(försenat)" in text and "Samarbetskommittén § 1/2026" in text and "Huddinge" in text
