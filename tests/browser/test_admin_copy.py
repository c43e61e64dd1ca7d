"""The secretariat starts next year's plan in one click in the admin."""
import pytest
from playwright.sync_api import expect

from plans.models import WorkPlan
from secretariat.seed import seed_load
from tests.a11y import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_copies_the_plan_to_next_year_in_the_admin(live_server, page, django_user_model):
    seed_load()
    django_user_model.objects.create_superuser("kansli", password="kansli-lösen-123")
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Användarnamn").fill("kansli")
    page.get_by_label("Lösenord").fill("kansli-lösen-123")
    page.get_by_role("button", name="Logga in").click()

    plan = WorkPlan.objects.get(year=2019)
    page.goto(f"{live_server.url}/admin/plans/workplan/{plan.pk}/change/")
    page.get_by_role("link", name="Skapa nästa års plan").click()
    assert page.get_by_label("År för den nya planen").input_value() == "2020"
    page.get_by_role("button", name="Skapa nästa års plan").click()

    expect(page.locator(".messagelist")).to_contain_text("Verksamhetsplan och budget 2020 skapades som utkast")
    new = WorkPlan.objects.get(year=2020)
    assert new.status == WorkPlan.Status.DRAFT
    assert new.activities.count() == plan.activities.count()

    page.get_by_role("link", name="Visa på webben").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verksamhetsplan och budget 2020")
    expect(page.locator(".plan-meta")).to_contain_text("Utkast")
    assert_no_axe_violations(page)
