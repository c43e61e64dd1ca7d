"""The seed documents, loaded: the facts of the source documents are all there."""
import pytest

from budget.models import Budget, Population
from calendar_app.models import Event, HostRotation
from plans.models import Chapter, Goal, Municipality, Programme, WorkPlan
from secretariat.seed import seed_load

pytestmark = pytest.mark.django_db


def test_the_eight_members_have_their_municipality_codes():
    members = dict(Municipality.objects.members().values_list("name", "code"))
    assert members == {
        "Botkyrka": "0127", "Haninge": "0136", "Huddinge": "0126", "Nykvarn": "0140",
        "Nynäshamn": "0192", "Salem": "0128", "Södertälje": "0181", "Tyresö": "0138",
    }


def test_the_three_programmes_and_their_goal_levels():
    levels = {p.short_name: [lvl.name for lvl in p.levels.all()] for p in Programme.objects.all()}
    assert levels["SUP 2013"] == ["målområde", "mål", "delmål"]
    assert levels["SUP 2040"] == ["fokusområde", "övergripande mål", "långsiktigt mål"]
    assert "SUP 2010" in levels


def test_sup_2040_vision_and_its_two_long_term_goals_with_their_networks():
    sup = Programme.objects.get(slug="sup-2040")
    assert sup.vision == "Södertörn leder Sveriges starka och hållbara tillväxt"
    assert (sup.valid_from, sup.valid_to) == (2023, 2026)
    long_term = Goal.objects.filter(programme=sup, level__depth=3)
    networks = {g.title: [n.slug for n in g.networks.all()] for g in long_term}
    assert networks == {
        "Södertörn leder vägen i omställningen mot ett hållbart transportsystem": ["klimatstrateger"],
        "Södertörn – Sveriges mest tillgängliga storstadsregion": ["trafikstrateger"],
    }


@pytest.mark.parametrize("year", [2010, 2012, 2017, 2019])
def test_the_seeded_plans_are_decided_and_name_their_source(year):
    plan = WorkPlan.objects.get(year=year)
    assert plan.status == WorkPlan.Status.DECIDED
    assert plan.source is not None
    assert plan.chapters.filter(number="1").exists()
    assert all(c.source_id for c in plan.chapters.all())


def test_the_2017_committee_has_six_meetings_and_a_planning_conference():
    events = Event.objects.filter(body__slug="samarbetskommitten", year=2017)
    meetings = events.filter(kind=Event.Kind.MEETING)
    assert meetings.count() == 6
    assert [e.start_date.day for e in meetings.order_by("sort_key")] == [2, 23, 1, 14, 26, 7]
    planning = events.get(kind=Event.Kind.PLANNING)
    assert planning.date_display() == "16–17 augusti"
    assert planning.place.name == "Nynäshamn"


def test_the_2012_budget_balances_at_890_000_kr():
    budget = Budget.objects.get(year=2012)
    assert sum(line.amount for line in budget.lines.filter(kind="income")) == 890_000
    assert sum(line.amount for line in budget.lines.filter(kind="cost")) == 890_000


def test_the_2017_budget_is_945_000_kr():
    budget = Budget.objects.get(year=2017)
    assert sorted(line.amount for line in budget.lines.filter(kind="cost")) == [50_000, 895_000]


def test_radslag_hosts_rotate_as_the_plans_publish_them():
    hosts = {
        r.year: [m.name for m in r.hosts.all()]
        for r in HostRotation.objects.filter(series__slug="sodertorns-radslag")
    }
    assert hosts[2010] == ["Huddinge"]
    assert hosts[2012] == ["Nynäshamn"]
    assert hosts[2017] == ["Nykvarn"]
    assert hosts[2024] == ["Haninge"]


def test_population_figures_are_the_real_scb_figures():
    huddinge = Population.objects.get(municipality__code="0126", date="2016-12-31")
    assert huddinge.inhabitants == 107_538
    assert "SCB" in huddinge.source_text
    total_2016 = sum(p.inhabitants for p in Population.objects.filter(date="2016-12-31"))
    assert total_2016 == 480_431


def test_loading_the_seed_twice_duplicates_nothing():
    before = (WorkPlan.objects.count(), Chapter.objects.count(), Event.objects.count(), Goal.objects.count())
    uids = set(Event.objects.values_list("uid", flat=True))
    seed_load()
    after = (WorkPlan.objects.count(), Chapter.objects.count(), Event.objects.count(), Goal.objects.count())
    assert after == before
    assert set(Event.objects.values_list("uid", flat=True)) == uids
