"""One visibility rule (WorkPlan.objects.visible_to and its equivalents): a draft
plan, its chapters, activities, budget and preliminary events appear on every
public list and page for readers of drafts (läsare, sekretariat), never for the
public (anonym), whose pages are also cached (sodertorn/freshness.py)."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from budget.models import BudgetLine
from calendar_app.models import Event
from plans.models import Activity, Chapter, Network, WorkPlan
from secretariat.services import work_plan_copy_to_year
from sodertorn.dates import Precision

pytestmark = pytest.mark.django_db

CHAPTER = "Utkastets särskilda kapiteltext om Södertörnsmodellen"
ACTIVITY = "Utkastets särskilda aktivitet om pendelparkeringar"
BUDGET_LINE = "Utkastets särskilda budgetrad för konsultstöd"
EVENT = "Utkastets särskilda preliminära seminarium"
EVENT_DAY = timezone.localdate() + datetime.timedelta(days=40)


@pytest.fixture
def draft():
    """A draft for 2020 made by the copy service, with a text, an activity, a
    budget line and a (preliminary) event no decided plan has."""
    plan = work_plan_copy_to_year(source=WorkPlan.objects.get(year=2019), year=2020)
    chapter = plan.chapters.exclude(body="").order_by("position").first()
    Chapter.objects.filter(pk=chapter.pk).update(body=chapter.body + "\n\n" + CHAPTER)
    network = Network.objects.filter(goals__programme=plan.programme).distinct().order_by("slug").first()
    goal = network.goals.filter(programme=plan.programme).first()
    activity = Activity.objects.create(plan=plan, position=999, goal=goal, title=ACTIVITY)
    activity.responsible_networks.add(network)
    BudgetLine.objects.create(budget=plan.budget, kind=BudgetLine.Kind.COST, position=999, label=BUDGET_LINE, amount=1000)
    Event.objects.create(
        plan=plan, kind=Event.Kind.CONFERENCE, title=EVENT, year=EVENT_DAY.year, preliminary=True,
        date_precision=Precision.DAY, start_date=EVENT_DAY, all_day=True,
    )
    return {"plan": plan, "programme": plan.programme.slug, "network": network.slug}


def _page(name, *args):
    return lambda d: reverse(name, args=[d[a] if a in ("programme", "network") else a for a in args])


READERS, NOBODY = {"lasare", "sekretariat"}, set()
# (page, what marks the draft on it, who sees it, the status for those who do not)
PAGES = {
    "start": (_page("plans:home"), "Verksamhetsplan och budget 2020", READERS, 200),
    "plans": (_page("plans:work_plan_list"), "Verksamhetsplan och budget 2020", READERS, 200),
    "plan": (_page("plans:work_plan_detail", 2020), CHAPTER, READERS, 404),
    "handlingsplan": (_page("plans:action_plan", 2020), ACTIVITY, READERS, 404),
    "jamfor": (_page("plans:compare", 2020, 2019), "pendelparkeringar", READERS, 404),
    "arsredovisning": (_page("plans:annual_report", 2020), ACTIVITY, READERS, 404),
    "beslut": (_page("plans:decisions", 2020), "Kommunernas beslut 2020", READERS, 404),
    "program": (_page("plans:programme_detail", "programme"), ACTIVITY, READERS, 200),
    "natverk": (_page("plans:network_detail", "network"), ACTIVITY, READERS, 200),
    "kalender": (_page("calendar_app:upcoming"), EVENT, READERS, 200),
    "kalender-ar": (_page("calendar_app:year", EVENT_DAY.year), EVENT, READERS, 200),
    # The feeds are public files: preliminary events are never in them.
    "kalender-ics": (_page("calendar_app:feed"), EVENT, NOBODY, 200),
    "budget": (_page("budget:budget_list"), reverse("budget:budget_detail", args=[2020]), READERS, 200),
    "budget-ar": (_page("budget:budget_detail", 2020), BUDGET_LINE, READERS, 404),
    "avgifter": (_page("budget:fee_table", 2020), "Avgifter 2020", READERS, 404),
}


@pytest.mark.parametrize("persona", ["anonym", "lasare", "sekretariat"])
@pytest.mark.parametrize("page", PAGES)
def test_a_draft_appears_only_for_readers_of_drafts(request, draft, persona, page):
    url, marker, seen_by, hidden_status = PAGES[page]
    client = request.getfixturevalue(persona)
    # Twice: the second answer may come from the page cache (anonymous users).
    for _ in range(2):
        response = client.get(url(draft))
        content = response.content.decode()
        if persona in seen_by:
            assert response.status_code == 200
            assert marker in content
        else:
            assert response.status_code == hidden_status
            assert marker not in content


def test_the_public_sees_the_decided_plans_on_the_same_pages(anonym, draft):
    """The hidden markers are not hidden because the pages are empty."""
    assert "Verksamhetsplan och budget 2019" in anonym.get(reverse("plans:work_plan_list")).content.decode()
    assert anonym.get(reverse("budget:budget_detail", args=[2019])).status_code == 200
    assert anonym.get(reverse("plans:compare", args=[2019, 2017])).status_code == 200
