"""The admin's own pages share one breadcrumb trail (templates/admin/_breadcrumbs.html)
that starts, as Django's Swedish admin does, with "Hem"."""
import re

import pytest
from django.urls import reverse

from sodertorn.lock import lock_bypass
from plans.models import WorkPlan

pytestmark = pytest.mark.django_db


def _trail(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    block = re.search(r'<div class="breadcrumbs">(.*?)</div>', html, re.S)[1]
    return [re.sub(r"\s+", " ", part).strip() for part in re.sub(r"<[^>]+>", "", block).split("›")]


def test_the_plan_pages_of_the_admin_say_hem_and_name_the_plan(sekretariat):
    plan = WorkPlan.objects.get(year=2019)
    for name in ["chairs", "programme", "follow_up"]:
        trail = _trail(sekretariat, reverse(f"admin:plans_workplan_{name}", args=[plan.pk]))
        assert trail[0] == "Hem"
        assert trail[2] == "Verksamhetsplaner" and trail[3] == str(plan)


def test_the_calendar_tools_say_hem(sekretariat):
    for name in ["quick_entry", "pattern_copy"]:
        trail = _trail(sekretariat, reverse(f"admin:calendar_app_event_{name}"))
        assert trail[0] == "Hem" and trail[-2] == "Kalenderhändelser"


def test_a_version_page_says_hem(sekretariat):
    plan = WorkPlan.objects.get(year=2019)
    plan.subtitle = plan.subtitle + " "
    with lock_bypass():  # 2019 is decided: a version of it, made as the seed loader would
        plan.save()
    record = plan.history.first()
    trail = _trail(sekretariat, reverse("admin:plans_workplan_simple_history", args=[plan.pk, record.history_id]))
    assert trail[0] == "Hem" and trail[3] == str(plan) and trail[4] == "Historik"
