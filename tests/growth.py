"""Grow every related set a page shows, so a query test notices an N+1 in any of them.

Each helper adds `n` rows that the public pages list: goals (in the goal tree and the
action plan's filter), networks with members and goals, member municipalities,
activities with their municipalities and networks, and events with hosts. The rows are
test data only; their titles say so. They are written as the seed loader would
register them, inside lock_bypass(): the seeded plans are decided and locked.
`count_queries` counts what one page load runs.
"""
import datetime
import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext

from calendar_app.models import Event
from sodertorn.lock import lock_bypass
from plans.models import Activity, Body, Goal, GoalLevel, Municipality, Network, NetworkMember, WorkPlan
from sodertorn.dates import Precision

_serial = itertools.count(1)


@lock_bypass()
def grow_municipalities(n: int) -> list[Municipality]:
    made = []
    for _ in range(n):
        i = next(_serial)
        made.append(Municipality.objects.create(name=f"Testkommun {i}", slug=f"testkommun-{i}", is_member=True))
    return made


@lock_bypass()
def grow_goals(plan: WorkPlan, n: int) -> list[Goal]:
    """`n` more goals under the plan's programme's top goals, one level down."""
    programme = plan.programme
    top = list(Goal.objects.filter(programme=programme, parent=None))
    level = GoalLevel.objects.filter(programme=programme, depth=2).first() or GoalLevel.objects.get(
        programme=programme, depth=1
    )
    made = []
    for k in range(n):
        parent = top[k % len(top)] if level.depth == 2 else None
        made.append(Goal.objects.create(
            programme=programme, parent=parent, level=level, position=500 + next(_serial), title=f"Testmål {k}",
        ))
    return made


@lock_bypass()
def grow_networks(n: int, goals: list[Goal]) -> list[Network]:
    """`n` more networks, each with every member municipality and two goals."""
    municipalities = list(Municipality.objects.members())
    made = []
    for k in range(n):
        i = next(_serial)
        network = Network.objects.create(name=f"Testnätverk {i}", slug=f"testnatverk-{i}")
        NetworkMember.objects.bulk_create(NetworkMember(network=network, municipality=m) for m in municipalities)
        network.goals.set(goals[k % len(goals): k % len(goals) + 2])
        made.append(network)
    return made


def grow_activities(plan: WorkPlan, n: int, *, networks: bool = True, follow_up: bool = False) -> None:
    """`n` more activities, each with two member municipalities (and a network; with
    `follow_up`, a follow-up status, an outcome and an actual cost). Registered as
    the seed loader would, so a decided plan grows too."""
    goals = list(Goal.objects.filter(programme=plan.programme))
    municipalities = list(Municipality.objects.members())
    all_networks = list(Network.objects.all()) if networks else []
    statuses = [Activity.FollowUp.DONE, Activity.FollowUp.ONGOING, ""]
    with lock_bypass():
        for i in range(n):
            extra = {}
            if follow_up:
                extra = {"follow_up_status": statuses[i % 3], "actual_cost": 900 * i, "outcome": f"Resultat {i}"}
            activity = Activity.objects.create(
                plan=plan, position=1000 + next(_serial), title=f"Aktivitet {i}", goal=goals[i % len(goals)],
                date_precision="month", month=i % 12 + 1, cost=1000 * i, **extra,
            )
            activity.responsible_municipalities.set(municipalities[i % 8: i % 8 + 2])
            if all_networks:
                activity.responsible_networks.set(all_networks[i % len(all_networks): i % len(all_networks) + 1])


@lock_bypass()
def grow_events(year: int, n: int, plan: WorkPlan | None = None) -> None:
    """`n` more meetings in `year`, each with a place and two hosts."""
    body = Body.objects.get(slug="ledningsgruppen")
    hosts = list(Municipality.objects.filter(slug__in=["huddinge", "salem"]))
    place = Municipality.objects.get(slug="tyreso")
    for i in range(n):
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=(3 * i + 1) % 360)
        event = Event.objects.create(
            kind=Event.Kind.MEETING, body=body, year=year, date_precision=Precision.DAY, start_date=day,
            start_time=datetime.time(8, 30), end_time=datetime.time(13), place=place, plan=plan,
        )
        event.hosts.set(hosts)


@lock_bypass()
def grow_everything(plan: WorkPlan, n: int) -> None:
    """`n` more of every set: municipalities, goals, networks, activities, events;
    registered as the seed loader would, so a decided plan grows too."""
    if not n:
        return
    with lock_bypass():
        grow_municipalities(max(1, n // 10))
        goals = grow_goals(plan, n)
        grow_networks(max(1, n // 5), goals)
        grow_activities(plan, n)
        grow_events(plan.year, n, plan=plan)


def count_queries(client, url: str) -> int:
    """The queries one GET of `url` runs; the page must answer 200 (an error page
    would run fewer)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)
