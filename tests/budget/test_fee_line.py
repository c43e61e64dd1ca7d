"""Fees and budget agree (issue 11, item 6) and the copied fee footnote is written
the Swedish way (item 5)."""
from decimal import Decimal

import pytest
from django.urls import reverse

from budget.models import Budget, BudgetLine
from budget.schedules import fees_for_budget
from plans.models import WorkPlan
from secretariat.services import work_plan_copy_to_year
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


@pytest.fixture
def budget_2018():
    plan = work_plan_copy_to_year(source=WorkPlan.objects.get(year=2017), year=2018)
    return plan.budget


def test_the_copied_fee_footnote_uses_swedish_number_and_date_formats():
    plan = work_plan_copy_to_year(source=WorkPlan.objects.get(year=2019), year=2020)
    note = plan.budget.lines.get(is_member_fees=True).note.replace("\u00a0", " ")
    assert note == "4,00 kr × 486 975 invånare den 31 december 2017"


def test_changing_the_fee_rule_in_the_admin_updates_the_fee_line(sekretariat, budget_2018):
    url = reverse("admin:budget_budget_change", args=[budget_2018.pk])
    data = admin_form_data(sekretariat, url)
    data.update({"fee_rule": Budget.FeeRule.PER_INHABITANT, "fee_per_inhabitant": "4.00"})
    response = sekretariat.post(url, data, follow=True)
    assert response.status_code == 200
    budget_2018.refresh_from_db()
    schedule = fees_for_budget(budget_2018)
    line = budget_2018.lines.get(is_member_fees=True)
    assert line.amount == schedule.fee_total
    assert f"{line.label}" in _text(response) and "uppdaterades" in _text(response)


def test_the_budget_page_does_not_claim_balance_when_the_fee_line_differs(lasare, budget_2018):
    budget_2018.fee_rule = Budget.FeeRule.PER_INHABITANT
    budget_2018.fee_per_inhabitant = Decimal("4.00")
    budget_2018.save()  # a rule change outside the admin: the line is not updated
    text = _text(lasare.get(reverse("budget:budget_detail", args=[2018])))
    assert "Budgeten är i balans" not in text
    assert "stämmer inte med kommunernas avgifter" in text
    assert "balance-off" in lasare.get(reverse("budget:budget_detail", args=[2018])).content.decode()


def test_the_budget_admin_highlights_the_difference(sekretariat, budget_2018):
    BudgetLine.objects.filter(budget=budget_2018, is_member_fees=True).update(amount=1)
    budget_2018.fee_rule = Budget.FeeRule.PER_INHABITANT
    budget_2018.fee_per_inhabitant = Decimal("4.00")
    budget_2018.save()
    html = sekretariat.get(reverse("admin:budget_budget_change", args=[budget_2018.pk])).content.decode()
    assert 'class="errornote"' in html and "stämmer inte med kommunernas avgifter" in html.replace("\u00a0", " ")


def test_the_fee_page_highlights_the_difference(lasare, budget_2018):
    budget_2018.fee_rule = Budget.FeeRule.PER_INHABITANT
    budget_2018.fee_per_inhabitant = Decimal("4.00")
    budget_2018.save()
    html = lasare.get(reverse("budget:fee_table", args=[2018])).content.decode()
    assert 'class="reconciliation notice" role="alert"' in html
