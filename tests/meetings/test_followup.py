"""Decisions that go on living: uppdrag followed up, and a joint paragraph adopted
by the eight kommunstyrelser, with anslag, appeal period and laga kraft."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from meetings.models import Assignment, ParagraphAdoption
from meetings.selectors import adoption_summary, adoptions_to_remind
from meetings.services import assignment_close, paragraph_adoption_record, paragraph_send_to_municipalities
from plans.models import Body, Network

from .test_flow import approve_all, at, held

pytestmark = pytest.mark.django_db
DATE = datetime.date(2026, 3, 5)


@pytest.fixture
def paragraph():
    """§ 2 Remissvar, a joint matter for the kommunstyrelser, in justerade minutes."""
    meeting = held(DATE, joint=("Remissvar",))
    approve_all(meeting, at(DATE + datetime.timedelta(days=2)))
    return meeting.paragraphs.get(number=2)


def test_an_assignment_names_one_recipient_and_an_existing_att_clause(paragraph):
    body = Body.objects.get(slug="ledningsgruppen")
    network = Network.objects.first()
    both = Assignment(paragraph=paragraph, clause=2, description="Redovisa", to_body=body, to_network=network)
    with pytest.raises(ValidationError) as error:
        both.full_clean()
    assert "exakt en mottagare" in error.value.message_dict["to_body"][0]
    wrong = Assignment(paragraph=paragraph, clause=3, description="Redovisa", to_body=body)
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert error.value.message_dict["clause"] == ["Beslutet har 2 att-satser."]
    ok = Assignment(paragraph=paragraph, clause=2, description="Redovisa", to_body=body, due_date=DATE)
    ok.full_clean()
    ok.save()
    assert ok.clause_text == "att uppdra åt kansliet att redovisa arbetet"
    assert ok.assignee == body.name


def test_closing_an_assignment_needs_its_outcome_and_is_in_the_history(paragraph):
    assignment = Assignment.objects.create(paragraph=paragraph, clause=2, description="Redovisa",
                                           to_body=paragraph.body, due_date=DATE + datetime.timedelta(days=30))
    assert assignment.is_overdue(DATE + datetime.timedelta(days=31))
    with pytest.raises(ValidationError) as error:
        assignment_close(assignment=assignment, status=Assignment.Status.DONE, closed_on=DATE, outcome=" ")
    assert "Redovisa vad som blev gjort." in error.value.messages
    assignment.refresh_from_db()
    assignment_close(assignment=assignment, status=Assignment.Status.DONE, closed_on=DATE + datetime.timedelta(days=20),
                     outcome="Redovisat för ledningsgruppen.")
    assert list(assignment.history.order_by("history_id").values_list("status", flat=True)) == ["open", "done"]
    assert not assignment.is_overdue(DATE + datetime.timedelta(days=31))
    with pytest.raises(ValidationError):
        assignment.delete()


def test_a_joint_paragraph_goes_to_the_eight_kommunstyrelser(paragraph):
    not_joint = paragraph.meeting.paragraphs.get(number=1)
    with pytest.raises(ValidationError, match="inte markerad"):
        paragraph_send_to_municipalities(paragraph=not_joint, sent_on=DATE)
    assert paragraph_send_to_municipalities(paragraph=paragraph, sent_on=DATE + datetime.timedelta(days=3)) == 8
    assert paragraph_send_to_municipalities(paragraph=paragraph, sent_on=DATE + datetime.timedelta(days=4)) == 0
    summary = adoption_summary(paragraph, today=DATE + datetime.timedelta(weeks=10))
    assert (summary["decided_count"], summary["total"]) == (0, 8)
    assert len(summary["late"]) == 8  # DECISION_REMINDER_WEEKS (8) have passed
    assert len(adoptions_to_remind(DATE + datetime.timedelta(weeks=10))) == 8
    assert len(adoptions_to_remind(DATE + datetime.timedelta(weeks=8))) == 0


def test_the_follow_up_page_names_the_kommunstyrelser_to_remind(paragraph, lasare, text_of):
    paragraph_send_to_municipalities(paragraph=paragraph, sent_on=datetime.date(2026, 3, 10))
    haninge = paragraph.adoptions.get(municipality__slug="haninge")
    paragraph_adoption_record(adoption=haninge, decided_on=datetime.date(2026, 4, 13), assembly="ks", decision_paragraph="§ 57")
    text = text_of(lasare.get("/uppdrag/"))  # today is long after March 2026 + eight weeks
    assert "Botkyrka: Samarbetskommittén § 2/2026 Remissvar , skickad 10 mars 2026" in text
    assert "Haninge: Samarbetskommittén" not in text


def test_anslag_gives_the_end_of_the_appeal_period_and_laga_kraft(paragraph):
    adoption = ParagraphAdoption.objects.create(
        paragraph=paragraph, municipality=paragraph.meeting.event.place, status=ParagraphAdoption.Status.SENT, sent_on=DATE,
    )
    with pytest.raises(ValidationError) as error:
        paragraph_adoption_record(adoption=adoption, decided_on=DATE - datetime.timedelta(days=1), assembly="ks",
                                  decision_paragraph="§ 12")
    assert "kan inte ligga före sammanträdet" in " ".join(error.value.messages)
    adoption.refresh_from_db()
    paragraph_adoption_record(adoption=adoption, decided_on=datetime.date(2026, 4, 13), assembly="ks",
                              decision_paragraph="§ 57", reference="KS-2026/123", announced_on=datetime.date(2026, 4, 15))
    assert adoption.appeal_ends == datetime.date(2026, 5, 6)
    assert not adoption.has_legal_force(datetime.date(2026, 5, 6))
    assert adoption.has_legal_force(datetime.date(2026, 5, 7))


def test_the_meeting_page_shows_x_of_8_and_laga_kraft(paragraph, text_of):
    paragraph_send_to_municipalities(paragraph=paragraph, sent_on=DATE + datetime.timedelta(days=3))
    for adoption in paragraph.adoptions.order_by("municipality__name")[:3]:
        paragraph_adoption_record(adoption=adoption, decided_on=datetime.date(2026, 4, 13), assembly="ks",
                                  decision_paragraph="§ 57", announced_on=datetime.date(2026, 4, 15))
    text = text_of(Client().get(paragraph.meeting.get_absolute_url()))
    assert "3 av 8 har antagit" in text
    assert "Ja, sedan 6 maj 2026" in text  # the appeal period ended (today is later)
