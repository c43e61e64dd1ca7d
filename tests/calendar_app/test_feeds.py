"""The iCal feeds: /kalender.ics, /kalender/<slug>.ics and one file per event."""
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from calendar_app.ics import ical_uid
from calendar_app.models import Event
from plans.models import WorkPlan
from secretariat.services import work_plan_reopen

from .conftest import parse_feed, seeded

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _feed(client, slug=None, **headers):
    url = reverse("calendar_app:feed_for", args=[slug]) if slug else reverse("calendar_app:feed")
    return client.get(url, headers=headers)


def test_feed_is_served_as_utf8_text_calendar(anonym):
    response = _feed(anonym)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert "Södertörn".encode() in response.content


def test_feed_parses_back_with_icalendar_and_names_itself(anonym):
    calendar = Calendar.from_ical(_feed(anonym, "samarbetskommitten").content)
    assert calendar["VERSION"] == "2.0"
    assert "Södertörnskommunernas samarbetskommitté" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Södertörnssamverkan – Samarbetskommittén"
    assert calendar.walk("VEVENT")


def test_committee_feed_has_the_2017_meetings_at_stockholm_times_and_places(anonym):
    events = parse_feed(_feed(anonym, "samarbetskommitten"))
    for day, place in [("2017-02-02", "Haninge"), ("2017-03-23", "Nykvarn"), ("2017-06-01", "Salem"),
                       ("2017-09-14", "Botkyrka"), ("2017-10-26", "Tyresö"), ("2017-12-07", "Södertälje")]:
        vevent = events[ical_uid(seeded("samarbetskommitten", day))]
        date = datetime.date.fromisoformat(day)
        assert vevent.start == datetime.datetime.combine(date, datetime.time(12), tzinfo=STOCKHOLM)
        assert vevent.end == datetime.datetime.combine(date, datetime.time(15), tzinfo=STOCKHOLM)
        assert vevent["DTSTART"].params["TZID"] == "Europe/Stockholm"
        assert str(vevent["LOCATION"]) == place
        assert str(vevent["SUMMARY"]) == "Samarbetskommittén"


def test_committee_feed_has_the_meetings_of_2010_2012_and_2019(anonym):
    events = parse_feed(_feed(anonym, "samarbetskommitten"))
    tuesday = events[ical_uid(seeded("samarbetskommitten", "2010-10-19"))]
    assert str(tuesday["LOCATION"]) == "Tyresö"
    assert "obs tisdag!" in str(tuesday["DESCRIPTION"])
    assert str(events[ical_uid(seeded("samarbetskommitten", "2012-01-27"))]["LOCATION"]) == "Södertälje"
    february_2019 = events[ical_uid(seeded("samarbetskommitten", "2019-02-07"))]
    assert february_2019.end == datetime.datetime(2019, 2, 7, 15, 30, tzinfo=STOCKHOLM)
    assert str(february_2019["LOCATION"]) == "Nykvarn"


def test_management_group_feed_holds_only_its_own_events(anonym):
    events = parse_feed(_feed(anonym, "ledningsgruppen"))
    by_uid = {ical_uid(event): event for event in Event.objects.select_related("body")}
    assert set(events) <= set(by_uid)
    bodies = {by_uid[uid].body.slug for uid in events}
    assert bodies == {"ledningsgruppen"}
    storsthlm = events[ical_uid(seeded("ledningsgruppen", "2019-01-25"))]
    assert str(storsthlm["LOCATION"]) == "StorSthlm"
    assert storsthlm.start == datetime.datetime(2019, 1, 25, 8, 30, tzinfo=STOCKHOLM)
    assert storsthlm.end == datetime.datetime(2019, 1, 25, 11, 0, tzinfo=STOCKHOLM)


