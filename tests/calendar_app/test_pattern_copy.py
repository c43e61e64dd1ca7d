"""Copying a year's meeting pattern to the next year (calendar_pattern_copy)."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from calendar_app.models import Event
from calendar_app.services import calendar_pattern_copy, same_week_next_year
from plans.models import Body

pytestmark = pytest.mark.django_db


def _bodies(*slugs):
    return list(Body.objects.filter(slug__in=slugs))


def test_copies_2019_meetings_to_the_same_weekday_of_the_same_week_in_2020():
    result = calendar_pattern_copy(year=2019)
    created = {(e.body.slug, e.start_date): e for e in result.created}
    # Committee, Thursday 7 February 2019 (week 6) → Thursday of week 6 2020.
    copy = created[("samarbetskommitten", datetime.date(2020, 2, 6))]
    assert copy.start_time == datetime.time(12) and copy.end_time == datetime.time(15, 30)
    assert copy.kind == Event.Kind.MEETING and copy.year == 2020
    # Management group, Friday 25 January 2019 (week 4) → Friday of week 4 2020.
    assert ("ledningsgruppen", datetime.date(2020, 1, 24)) in created
    assert len(result.created) == Event.objects.filter(
        year=2019, body__isnull=False, series__isnull=True, date_precision__in=["day", "span"]
    ).count()


def test_copies_are_preliminary_without_plan_or_place():
    result = calendar_pattern_copy(year=2019, bodies=_bodies("samarbetskommitten"))
    assert result.created
    for event in result.created:
        assert event.preliminary and event.plan is None and event.place is None and not event.hosts.exists()


def test_a_planning_conference_keeps_its_length_and_weekdays():
    result = calendar_pattern_copy(year=2019, bodies=_bodies("ledningsgruppen"))
    planning = next(e for e in result.created if e.kind == Event.Kind.PLANNING)
    # Thursday–Friday 5–6 September 2019 (week 36) → Thursday–Friday of week 36 2020.
    assert (planning.start_date, planning.end_date) == (datetime.date(2020, 9, 3), datetime.date(2020, 9, 4))


def test_every_copy_falls_on_the_same_weekday_and_iso_week():
    originals = list(
        Event.objects.filter(year=2017, body__slug="ledningsgruppen").order_by("sort_key", "start_time", "id")
    )
    copies = calendar_pattern_copy(year=2017, bodies=_bodies("ledningsgruppen")).created
    assert len(copies) == len(originals) == 7
    for original, copy in zip(originals, copies, strict=True):
        assert copy.start_date.isoweekday() == original.start_date.isoweekday()
        assert copy.start_date.isocalendar().week == original.start_date.isocalendar().week
        assert (copy.start_time, copy.end_time) == (original.start_time, original.end_time)


def test_imprecise_dates_are_not_copied(make_event):
    make_event(body="ledningsgruppen", day="2031-01-17", start="08:30", finish="13:00")
    make_event(body="ledningsgruppen", year=2031, day=None, start=None, finish=None, date_precision="month", month=6)
    result = calendar_pattern_copy(year=2031, bodies=_bodies("ledningsgruppen"))
    assert [e.start_date for e in result.created] == [datetime.date(2032, 1, 16)]
    assert len(result.skipped) == 1


def test_adds_only_what_next_year_is_missing():
    # VP 2017 already lists the committee's meetings of January, March and April 2018
    # (month only); the pattern copy adds the other months instead of refusing.
    committee = Body.objects.get(slug="samarbetskommitten")
    result = calendar_pattern_copy(year=2017, bodies=[committee])
    months = sorted(e.start_date.month for e in result.created)
    assert 1 not in months and 3 not in months and 4 not in months
    assert months and [e.start_date for e in result.present] == [datetime.date(2017, 3, 23)]
    assert Event.objects.filter(year=2018, body=committee).count() == 3 + len(result.created)


def test_copies_the_bodies_that_have_nothing_next_year():
    result = calendar_pattern_copy(year=2017, bodies=_bodies("ledningsgruppen"))
    assert {e.body.slug for e in result.created} == {"ledningsgruppen"}
    assert len(result.created) == 7


def test_copying_twice_adds_nothing_the_second_time():
    calendar_pattern_copy(year=2019, bodies=_bodies("ledningsgruppen"))
    again = calendar_pattern_copy(year=2019, bodies=_bodies("ledningsgruppen"))
    assert again.created == [] and len(again.present) == 7
    assert Event.objects.filter(year=2020, body__slug="ledningsgruppen").count() == 7


def test_refuses_a_year_without_meetings():
    with pytest.raises(ValidationError, match="Det finns inga möten med fastställt datum 2015 att kopiera."):
        calendar_pattern_copy(year=2015)


@pytest.mark.parametrize(("day", "target_year", "expected"), [
    ("2019-02-07", 2020, "2020-02-06"),  # Thursday, week 6
    ("2015-12-31", 2016, "2016-12-29"),  # Thursday of week 53; 2016 has 52 weeks
    ("2021-01-01", 2022, "2022-01-07"),  # Friday of 2020's week 53, kept in January
    ("2018-12-31", 2019, "2019-12-30"),  # Monday of 2019's week 1, kept in December
])
def test_same_week_next_year(day, target_year, expected):
    result = same_week_next_year(datetime.date.fromisoformat(day), target_year)
    assert result == datetime.date.fromisoformat(expected)
    assert result.weekday() == datetime.date.fromisoformat(day).weekday()


def test_admin_button_copies_and_lists_the_drafts(client, sekretariat_user):
    client.force_login(sekretariat_user)
    changelist = client.get(reverse("admin:calendar_app_event_changelist"))
    assert "Kopiera årets mötesmönster till nästa år" in changelist.content.decode()
    url = reverse("admin:calendar_app_event_pattern_copy")
    assert client.get(url).status_code == 200
    body = Body.objects.get(slug="ledningsgruppen")
    response = client.post(url, {"year": 2019, "bodies": [body.pk]}, follow=True)
    assert response.redirect_chain[-1][0].endswith("?year__exact=2020&preliminary__exact=1")
    assert "7 händelser kopierades till 2020 som preliminära" in response.content.decode()
    assert Event.objects.filter(year=2020, body=body, preliminary=True).count() == 7


def test_admin_says_which_meetings_were_already_there(client, sekretariat_user):
    client.force_login(sekretariat_user)
    committee = Body.objects.get(slug="samarbetskommitten")
    response = client.post(reverse("admin:calendar_app_event_pattern_copy"), {"year": 2017, "bodies": [committee.pk]},
                           follow=True)
    assert "1 möten fanns redan 2018 (samma organ och månad) och kopierades inte." in response.content.decode()


def test_a_reader_cannot_copy(client, lasare_user):
    client.force_login(lasare_user)
    response = client.get(reverse("admin:calendar_app_event_pattern_copy"))
    assert response.status_code == 302  # not staff: the admin sends to its login
