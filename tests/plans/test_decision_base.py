"""A municipality's decision, whatever it decides on: the plan (plans.MunicipalDecision)
or a joint paragraph of the minutes (meetings.ParagraphAdoption). Both are one
abstract base (plans/decisions.py), so every rule here holds for both alike:
optimistic locking, the protocol file, the validation messages, the sending loop."""
import datetime
import io
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import ParagraphAdoption
from meetings.services import paragraph_send_to_municipalities
from plans.decisions import MunicipalDecisionBase
from plans.models import MunicipalDecision, Municipality
from plans.services import municipal_decisions_mark_sent
from sodertorn.locking import StaleEdit
from tests import factories

pytestmark = pytest.mark.django_db


def _one_page_pdf() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = _one_page_pdf()


@dataclass
class Subject:
    """What the municipalities decide on, and the dates that fit it."""

    model: type[MunicipalDecisionBase]
    record: object  # the plan or the paragraph
    sent_on: datetime.date
    decided_on: datetime.date
    what: str  # as the messages name it ("planen", "ärendet")

    def decision(self, slug="haninge", **fields):
        municipality = Municipality.objects.get(slug=slug)
        return self.model.objects.create(municipality=municipality, **{self.model.subject_field: self.record}, **fields)

    def send(self, sent_on):
        if self.model is MunicipalDecision:
            return municipal_decisions_mark_sent(plan=self.record, sent_on=sent_on)
        return paragraph_send_to_municipalities(paragraph=self.record, sent_on=sent_on)


def decided_plan(decided_on=datetime.date(2030, 1, 15)) -> Subject:
    """A plan the committee decided on `decided_on` (tests/factories.py)."""
    plan = factories.decided_plan(decided_on=decided_on)
    return Subject(MunicipalDecision, plan, decided_on + datetime.timedelta(days=5),
                   decided_on + datetime.timedelta(days=26), "planen")


def joint_paragraph() -> Subject:
    """The joint paragraph of a meeting on 5 March 2026, justerat on 9 March."""
    from tests.meetings.test_flow import approve_all, at, held

    meeting = held(datetime.date(2026, 3, 5), joint=("Remissvar",), items=("Verksamhetsplan", "Remissvar"))
    approve_all(meeting, at(datetime.date(2026, 3, 9)))
    return Subject(ParagraphAdoption, meeting.paragraphs.get(joint=True),
                   datetime.date(2026, 3, 10), datetime.date(2026, 4, 13), "ärendet")


