"""The budgets of 2012, 2017 and 2019 as the plans print them (seeds 000, 002, 003)."""
import datetime

import pytest

from budget.models import Budget
from budget.selectors import budget_summary

pytestmark = pytest.mark.django_db


def _lines(lines):
    return [(line.label, line.amount, line.approximate) for line in lines]


def test_budget_2012_balances_at_890_000_with_three_cost_lines():
    summary = budget_summary(Budget.objects.get(year=2012))
    assert _lines(summary["income"]) == [("Avgifter från kommunerna", 890_000, False)]
    assert _lines(summary["costs"]) == [
        ("Personal", 724_000, False),
        ("Ersättning till Huddinge kommun för kontorsservice, arbetsrum m.m.", 50_000, False),
        ("Utredningar, konsultstöd m.m.", 116_000, False),
    ]
    assert summary["income_total"] == summary["cost_total"] == 890_000
    assert summary["balances"] and summary["balance"] == 0
    assert summary["member_fees"] == 890_000


def test_budget_2017_is_945_000_as_895_000_staff_plus_50_000_to_huddinge():
    summary = budget_summary(Budget.objects.get(year=2017))
    assert _lines(summary["income"]) == [("Avgifter från kommunerna", 945_000, False)]
    assert [line.amount for line in summary["costs"]] == [895_000, 50_000]
    assert summary["income_total"] == summary["cost_total"] == 945_000
    assert summary["balances"]


def test_budget_2019_is_about_1_977_400_at_4_kr_per_inhabitant():
    budget = Budget.objects.get(year=2019)
    summary = budget_summary(budget)
    assert _lines(summary["income"]) == [("Avgifter från kommunerna", 1_977_400, True)]
    assert [line.amount for line in summary["costs"]] == [1_476_600, 70_000, 430_800]
    assert summary["income_total"] == summary["cost_total"] == 1_977_400
    assert summary["balances"] and summary["approximate"]
    assert budget.fee_rule == Budget.FeeRule.PER_INHABITANT
    assert budget.fee_per_inhabitant == 4
    assert budget.fee_decision_date == datetime.date(2017, 2, 2)
    # population_date is empty in the seed: the reference date is 31 December 2018.
    assert budget.reference_date == datetime.date(2018, 12, 31)


def test_line_notes_become_numbered_footnotes():
    summary = budget_summary(Budget.objects.get(year=2019))
    assert summary["income"][0].footnote == 1
    assert summary["footnotes"] == ["Enligt invånarantal oktober 2018."]
    assert all(line.footnote is None for line in summary["costs"])


def test_budget_summary_keeps_the_keys_the_plan_chapter_uses():
    summary = budget_summary(Budget.objects.get(year=2017))
    assert {"budget", "income", "costs", "income_total", "cost_total", "balance", "balances"} <= summary.keys()
