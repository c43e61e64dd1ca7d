"""Kontroll före beslut asks the calendar's own rules (calendar_app.selectors), the same
ones the calendar warnings use, so the two never disagree about a year."""
import pytest

from calendar_app.models import EventSeries, HostRotation
from calendar_app.selectors import calendar_warnings
from plans.models import Municipality, WorkPlan
from secretariat.checks import work_plan_checklist
from secretariat.services import work_plan_copy_to_year

pytestmark = pytest.mark.django_db


def _series(*, every_other_year: bool, hosted_in: int) -> EventSeries:
    series = EventSeries.objects.create(
        name=f"Temadag {'vartannat' if every_other_year else 'varje'} år", slug=f"temadag-{every_other_year:d}",
        position=90, hosts_per_year=1, every_other_year=every_other_year,
    )
    rotation = HostRotation.objects.create(series=series, year=hosted_in)
    rotation.hosts.set([Municipality.objects.get(slug="salem")])
    return series


def _host_messages(messages, series):
    return [m for m in messages if series.name in m]


@pytest.fixture
def draft_2018():
    return work_plan_copy_to_year(source=WorkPlan.objects.get(year=2017), year=2018)


def test_the_off_year_of_an_every_other_year_series_is_not_a_warning_in_the_check(draft_2018):
    """Held (with a host) in 2017, it rests in 2018: neither the check nor the calendar warns."""
    series = _series(every_other_year=True, hosted_in=2017)
    checklist = work_plan_checklist(draft_2018)
    assert _host_messages([c.message for c in checklist.items], series) == []
    assert _host_messages(calendar_warnings(year=2018), series) == []


def test_a_yearly_series_without_a_host_is_a_warning_in_the_check_and_the_calendar(draft_2018):
    series = _series(every_other_year=False, hosted_in=2017)
    checklist = work_plan_checklist(draft_2018)
    assert _host_messages([c.message for c in checklist.warnings], series) == [f"{series.name} saknar värdkommun 2018."]
    assert _host_messages(calendar_warnings(year=2018), series) == [f"{series.name} saknar värdkommun 2018."]


def test_an_every_other_year_series_in_its_on_year_still_needs_a_host(draft_2018):
    """Not held in 2017 (no host), so 2018 is a year it is held: a missing host is warned about."""
    series = _series(every_other_year=True, hosted_in=2016)
    checklist = work_plan_checklist(draft_2018)
    assert _host_messages([c.message for c in checklist.warnings], series) == [f"{series.name} saknar värdkommun 2018."]
    assert _host_messages(calendar_warnings(year=2018), series) == [f"{series.name} saknar värdkommun 2018."]
