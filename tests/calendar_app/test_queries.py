"""Query counts stay the same however many events there are (no N+1)."""
import datetime

import pytest
from django.urls import reverse

from calendar_app.models import Event
from plans.models import Body, Municipality
from sodertorn.dates import Precision

pytestmark = pytest.mark.django_db


def _add_events(year: int, count: int):
    """`count` more meetings in `year`, each with a place and two hosts."""
    body = Body.objects.get(slug="ledningsgruppen")
    hosts = list(Municipality.objects.filter(slug__in=["huddinge", "salem"]))
    place = Municipality.objects.get(slug="tyreso")
    for i in range(count):
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=3 * i + 1)
        event = Event.objects.create(
            kind=Event.Kind.MEETING, body=body, year=year, date_precision=Precision.DAY, start_date=day,
            start_time=datetime.time(8, 30), end_time=datetime.time(13), place=place,
        )
        event.hosts.set(hosts)


# Year page for the public:
# 0. the content version (the page's validators)
# 1. the years that have events (navigation)
# 2. the year's events with body, series and place
# 3. their hosts
# 4. the bodies of the filter's choices
# 5. the series of the filter's choices
YEAR_PAGE_PUBLIC = 1 + 5


@pytest.mark.parametrize("extra", [0, 60])
def test_year_page_queries_do_not_grow_with_events(anonym, django_assert_num_queries, extra):
    _add_events(2017, extra)
    with django_assert_num_queries(YEAR_PAGE_PUBLIC):
        response = anonym.get(reverse("calendar_app:year", args=[2017]))
    assert response.status_code == 200


# Year page for the secretariat, in addition: session, user, the user's and the
# group's permissions (4); the warnings: bodies with meeting counts, the year's
# events of the bodies, the bodies' month-only meetings, then series, rotations,
# rotation hosts, series events and their hosts (8).
YEAR_PAGE_STAFF = YEAR_PAGE_PUBLIC + 4 + 8


@pytest.mark.parametrize("extra", [0, 60])
def test_year_page_with_warnings_queries_do_not_grow_with_events(sekretariat, django_assert_num_queries, extra):
    _add_events(2017, extra)
    with django_assert_num_queries(YEAR_PAGE_STAFF):
        response = sekretariat.get(reverse("calendar_app:year", args=[2017]))
    assert "Att kontrollera 2017" in response.content.decode()


# A body's feed:
# 1. the body by slug
# 2. its events with body, series, place and the time of their latest revision
# 3. their hosts
# 4. the content version (the validators; the feed's own latest change is not needed)
@pytest.mark.parametrize("extra", [0, 60])
def test_feed_queries_do_not_grow_with_events(anonym, django_assert_num_queries, extra):
    _add_events(2017, extra)
    with django_assert_num_queries(4):
        response = anonym.get(reverse("calendar_app:feed_for", args=["ledningsgruppen"]))
    assert response.content.count(b"BEGIN:VEVENT") >= extra + 20


@pytest.mark.parametrize("extra", [0, 60])
def test_whole_feed_queries_do_not_grow_with_events(anonym, django_assert_num_queries, extra):
    _add_events(2017, extra)
    with django_assert_num_queries(3):  # content version, events, hosts
        response = anonym.get(reverse("calendar_app:feed"))
        assert response.status_code == 200


# Coming events: events, their hosts, years, this and next year's hosts (series,
# rotations, their hosts, series events), bodies with feeds, series with feeds.
@pytest.mark.parametrize("extra", [1, 25])
def test_calendar_page_queries_do_not_grow_with_events(anonym, django_assert_num_queries, extra):
    _add_events(datetime.date.today().year + 1, extra)
    with django_assert_num_queries(1 + 9):  # and the content version
        response = anonym.get(reverse("calendar_app:upcoming"))
        assert response.status_code == 200


# Rotation page: the content version, series, rotations, their hosts, series events,
# their hosts.
def test_rotation_page_queries(anonym, django_assert_num_queries):
    with django_assert_num_queries(1 + 5):
        anonym.get(reverse("calendar_app:rotation"))


@pytest.mark.parametrize("size", [0, 40])
def test_year_page_queries_do_not_grow_with_anything(anonym, django_assert_num_queries, size):
    """Events, goals, networks, municipalities and activities all grow (tests/growth.py)."""
    from plans.models import WorkPlan
    from tests.growth import grow_everything

    grow_everything(WorkPlan.objects.get(year=2019), size)
    with django_assert_num_queries(YEAR_PAGE_PUBLIC):
        response = anonym.get(reverse("calendar_app:year", args=[2019]))
    assert response.status_code == 200
