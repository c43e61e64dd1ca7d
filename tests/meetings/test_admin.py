"""The secretariat's meeting desk in the admin: Swedish, steps as actions, read-only once justerat."""
import datetime

import pytest

from meetings.models import Meeting

from .conftest import build_meeting
from .test_flow import approve_all, at, held

pytestmark = pytest.mark.django_db


def test_the_secretariat_writes_the_agenda_and_sends_the_kallelse_from_the_admin(sekretariat, mailoutbox, text_of):
    meeting = build_meeting(datetime.date.today() + datetime.timedelta(days=14))
    page = sekretariat.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert page.status_code == 200
    text = text_of(page)
    assert "ÄRENDEN (DAGORDNING)" in text.upper() and "Föredragande" in text and "Justerare" in text
    response = sekretariat.post("/admin/meetings/meeting/", {
        "action": "send_notice", "_selected_action": [meeting.pk], "index": 0,
    }, follow=True)
    assert "Kallelsen skickad till 8 ledamöter." in text_of(response)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.NOTICED and len(mailoutbox) == 1
    again = sekretariat.post("/admin/meetings/meeting/", {
        "action": "send_notice", "_selected_action": [meeting.pk], "index": 0,
    }, follow=True)
    assert "Kallelsen har redan gått ut; sammanträdet är kallat." in text_of(again)


def test_a_justerat_meeting_is_read_only_and_never_deleted_in_the_admin(sekretariat):
    meeting = held(datetime.date(2026, 3, 5))
    approve_all(meeting, at(datetime.date(2026, 3, 8)))
    page = sekretariat.get(f"/admin/meetings/meeting/{meeting.pk}/change/").content.decode()
    assert 'name="chair"' not in page and 'name="items-0-title"' not in page
    assert f"/admin/meetings/meeting/{meeting.pk}/delete/" not in page
    assert sekretariat.post(f"/admin/meetings/meeting/{meeting.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    item = meeting.items.first()
    sekretariat.post(f"/admin/meetings/agendaitem/{item.pk}/change/", {"title": "Ändrat"})
    item.refresh_from_db()
    assert item.title == "Verksamhetsplan"


def test_readers_cannot_use_the_admin(lasare):
    assert lasare.get("/admin/meetings/meeting/").status_code == 302


def test_moving_a_kallat_meetings_event_in_the_calendar_admin_is_refused_with_the_reason(sekretariat):
    from django.urls import reverse

    from calendar_app.models import Event
    from meetings.services import meeting_send_notice

    meeting = build_meeting(datetime.date(2026, 3, 5))
    meeting_send_notice(meeting=meeting, now=at(datetime.date(2026, 2, 1)))
    url = reverse("admin:calendar_app_event_change", args=[meeting.event_id])
    form = sekretariat.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, (list, tuple))}
    data.update({
        "start_date": "2026-03-12", "hosts": [h.pk for h in form.initial.get("hosts", [])],
        **{f: form.initial[f].strftime("%H:%M") for f in ("start_time", "end_time") if form.initial.get(f)},
    })
    response = sekretariat.post(url, data)
    assert response.status_code == 200
    assert "datum och organ kan inte ändras i kalendern" in response.content.decode()
    assert Event.objects.get(pk=meeting.event_id).start_date == datetime.date(2026, 3, 5)


def test_a_decision_saved_after_justering_began_is_refused_never_reported_as_changed(sekretariat):
    """Issue 20: the paragraph's page was opened before the first justerare approved and
    saved after. The page used to drop the decision and report "Ändrade paragraf …"."""
    from django.urls import reverse

    from meetings.models import MinutesApproval, Paragraph
    from meetings.services import minutes_approve
    from tests.admin_forms import admin_form_data, messages_of

    from .conftest import approver

    meeting = held(datetime.date(2026, 3, 5))
    paragraph = meeting.paragraphs.order_by("number").first()
    url = reverse("admin:meetings_paragraph_change", args=[paragraph.pk])
    data = admin_form_data(sekretariat, url)
    first = meeting.approvals.filter(role=MinutesApproval.Role.ADJUSTER).select_related("person").first()
    minutes_approve(meeting=meeting, user=approver(first.person, "forste"), now=at(datetime.date(2026, 3, 6)))

    data["decision"] = "att besluta något annat"
    response = sekretariat.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Justeringen av protokollet har börjat medan du redigerade, så dina ändringar sparades inte" in page
    assert "att besluta något annat" in page
    assert "Ändrade" not in messages_of(response)
    assert Paragraph.objects.get(pk=paragraph.pk).decision == paragraph.decision


def test_a_meeting_page_saved_after_justering_began_is_refused_never_reported_as_changed(sekretariat):
    from django.urls import reverse

    from meetings.models import MinutesApproval, Paragraph
    from meetings.services import minutes_approve
    from tests.admin_forms import admin_form_data, errors_of, messages_of

    from .conftest import approver

    meeting = held(datetime.date(2026, 3, 5))
    paragraph = meeting.paragraphs.order_by("number").first()
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = admin_form_data(sekretariat, url)
    first = meeting.approvals.filter(role=MinutesApproval.Role.ADJUSTER).select_related("person").first()
    minutes_approve(meeting=meeting, user=approver(first.person, "forste"), now=at(datetime.date(2026, 3, 6)))

    key = next(k for k, v in data.items() if k.startswith("paragraphs-") and k.endswith("-id") and str(v) == str(paragraph.pk))
    data[key[: -len("id")] + "decision"] = "att besluta något annat"
    response = sekretariat.post(url, data)
    assert response.status_code == 200
    assert "Justeringen av protokollet har börjat medan du redigerade" in errors_of(response)
    assert "att besluta något annat" in response.content.decode()
    assert "Ändrade" not in messages_of(response)
    assert Paragraph.objects.get(pk=paragraph.pk).decision == paragraph.decision


def test_a_handling_renamed_after_justering_began_is_refused_never_reported_as_changed(sekretariat):
    from django.urls import reverse

    from meetings.models import AgendaDocument, MinutesApproval
    from meetings.services import minutes_approve
    from tests.admin_forms import admin_form_data, errors_of, messages_of

    from .conftest import approver, attach_document

    meeting = held(datetime.date(2026, 3, 5))
    item = meeting.items.order_by("position").first()
    document = attach_document(item)
    url = reverse("admin:meetings_agendaitem_change", args=[item.pk])
    data = admin_form_data(sekretariat, url)
    first = meeting.approvals.filter(role=MinutesApproval.Role.ADJUSTER).select_related("person").first()
    minutes_approve(meeting=meeting, user=approver(first.person, "forste"), now=at(datetime.date(2026, 3, 6)))

    key = next(k for k, v in data.items() if k.startswith("documents-") and k.endswith("-id") and str(v) == str(document.pk))
    data[key[: -len("id")] + "title"] = "Omdöpt handling"
    response = sekretariat.post(url, data)
    assert response.status_code == 200
    assert "Justeringen av protokollet har börjat medan du redigerade" in errors_of(response)
    assert "Omdöpt handling" in response.content.decode()
    assert "Ändrade" not in messages_of(response)
    assert AgendaDocument.objects.get(pk=document.pk).title == document.title
