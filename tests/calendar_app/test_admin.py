"""The calendar in the admin: quick entry of a year's meetings, warnings above the
list, and confirming preliminary events."""
import datetime

import pytest
from django.urls import reverse

from calendar_app.models import Event
from plans.models import Body, Municipality, WorkPlan
from secretariat.services import work_plan_reopen

pytestmark = pytest.mark.django_db

QUICK_ENTRY = "admin:calendar_app_event_quick_entry"


def _rows(*rows, extra=2):
    """POST data for the quick entry: header fields, then one row per meeting."""
    data = {"rad-TOTAL_FORMS": len(rows) + extra, "rad-INITIAL_FORMS": 0, "rad-MIN_NUM_FORMS": 0, "rad-MAX_NUM_FORMS": 60}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"rad-{i}-{key}"] = value
    return data


@pytest.fixture
def staff(client, sekretariat_user):
    client.force_login(sekretariat_user)
    return client


def test_quick_entry_adds_a_years_meetings_in_one_go(staff):
    committee = Body.objects.get(slug="samarbetskommitten")
    management = Body.objects.get(slug="ledningsgruppen")
    tyreso = Municipality.objects.get(slug="tyreso")
    data = _rows(
        {"date": "2031-02-06", "body": committee.pk, "start_time": "12:00", "end_time": "15:30", "place": tyreso.pk},
        {"date": "2031-03-13", "body": committee.pk, "place": tyreso.pk},
        {"date": "2031-01-24", "body": management.pk, "venue": "StorSthlm"},
    )
    response = staff.post(reverse(QUICK_ENTRY), data, follow=True)
    assert "3 möten lades in." in response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?year__exact=2031")
    events = {e.start_date: e for e in Event.objects.filter(year=2031)}
    assert events[datetime.date(2031, 2, 6)].end_time == datetime.time(15, 30)
    assert events[datetime.date(2031, 2, 6)].place == tyreso
    # Rows without times get the body's usual hours.
    assert (events[datetime.date(2031, 3, 13)].start_time, events[datetime.date(2031, 3, 13)].end_time) == (
        datetime.time(12), datetime.time(15))
    assert (events[datetime.date(2031, 1, 24)].start_time, events[datetime.date(2031, 1, 24)].end_time) == (
        datetime.time(8, 30), datetime.time(13))
    assert events[datetime.date(2031, 1, 24)].venue == "StorSthlm"
    assert all(e.kind == Event.Kind.MEETING and not e.preliminary for e in events.values())


def test_quick_entry_can_tie_the_meetings_to_a_plan_and_mark_them_preliminary(staff):
    plan = WorkPlan.objects.get(year=2019)
    work_plan_reopen(plan=plan, reason="Ett extra möte läggs till.", user=None)  # decided plans are locked
    committee = Body.objects.get(slug="samarbetskommitten")
    data = {"alla-plan": plan.pk, "alla-preliminary": "on",
            **_rows({"date": "2019-12-12", "body": committee.pk})}
    staff.post(reverse(QUICK_ENTRY), data)
    event = Event.objects.get(start_date=datetime.date(2019, 12, 12))
    assert event.plan == plan and event.preliminary


def test_quick_entry_adds_nothing_when_a_row_is_wrong(staff):
    committee = Body.objects.get(slug="samarbetskommitten")
    before = Event.objects.count()
    data = _rows(
        {"date": "2031-02-06", "body": committee.pk},
        {"date": "2031-03-13", "body": committee.pk, "start_time": "15:00", "end_time": "12:00"},
    )
    response = staff.post(reverse(QUICK_ENTRY), data)
    assert response.status_code == 200
    assert "Rad 2 (2031-03-13, Samarbetskommittén): Sluttiden måste ligga efter starttiden." in response.content.decode()
    assert Event.objects.count() == before


def test_quick_entry_refuses_a_meeting_outside_the_plans_years(staff):
    plan = WorkPlan.objects.get(year=2017)
    committee = Body.objects.get(slug="samarbetskommitten")
    response = staff.post(reverse(QUICK_ENTRY), {"alla-plan": plan.pk, **_rows({"date": "2031-02-06", "body": committee.pk})})
    assert "Händelsen ligger 2031; planen för 2017 tar bara upp sitt år och början av nästa." in response.content.decode()


def test_quick_entry_with_only_empty_rows_asks_for_one(staff):
    response = staff.post(reverse(QUICK_ENTRY), _rows())
    assert "Fyll i minst en rad." in response.content.decode()


def test_quick_entry_page_has_a_row_per_meeting(staff):
    response = staff.get(reverse(QUICK_ENTRY))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('type="date"') == 12
    for label in ("Datum", "Organ", "Starttid", "Sluttid", "Plats (kommun)"):
        assert f'<th scope="col">{label}</th>' in html


def test_quick_entry_is_linked_from_the_event_list(staff):
    html = staff.get(reverse("admin:calendar_app_event_changelist")).content.decode()
    assert reverse(QUICK_ENTRY) in html


def test_event_list_shows_the_years_warnings(staff):
    html = staff.get(reverse("admin:calendar_app_event_changelist"), {"year__exact": 2010}).content.decode()
    assert "Att kontrollera i kalendern 2010" in html
    assert "Samarbetskommitténs möte 19 oktober 2010 är en tisdag" in html


def test_confirm_action_publishes_preliminary_events(staff, make_event):
    draft = make_event(body="ledningsgruppen", day="2031-01-17", start="08:30", finish="13:00", preliminary=True)
    response = staff.post(reverse("admin:calendar_app_event_changelist"), {
        "action": "confirm_events", "_selected_action": [draft.pk],
    }, follow=True)
    assert "1 händelse markerades som fastställda." in response.content.decode()
    draft.refresh_from_db()
    assert not draft.preliminary
    assert draft.history.count() == 2
