"""The admin fits a 1280 px screen with the seed data (issue 11, item 8): no page
is wider than the viewport, and the admin speaks Swedish."""
import datetime

import pytest

from budget.models import Budget
from calendar_app.models import Event
from plans.models import WorkPlan
from plans.services import municipal_decisions_mark_sent
from secretariat.seed import seed_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1280


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": WIDTH, "height": 900}}


def test_admin_pages_fit_1280_px(live_server, page, django_user_model):
    seed_load()
    plan = WorkPlan.objects.get(year=2019)
    if not plan.municipal_decisions.exists():
        municipal_decisions_mark_sent(plan=plan, sent_on=datetime.date(2019, 3, 1))  # the eight rows
    draft = WorkPlan.objects.get(year=2017)
    django_user_model.objects.create_superuser("kansli", password="kansli-lösen-123")
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Användarnamn").fill("kansli")
    page.get_by_label("Lösenord").fill("kansli-lösen-123")
    page.get_by_role("button", name="Logga in").click()

    event = Event.objects.filter(year=2019).exclude(body=None).first()
    urls = {
        "plan (decided, eight decisions)": f"/admin/plans/workplan/{plan.pk}/change/",
        "plan (with the checklist)": f"/admin/plans/workplan/{draft.pk}/change/",
        "budget": f"/admin/budget/budget/{Budget.objects.get(year=2019).pk}/change/",
        "event": f"/admin/calendar_app/event/{event.pk}/change/",
        "decision list": "/admin/plans/municipaldecision/",
        "plan list": "/admin/plans/workplan/",
        "event list": "/admin/calendar_app/event/",
        "budget line list": "/admin/budget/budgetline/",
    }
    too_wide = {}
    for name, url in urls.items():
        page.goto(live_server.url + url)
        # open the collapsed inlines, as an editor would
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            too_wide[name] = width
    assert too_wide == {}


def test_admin_lists_and_history_are_swedish(live_server, page, django_user_model):
    seed_load()
    django_user_model.objects.create_superuser("kansli", password="kansli-lösen-123")
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Användarnamn").fill("kansli")
    page.get_by_label("Lösenord").fill("kansli-lösen-123")
    page.get_by_role("button", name="Logga in").click()
    english = ["DISPLAY TITLE", "PLACE DISPLAY", "REFERENCE DATE", "Choose a date", "Changed by", "Change reason"]
    plan = WorkPlan.objects.get(year=2019)
    for url in ["/admin/plans/workplan/", "/admin/calendar_app/event/", "/admin/budget/budget/",
                f"/admin/plans/workplan/{plan.pk}/history/"]:
        page.goto(live_server.url + url)
        text = page.locator("body").inner_text()
        assert not [word for word in english if word.lower() in text.lower()], url
