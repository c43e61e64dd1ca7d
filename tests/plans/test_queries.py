"""The plan's page, PDF and action plan run a fixed number of queries, whatever the
plan's size (an N+1 regression fails here)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Network, WorkPlan
from tests.growth import count_queries, grow_activities

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["plans:work_plan_detail", "plans:work_plan_pdf", "plans:action_plan"])
def test_queries_stay_constant_from_10_to_300_activities(anonym, name):
    plan = WorkPlan.objects.get(year=2019)
    url = reverse(name, args=[2019])
    grow_activities(plan, 10)
    small = count_queries(anonym, url)
    grow_activities(plan, 290)
    large = count_queries(anonym, url)
    assert large == small


def test_the_plan_page_stays_within_its_query_budget(anonym, django_assert_num_queries):
    plan = WorkPlan.objects.get(year=2019)
    grow_activities(plan, 300)
    # 1 plan, 2 chapters, 3 areas, 4 topics, 5 topic networks, 6 chairs, 7 budget,
    # 8 events, 9 event hosts, 10 rotations, 11 rotation hosts, 12 activities,
    # 13–15 their municipalities, networks and people, 16 budget lines,
    # 17 archived PDF, 18–19 the municipalities' decisions (members, records),
    # 20 the other visible years for the comparison form; 21 the content version.
    with django_assert_num_queries(21):
        response = anonym.get(reverse("plans:work_plan_detail", args=[2019]))
        assert response.status_code == 200


# Every related set a page shows grows here, not only activities: goals (the goal
# tree and the action plan's goal filter), networks with members and goals, member
# municipalities, activities and events (tests/growth.py). Every page starts with the
# content version its validators are made from (sodertorn/freshness.py).
PAGE_QUERIES = {
    # plan, chapters, areas, topics, topic networks, chairs, budget, events, event
    # hosts, rotations, rotation hosts, activities, their municipalities, networks and
    # people, budget lines, archived PDF, decisions, members, the other visible years
    "/planer/2019/": 1 + 20,
    # plan, the filter's goals (with programme: no query per goal), municipalities and
    # networks, activities, their municipalities, networks and people
    "/planer/2019/handlingsplan/": 1 + 8,
    # programme, levels, goals, their networks, their activities, the visible years
    "/program/sup-2013/": 1 + 6,
    # network, members, municipalities, the visible years, goals, activities
    "/natverk/ekonomichefer/": 1 + 6,
}


@pytest.mark.parametrize("size", [0, 40])
@pytest.mark.parametrize("url", list(PAGE_QUERIES))
def test_pages_run_a_fixed_number_of_queries_whatever_grows(anonym, django_assert_num_queries, url, size):
    from tests.growth import grow_everything

    grow_everything(WorkPlan.objects.get(year=2019), size)
    with django_assert_num_queries(PAGE_QUERIES[url]):
        response = anonym.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [0, 40])
def test_the_decisions_page_runs_a_fixed_number_of_queries(lasare, django_assert_num_queries, size):
    from tests.growth import grow_everything, grow_municipalities

    grow_everything(WorkPlan.objects.get(year=2019), size)
    grow_municipalities(size)
    # session, user, the user's and the group's permissions (the validators), the
    # content version, then plan, decision records, members
    with django_assert_num_queries(4 + 1 + 3):
        response = lasare.get("/planer/2019/beslut/")
    assert response.status_code == 200
    assert response.content.decode().count("<tr") >= 8 + size // 10 + size


def test_the_goal_filter_lists_every_goal_without_a_query_each(anonym, django_assert_num_queries):
    """Goal.__str__ reads the programme: the filter selects it with the goals."""
    from tests.growth import grow_goals

    goals = grow_goals(WorkPlan.objects.get(year=2019), 40)
    with django_assert_num_queries(PAGE_QUERIES["/planer/2019/handlingsplan/"]):
        response = anonym.get("/planer/2019/handlingsplan/")
    assert f"{goals[-1].programme.short_name}: Testmål 39" in response.content.decode()


def test_the_network_admin_lists_its_goals_without_a_query_each(sekretariat):
    """The goals' autocomplete shows Goal.__str__, which reads the programme."""
    from tests.growth import grow_goals

    network = Network.objects.get(slug="ekonomichefer")
    goals = grow_goals(WorkPlan.objects.get(year=2019), 40)
    url = reverse("admin:plans_network_change", args=[network.pk])
    counts = []
    for size in (2, 40):
        network.goals.set(goals[:size])
        sekretariat.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = sekretariat.get(url)
        assert response.status_code == 200
        assert "Testmål 1" in response.content.decode()
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
