"""The plan's page, PDF and action plan run a fixed number of queries, whatever the
plan's size (an N+1 regression fails here)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.lock import lock_bypass
from plans.models import Activity, Goal, Municipality, Network, WorkPlan

pytestmark = pytest.mark.django_db


def grow(plan: WorkPlan, n: int) -> None:
    # Setting up a large or odd plan, as the seed loader would register it.
    with lock_bypass():
        goals = list(Goal.objects.filter(programme=plan.programme))
        municipalities = list(Municipality.objects.members())
        networks = list(Network.objects.all())
        for i in range(n):
            activity = Activity.objects.create(
                plan=plan, position=1000 + i, title=f"Aktivitet {i}", goal=goals[i % len(goals)],
                date_precision="month", month=i % 12 + 1, cost=1000 * i,
            )
            activity.responsible_municipalities.set(municipalities[i % 8: i % 8 + 2])
            activity.responsible_networks.set(networks[i % len(networks): i % len(networks) + 1])


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["plans:work_plan_detail", "plans:work_plan_pdf", "plans:action_plan"])
def test_queries_stay_constant_from_10_to_300_activities(anonym, name):
    plan = WorkPlan.objects.get(year=2019)
    url = reverse(name, args=[2019])
    grow(plan, 10)
    small = count(anonym, url)
    grow(plan, 290)
    large = count(anonym, url)
    assert large == small


def test_the_plan_page_stays_within_its_query_budget(anonym, django_assert_max_num_queries):
    plan = WorkPlan.objects.get(year=2019)
    grow(plan, 300)
    # 1 plan, 2 chapters, 3 areas, 4 topics, 5 topic networks, 6 chairs, 7 budget,
    # 8 events, 9 event hosts, 10 rotations, 11 rotation hosts, 12 activities,
    # 13–15 their municipalities, networks and people, 16 budget lines,
    # 17 archived PDF, 18–19 the municipalities' decisions (members, records),
    # 20 the other visible years for the comparison form.
    with django_assert_max_num_queries(20):
        anonym.get(reverse("plans:work_plan_detail", args=[2019]))