@pytest.fixture(params=[decided_plan, joint_paragraph], ids=["plan", "paragraph"])
def subject(request, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return request.param()


def test_both_models_share_one_base():
    for model in (MunicipalDecision, ParagraphAdoption):
        assert issubclass(model, MunicipalDecisionBase)
        names = {field.name for field in model._meta.get_fields()}
        assert {"municipality", "status", "sent_on", "decided_on", "assembly", "decision_paragraph", "reference",
                "protocol", "protocol_url", "version"} <= names
        assert model.history.model._meta.get_field("decision_paragraph")


def test_of_two_saves_from_one_loaded_version_the_second_is_refused(subject):
    decision = subject.decision(status="sent", sent_on=subject.sent_on)
    mine, theirs = (subject.model.objects.get(pk=decision.pk) for _ in range(2))
    theirs.reference = "KS 2026/1"
    theirs.save()
    mine.reference = "KS 2026/2"
    with pytest.raises(StaleEdit, match="Någon annan har sparat .* medan du redigerade"):
        mine.save()
    assert subject.model.objects.get(pk=decision.pk).reference == "KS 2026/1"


def test_a_replaced_protocol_file_is_removed_after_the_commit(subject, django_capture_on_commit_callbacks):
    decision = subject.decision(status="sent", sent_on=subject.sent_on)
    decision.protocol = SimpleUploadedFile("utdrag.pdf", PDF, "application/pdf")
    decision.full_clean()
    decision.save()
    first = decision.protocol.path

    decision.protocol = SimpleUploadedFile("utdrag.pdf", PDF, "application/pdf")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decision.save()
    second = decision.protocol.path
    assert first != second
    assert open(first, "rb").read() == PDF, "removed before the commit: a rollback would leave the row without it"
    for callback in callbacks:
        callback()
    with pytest.raises(FileNotFoundError):
        open(first, "rb")

    decision.protocol = None
    with django_capture_on_commit_callbacks(execute=True):
        decision.save()
    with pytest.raises(FileNotFoundError):
        open(second, "rb")


def errors_of(decision) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        decision.full_clean()
    return exc.value.message_dict


def test_a_decision_needs_its_date_paragraph_and_assembly(subject):
    decision = subject.decision(status="sent", sent_on=subject.sent_on)
    decision.status = subject.model.Status.DECIDED
    errors = errors_of(decision)
    assert errors["decided_on"] == ["Ett beslut behöver ett beslutsdatum."]
    assert errors["decision_paragraph"] == ["Ett beslut behöver en paragraf (§)."]
    assert errors["assembly"] == ["Ange om kommunstyrelsen eller fullmäktige beslutade."]


def test_a_date_without_a_decision_and_a_status_without_sending_are_refused(subject):
    decision = subject.decision()
    decision.status, decision.decided_on = subject.model.Status.SENT, subject.decided_on
    errors = errors_of(decision)
    assert errors["status"] == ["Det finns ett beslutsdatum; välj vilket beslut kommunen fattade."]
    assert errors["sent_on"] == [f"Ange när {subject.what} skickades till kommunen."]


def test_a_decision_cannot_predate_the_sending(subject):
    decision = subject.decision(status="sent", sent_on=subject.decided_on + datetime.timedelta(days=1))
    decision.status, decision.decided_on, decision.assembly, decision.decision_paragraph = "decided", subject.decided_on, "ks", "§ 4"
    assert errors_of(decision)["decided_on"] == [f"Beslutsdatumet ligger före datumet då {subject.what} skickades."]


def test_only_a_member_municipality_decides_and_the_link_is_https(subject):
    outsider = Municipality.objects.create(name="Nacka", slug="nacka", is_member=False)
    decision = subject.model(municipality=outsider, protocol_url="http://nacka.se/protokoll.pdf",
                             **{subject.model.subject_field: subject.record})
    errors = errors_of(decision)
    assert errors["municipality"] == ["Nacka är inte medlem i samverkan."]
    assert errors["protocol_url"] == ["Ange en https-länk."]


def test_a_protocol_must_be_a_pdf(subject):
    decision = subject.decision(status="sent", sent_on=subject.sent_on)
    decision.protocol = SimpleUploadedFile("utdrag.pdf", b"inte en pdf", "application/pdf")
    assert "protocol" in errors_of(decision)


def test_sending_marks_every_member_not_yet_sent_once(subject):
    earlier = subject.sent_on
    subject.decision("botkyrka", status="sent", sent_on=earlier)
    later = subject.sent_on + datetime.timedelta(days=1)

    assert subject.send(later) == 7
    assert subject.send(later + datetime.timedelta(days=1)) == 0

    rows = subject.model.objects.filter(**{subject.model.subject_field: subject.record})
    assert rows.count() == Municipality.objects.members().count() == 8
    assert dict(rows.values_list("municipality__slug", "sent_on"))["botkyrka"] == earlier
    assert set(rows.exclude(municipality__slug="botkyrka").values_list("status", "sent_on")) == {("sent", later)}


@pytest.mark.parametrize("days_after, late", [(0, False), (1, True)])
def test_a_decision_is_late_only_once_the_reminder_weeks_have_passed(subject, settings, days_after, late):
    settings.DECISION_REMINDER_WEEKS = 4
    decision = subject.decision(status="sent", sent_on=subject.sent_on)
    today = subject.sent_on + datetime.timedelta(weeks=4, days=days_after)
    assert decision.is_late(today) is late
    late_rows = subject.model.objects.late(today).filter(**{subject.model.subject_field: subject.record})
    assert list(late_rows) == ([decision] if late else [])


def test_the_plans_reminder_list_follows_the_same_rule(settings):
    """The plan's decisions page lists as overdue exactly those that are late."""
    from django.utils import timezone

    from plans.selectors import municipal_decisions

    settings.DECISION_REMINDER_WEEKS = 4
    today = timezone.localdate()
    subject = decided_plan(decided_on=today - datetime.timedelta(weeks=10))
    subject.decision("botkyrka", status="sent", sent_on=today - datetime.timedelta(weeks=4))
    subject.decision("haninge", status="sent", sent_on=today - datetime.timedelta(weeks=4, days=1))
    overdue = municipal_decisions(subject.record)["overdue"]
    assert [d.municipality.slug for d in overdue] == ["haninge"]
