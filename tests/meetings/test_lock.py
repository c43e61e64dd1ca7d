"""Issue 20, found 2: a justerat meeting does not change through ordinary ORM calls.

Each attempt was accepted on the old main (the meetings app had hand-written
guards on save and two queryset methods). The meeting is now a lock owner of the
generic lock (sodertorn/lock.py), its parts and its calendar event under it, in
Python and in the database."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet

from calendar_app.models import Event
from meetings.models import AgendaDocument, AgendaItem, Attendance, Meeting, MinutesApproval, Paragraph
from plans.models import Body, Goal, Municipality, Network

from .conftest import attach_document
from .test_flow import approve_all, at, held

pytestmark = pytest.mark.django_db

REFUSED = (ValidationError, IntegrityError)


def _refused(attempt) -> bool:
    try:
        with transaction.atomic():
            attempt()
    except REFUSED:
        return True
    return False


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def justerat():
    meeting = build_justerat(datetime.date(2026, 3, 5))
    assert meeting.status == Meeting.Status.APPROVED
    return meeting


def build_justerat(date):
    meeting = held(date)
    approve_all(meeting, at(date + datetime.timedelta(days=2)))
    return meeting


def test_no_orm_path_changes_a_justerat_meeting(justerat):
    meeting = justerat
    item = meeting.items.order_by("position").first()
    paragraph = item.paragraph
    attendance = meeting.attendance.first()
    approval = meeting.approvals.first()
    event = meeting.event
    goal = Goal.objects.first()
    network = Network.objects.first()
    other_body = Body.objects.exclude(pk=event.body_id).first()
    with transaction.atomic():  # a handling attached before justering, as a secretary would
        from sodertorn.lock import lock_bypass

        with lock_bypass("test: a handling of the justerade meeting"):
            document = attach_document(item)
    attempts = {
        "AgendaItem.bulk_create": lambda: AgendaItem.objects.bulk_create([AgendaItem(meeting=meeting, title="Smugglat")]),
        "AgendaItem.create": lambda: AgendaItem.objects.create(meeting=meeting, title="Smugglat"),
        "AgendaItem.update": lambda: AgendaItem.objects.filter(pk=item.pk).update(title="Ändrat"),
        "AgendaItem.base update": lambda: AgendaItem._base_manager.filter(pk=item.pk).update(title="Ändrat"),
        "AgendaItem.bulk_update": lambda: AgendaItem.objects.bulk_update([_with(item, title="Ändrat")], ["title"]),
        "AgendaItem.delete": lambda: AgendaItem.objects.filter(pk=item.pk).delete(),
        "Paragraph.bulk_create § 99": lambda: Paragraph.objects.bulk_create([Paragraph(
            meeting=meeting, item=AgendaItem(pk=item.pk), body_id=event.body_id, year=2026, number=99,
            decision="att smuggla")]),
        "Paragraph.update": lambda: Paragraph.objects.filter(pk=paragraph.pk).update(decision="att ändra"),
        "Paragraph.base update": lambda: Paragraph._base_manager.filter(pk=paragraph.pk).update(number=98),
        "Attendance.bulk_create": lambda: Attendance.objects.bulk_create([Attendance(meeting=meeting, name="Smugglad")]),
        "Attendance.delete": lambda: Attendance.objects.filter(pk=attendance.pk).delete(),
        "Attendance.save": lambda: _with(attendance, present=False).save(),
        "AgendaDocument.update": lambda: AgendaDocument.objects.filter(pk=document.pk).update(title="Ändrad"),
        "AgendaDocument.delete": lambda: AgendaDocument.objects.filter(pk=document.pk).delete(),
        "AgendaDocument.create": lambda: AgendaDocument.objects.create(item=item, title="Ny", file="x.pdf"),
        "item.goals.add": lambda: item.goals.add(goal),
        "item.networks.add": lambda: item.networks.add(network),
        "goal.agenda_items.add (reverse)": lambda: goal.agenda_items.add(item),
        "goals through create": lambda: AgendaItem.goals.through.objects.create(agendaitem=item, goal=goal),
        "networks through bulk_create": lambda: AgendaItem.networks.through.objects.bulk_create(
            [AgendaItem.networks.through(agendaitem=item, network=network)]),
        "MinutesApproval.save": lambda: _with(approval, approved_at=None).save(),
        "MinutesApproval.update": lambda: MinutesApproval.objects.filter(pk=approval.pk).update(approved_at=None),
        "MinutesApproval.delete": lambda: MinutesApproval.objects.filter(pk=approval.pk).delete(),
        "MinutesApproval.create": lambda: MinutesApproval.objects.create(
            meeting=meeting, person=meeting.secretary, role=MinutesApproval.Role.ADJUSTER),
        "Event.update start_date": lambda: Event.objects.filter(pk=event.pk).update(start_date=datetime.date(2026, 3, 6)),
        "Event.update body": lambda: Event.objects.filter(pk=event.pk).update(body=other_body),
        "Event.save time": lambda: _with(event, start_time=datetime.time(9)).save(),
        "Event.save note": lambda: _with(event, note="Flyttat i efterhand").save(),
        "Event.delete": lambda: Event.objects.filter(pk=event.pk).delete(),
        "Meeting.base update status": lambda: Meeting._base_manager.filter(pk=meeting.pk).update(status="held"),
        "Meeting.update chair": lambda: Meeting.objects.filter(pk=meeting.pk).update(chair=None),
        "Meeting.save": lambda: _with(meeting, secretary=None).save(),
        "Meeting.delete": lambda: Meeting.objects.filter(pk=meeting.pk).delete(),
        "plain QuerySet(Meeting)": lambda: QuerySet(Meeting).filter(pk=meeting.pk).update(status="held"),
        "plain QuerySet(Paragraph)": lambda: QuerySet(Paragraph).filter(pk=paragraph.pk).update(decision="att"),
        "plain QuerySet(Event)": lambda: QuerySet(Event).filter(pk=event.pk).update(start_time=datetime.time(8)),
        "plain QuerySet(AgendaItem) insert": lambda: QuerySet(AgendaItem).bulk_create(
            [AgendaItem(meeting=meeting, title="Smugglat")]),
        "raw UPDATE meeting": lambda: _raw(f"UPDATE {Meeting._meta.db_table} SET status = 'held' WHERE id = %s", [meeting.pk]),
        "raw UPDATE paragraph": lambda: _raw(
            f"UPDATE {Paragraph._meta.db_table} SET decision = 'att smuggla' WHERE id = %s", [paragraph.pk]),
        "raw DELETE approval": lambda: _raw(f"DELETE FROM {MinutesApproval._meta.db_table} WHERE id = %s", [approval.pk]),
        "raw UPDATE event": lambda: _raw(
            f"UPDATE {Event._meta.db_table} SET start_date = '2026-03-09' WHERE id = %s", [event.pk]),
    }
    accepted = [name for name, attempt in attempts.items() if not _refused(attempt)]
    assert accepted == []
    # …and what the public sees is what was justerat
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.APPROVED
    assert list(meeting.paragraphs.values_list("number", flat=True)) == [1, 2]
    assert meeting.event.start_date == datetime.date(2026, 3, 5)
    assert not meeting.items.filter(title="Smugglat").exists()


def _with(obj, **values):
    """A fresh copy of `obj` with `values` set, as another process would hold it."""
    fresh = type(obj)._base_manager.get(pk=obj.pk)
    for name, value in values.items():
        setattr(fresh, name, value)
    return fresh


def test_the_refusal_says_which_meeting_in_swedish(justerat):
    item = justerat.items.first()
    item.title = "Ändrat"
    with pytest.raises(ValidationError, match=r"Protokollet är justerat och kan inte ändras \(Samarbetskommittén 2026-03-05\)"):
        item.save()


def test_the_event_of_a_justerat_meeting_is_refused_in_the_admin(justerat, sekretariat):
    from tests.admin_forms import admin_form_data

    event = justerat.event
    url = f"/admin/calendar_app/event/{event.pk}/change/"
    data = admin_form_data(sekretariat, url)
    data["note"] = "Ändrat efter justering"
    response = sekretariat.post(url, data)
    event.refresh_from_db()
    assert event.note != "Ändrat efter justering"
    assert response.status_code in (200, 302, 403)
    if response.status_code == 200:
        assert "justerat" in response.content.decode()


def test_a_planned_meeting_stays_editable():
    from .conftest import build_meeting

    meeting = build_meeting(datetime.date(2026, 4, 2))
    item = meeting.items.first()
    item.title = "Ändrat före kallelsen"
    item.save()
    assert AgendaItem.objects.get(pk=item.pk).title == "Ändrat före kallelsen"
    assert Municipality.objects.exists()