def test_feed_has_a_vtimezone_for_stockholm(anonym):
    calendar = Calendar.from_ical(_feed(anonym).content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert not calendar.get_missing_tzids()


def test_multi_day_conference_is_all_day_with_exclusive_end(anonym):
    events = parse_feed(_feed(anonym, "samarbetskommitten"))
    planning = events[ical_uid(seeded("samarbetskommitten", "2017-08-16"))]
    assert planning["DTSTART"].params.get("VALUE") == "DATE"
    assert planning.start == datetime.date(2017, 8, 16)
    assert planning.end == datetime.date(2017, 8, 18)  # the day after 17 August
    assert str(planning["LOCATION"]) == "Nynäshamn"
    assert str(planning["SUMMARY"]) == "Samarbetskommitténs planeringskonferens"


def test_an_all_day_conference_ends_the_next_day(anonym):
    events = parse_feed(_feed(anonym, "sodertorns-radslag"))
    radslag_2010 = events[ical_uid(seeded("sodertorns-radslag", "2010-03-25"))]
    assert radslag_2010.start == datetime.date(2010, 3, 25)
    assert radslag_2010.end == datetime.date(2010, 3, 26)
    assert str(radslag_2010["LOCATION"]) == "Huddinge"


def test_radslag_2019_is_in_salem(anonym):
    events = parse_feed(_feed(anonym, "sodertorns-radslag"))
    radslag = events[ical_uid(seeded("sodertorns-radslag", "2019-04-10"))]
    assert radslag.start == datetime.date(2019, 4, 10)
    assert str(radslag["LOCATION"]) == "Salem"
    assert "Värdkommun: Salem." in str(radslag["DESCRIPTION"])


def test_description_names_the_body_and_the_hosts(anonym):
    events = parse_feed(_feed(anonym))
    meeting = events[ical_uid(seeded("samarbetskommitten", "2017-02-02"))]
    assert "Södertörnskommunernas samarbetskommitté: möte." in str(meeting["DESCRIPTION"])
    conference = events[ical_uid(seeded("sodertornskonferensen", "2017-09-07"))]
    assert "Södertörnskonferensen." in str(conference["DESCRIPTION"])
    assert "Värdkommuner: Nykvarn och Södertälje." in str(conference["DESCRIPTION"])


def test_every_event_links_back_to_its_page_with_an_absolute_url(anonym):
    event = seeded("samarbetskommitten", "2017-02-02")
    vevent = parse_feed(_feed(anonym))[ical_uid(event)]
    assert str(vevent["URL"]) == f"http://testserver{event.get_absolute_url()}"
    assert str(vevent["URL"]) in str(vevent["DESCRIPTION"])


def test_every_event_has_a_dtstamp_in_utc(anonym):
    for vevent in parse_feed(_feed(anonym)).values():
        assert vevent["DTSTAMP"].dt.tzinfo is not None
        assert vevent["DTSTAMP"].to_ical().endswith(b"Z")


def test_events_with_imprecise_dates_are_left_out(anonym):
    uids = set(parse_feed(_feed(anonym)))
    imprecise = Event.objects.exclude(date_precision__in=["day", "span"])
    assert imprecise.count() > 5  # months (januari 2018), seasons (hösten), unset
    assert not uids & {ical_uid(e) for e in imprecise}
    precise = Event.objects.filter(date_precision__in=["day", "span"], preliminary=False)
    assert uids == {ical_uid(e) for e in precise}


def test_preliminary_events_are_left_out(anonym, make_event):
    draft = make_event(body="samarbetskommitten", day="2031-02-06", preliminary=True)
    assert ical_uid(draft) not in parse_feed(_feed(anonym, "samarbetskommitten"))


def test_uids_are_the_same_across_two_requests(anonym):
    first, second = _feed(anonym), _feed(anonym)
    assert set(parse_feed(first)) == set(parse_feed(second))
    assert first.content == second.content


def _reopen_2017():
    """The 2017 plan's events are locked with it; reopened, they can be edited."""
    work_plan_reopen(plan=WorkPlan.objects.get(year=2017), reason="Mötet flyttades efter beslutet.", user=None)


def test_an_edited_meeting_keeps_its_uid_and_moves(anonym):
    _reopen_2017()
    event = seeded("samarbetskommitten", "2017-03-23")
    before = _feed(anonym, "samarbetskommitten")
    event.start_date = datetime.date(2017, 3, 30)
    event.place = None
    event.venue = "StorSthlm"
    event.full_clean()
    event.save()
    after = _feed(anonym, "samarbetskommitten")
    moved = parse_feed(after)[ical_uid(event)]
    assert moved.start == datetime.datetime(2017, 3, 30, 12, tzinfo=STOCKHOLM)
    assert str(moved["LOCATION"]) == "StorSthlm"
    assert set(parse_feed(before)) == set(parse_feed(after))
    assert after["ETag"] != before["ETag"]
    # DTSTAMP is the time of the latest revision (RFC 5545 for files without METHOD).
    latest = event.history.latest("history_date").history_date.replace(microsecond=0)
    assert moved["DTSTAMP"].dt == latest


def test_an_edit_in_the_admin_keeps_the_uid(sekretariat_user, client):
    _reopen_2017()
    event = seeded("ledningsgruppen", "2017-05-12")
    uid = event.uid
    client.force_login(sekretariat_user)
    url = reverse("admin:calendar_app_event_change", args=[event.pk])
    data = {
        "kind": "meeting", "body": event.body_id, "series": "", "title": "", "plan": event.plan_id,
        "year": 2017, "date_precision": "day", "start_date": "2017-05-19", "end_date": "", "month": "",
        "season": "", "date_text": "", "start_time": "08:30", "end_time": "13:00", "place": "", "venue": "",
        "hosts": [], "note": "flyttat", "source": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.uid == uid and event.start_date == datetime.date(2017, 5, 19)
    vevent = parse_feed(client.get(reverse("calendar_app:feed_for", args=["ledningsgruppen"])))[ical_uid(event)]
    assert vevent.start == datetime.datetime(2017, 5, 19, 8, 30, tzinfo=STOCKHOLM)


def test_feed_answers_not_modified_to_a_matching_etag(anonym):
    first = _feed(anonym, "samarbetskommitten")
    assert first["ETag"] and first["Last-Modified"]
    again = _feed(anonym, "samarbetskommitten", if_none_match=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_feed_answers_not_modified_since_its_last_change(anonym):
    first = _feed(anonym, "ledningsgruppen")
    again = _feed(anonym, "ledningsgruppen", if_modified_since=first["Last-Modified"])
    assert again.status_code == 304


def test_feed_is_sent_again_after_a_change(anonym):
    _reopen_2017()
    first = _feed(anonym, "samarbetskommitten")
    event = seeded("samarbetskommitten", "2017-06-01")
    event.note = "Nytt rum"
    event.save()
    again = _feed(anonym, "samarbetskommitten", if_none_match=first["ETag"])
    assert again.status_code == 200
    assert "Nytt rum" in again.content.decode()


def test_feed_asks_clients_to_revalidate(anonym):
    assert _feed(anonym)["Cache-Control"] == "no-cache"


def test_unknown_feed_is_not_found(anonym):
    assert _feed(anonym, "finns-inte").status_code == 404


def test_one_event_as_a_calendar_file_to_add(anonym):
    event = seeded("samarbetskommitten", "2017-02-02")
    response = anonym.get(reverse("calendar_app:event_ics", args=[event.uid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    events = parse_feed(response)
    assert list(events) == [ical_uid(event)]
    assert events[ical_uid(event)].start == datetime.datetime(2017, 2, 2, 12, tzinfo=STOCKHOLM)
    assert Calendar.from_ical(response.content).walk("VTIMEZONE")


def test_an_event_without_a_date_has_no_calendar_file(anonym):
    unset = Event.objects.get(series__slug="nyckeltalsdagen", year=2012)
    assert anonym.get(reverse("calendar_app:event_ics", args=[unset.uid])).status_code == 404


def test_feeds_are_linked_from_the_calendar_page(anonym):
    html = anonym.get(reverse("calendar_app:upcoming")).content.decode()
    for url in ("/kalender.ics", "/kalender/samarbetskommitten.ics", "/kalender/ledningsgruppen.ics",
                "/kalender/sodertornskonferensen.ics", "/kalender/sodertorns-radslag.ics"):
        assert f'href="{url}"' in html
    assert "finns inte med i kalenderfilerna" in html


CONTROL_TITLE = "Extra möte\r\nX-INJECTED:ja\x0bslut"


def test_a_title_with_line_breaks_cannot_break_the_calendar_files(make_event, anonym):
    """A row saved past validation (an import, the shell): both files still serve,
    and the line break cannot add a property of its own."""
    event = make_event(body="ledningsgruppen", day="2031-03-07", title="Extra möte")
    Event.objects.filter(pk=event.pk).update(title=CONTROL_TITLE, note="Ta med\r\nBEGIN:VALARM", venue="Sal\n1")
    single = anonym.get(reverse("calendar_app:event_ics", args=[event.uid]))
    assert single.status_code == 200
    feed = _feed(anonym)
    assert feed.status_code == 200
    for response in (single, feed):
        component = parse_feed(response)[ical_uid(event)]
        assert str(component["SUMMARY"]) == "Extra möte X-INJECTED:ja slut"
        assert b"\r\nX-INJECTED" not in response.content and b"\r\nBEGIN:VALARM" not in response.content
        assert str(component["LOCATION"]).startswith("Sal 1")


@pytest.mark.parametrize("field", ["title", "venue", "note"])
def test_line_breaks_and_control_characters_are_refused_in_an_event(make_event, field):
    from django.core.exceptions import ValidationError

    event = make_event(body="ledningsgruppen", day="2031-03-07", title="Extra möte")
    setattr(event, field, "Rad ett\r\nRad två")
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "får inte innehålla radbrytningar eller andra styrtecken" in " ".join(exc.value.message_dict[field])
