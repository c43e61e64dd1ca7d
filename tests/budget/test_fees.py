"""Each member's fee under the three fee rules, on the real population figures."""
import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from budget.models import Budget, BudgetLine, Population
from budget.fees import round_kronor
from budget.schedules import fees_for_budget
from budget.services import split_by_population
from plans.models import Municipality

pytestmark = pytest.mark.django_db

POPULATION_2016 = {
    "Botkyrka": 90_675, "Haninge": 85_693, "Huddinge": 107_538, "Nykvarn": 10_424,
    "Nynäshamn": 27_752, "Salem": 16_615, "Södertälje": 94_631, "Tyresö": 47_103,
}
POPULATION_2017 = {
    "Botkyrka": 91_631, "Haninge": 87_490, "Huddinge": 109_523, "Nykvarn": 10_608,
    "Nynäshamn": 28_048, "Salem": 16_665, "Södertälje": 95_834, "Tyresö": 47_176,
}
# 945 000 kr split by the 2016 populations (480 431): floors leave 5 kronor, which go to
# Nykvarn (.84), Tyresö (.84), Haninge (.74), Nynäshamn (.73) and Södertälje (.65).
FEES_2017 = {
    "Botkyrka": 178_356, "Haninge": 168_557, "Huddinge": 211_525, "Nykvarn": 20_504,
    "Nynäshamn": 54_588, "Salem": 32_681, "Södertälje": 186_138, "Tyresö": 92_651,
}
MEMBERS = list(FEES_2017)


def _by_name(schedule):
    return {row.municipality.name: row for row in schedule.rows}


def _budget(year, rule, *, fees=None, **fields):
    budget = Budget.objects.create(year=year, fee_rule=rule, **fields)
    if fees is not None:
        BudgetLine.objects.create(budget=budget, kind="income", label="Avgifter från kommunerna",
                                  amount=fees, is_member_fees=True)
    return budget


def test_the_2017_fees_split_945_000_kr_on_the_real_2016_populations():
    schedule = fees_for_budget(Budget.objects.get(year=2017))
    rows = _by_name(schedule)
    assert schedule.reference_date == datetime.date(2016, 12, 31)
    assert list(rows) == MEMBERS  # Swedish order: Södertälje before Tyresö
    assert {name: row.inhabitants for name, row in rows.items()} == POPULATION_2016
    assert schedule.total_population == 480_431
    assert {name: row.fee for name, row in rows.items()} == FEES_2017
    assert not schedule.missing and not schedule.problems


def test_the_2017_fees_add_up_exactly_to_the_budgeted_fee_income():
    schedule = fees_for_budget(Budget.objects.get(year=2017))
    assert schedule.fee_total == 945_000 == schedule.member_fee_income
    assert schedule.difference == 0
    assert sum(row.share for row in schedule.rows) == 1


def test_each_2017_fee_is_within_a_krona_of_the_exact_population_share():
    for row in fees_for_budget(Budget.objects.get(year=2017)).rows:
        exact = Fraction(945_000 * row.inhabitants, 480_431)
        assert abs(row.fee - exact) < 1
    huddinge = _by_name(fees_for_budget(Budget.objects.get(year=2017)))["Huddinge"]
    assert huddinge.share_percent == Decimal("22.38")


def test_the_2012_fees_are_not_computed_and_the_missing_2011_figures_are_named():
    schedule = fees_for_budget(Budget.objects.get(year=2012))
    assert schedule.reference_date == datetime.date(2011, 12, 31)
    assert [str(m) for m in schedule.missing] == [f"{name} 2011-12-31" for name in MEMBERS]
    assert all(row.fee is None and row.share is None for row in schedule.rows)
    assert schedule.fee_total is None and not schedule.is_complete
    assert schedule.member_fee_income == 890_000


def test_the_2019_fees_need_the_population_of_31_december_2018_which_is_missing():
    schedule = fees_for_budget(Budget.objects.get(year=2019))
    assert schedule.reference_date == datetime.date(2018, 12, 31)
    assert [m.municipality.name for m in schedule.missing] == MEMBERS
    assert {m.date for m in schedule.missing} == {datetime.date(2018, 12, 31)}
    assert all(row.fee is None for row in schedule.rows)


def test_the_per_inhabitant_rule_charges_4_kr_per_inhabitant():
    budget = _budget(2018, Budget.FeeRule.PER_INHABITANT, fees=1_950_000, fee_per_inhabitant=4)
    schedule = fees_for_budget(budget)
    assert {row.municipality.name: row.fee for row in schedule.rows} == {
        name: 4 * n for name, n in POPULATION_2017.items()
    }
    assert schedule.fee_total == 4 * sum(POPULATION_2017.values()) == 1_947_900
    assert schedule.difference == -2_100  # a round budget figure, not the fees' sum


def test_a_rate_with_oren_rounds_each_fee_to_whole_kronor():
    budget = _budget(2018, Budget.FeeRule.PER_INHABITANT, fee_per_inhabitant=Decimal("1.25"))
    rows = _by_name(fees_for_budget(budget))
    assert rows["Nykvarn"].fee == 13_260  # 10 608 × 1,25 = 13 260
    assert rows["Salem"].fee == 20_831  # 16 665 × 1,25 = 20 831,25


def test_the_per_inhabitant_rule_computes_the_fees_it_can_and_names_the_rest():
    # Only Botkyrka, Haninge and Huddinge have a figure for 31 December 2024.
    budget = _budget(2025, Budget.FeeRule.PER_INHABITANT, fee_per_inhabitant=4)
    schedule = fees_for_budget(budget)
    fees = {row.municipality.name: row.fee for row in schedule.computable_rows}
    assert fees == {"Botkyrka": 383_620, "Haninge": 403_580, "Huddinge": 457_216}
    assert [m.municipality.name for m in schedule.missing] == [
        "Nykvarn", "Nynäshamn", "Salem", "Södertälje", "Tyresö"
    ]
    assert schedule.fee_total is None  # never a total of only some fees
    assert all(row.share is None for row in schedule.rows)  # shares need every figure


def test_the_share_rule_computes_nothing_when_a_single_figure_is_missing():
    Population.objects.get(municipality__name="Salem", date=datetime.date(2016, 12, 31)).delete()
    # live: the fees decided for 2017 are frozen (tests/budget/test_frozen_fees.py)
    schedule = fees_for_budget(Budget.objects.get(year=2017), live=True)
    assert [str(m) for m in schedule.missing] == ["Salem 2016-12-31"]
    assert schedule.computable_rows == []


def test_a_budget_date_overrides_31_december_of_the_year_before():
    budget = _budget(2018, Budget.FeeRule.SHARE, fees=1_000_000, population_date=datetime.date(2016, 12, 31))
    schedule = fees_for_budget(budget)
    assert schedule.reference_date == datetime.date(2016, 12, 31)
    assert schedule.fee_total == 1_000_000


def test_the_indexed_rule_moves_each_fee_with_its_own_population():
    """§ 8: a base total split on the base date, then each fee moves by the same
    percentage as the municipality's population: base × pop(ref) / total(base)."""
    budget = _budget(2018, Budget.FeeRule.INDEXED, fees=960_000, base_total=945_000,
                     base_population_date=datetime.date(2016, 12, 31))
    schedule = fees_for_budget(budget)
    assert schedule.base_total_population == 480_431
    for row in schedule.rows:
        name = row.municipality.name
        base_fee = Fraction(945_000 * POPULATION_2016[name], 480_431)  # the fee on the base date
        moved = base_fee * Fraction(POPULATION_2017[name], POPULATION_2016[name])  # its own change
        assert row.fee == round_kronor(moved)
    assert _by_name(schedule)["Huddinge"].fee == 215_430  # 945 000 × 109 523 / 480 431
    assert schedule.rate_per_inhabitant == Decimal("1.9670")


def test_a_non_integer_rate_rounds_half_a_krona_up_not_to_even():
    """1,50 kr × 91 631 inhabitants (Botkyrka 2017-12-31) = 137 446,50 kr: the fee is
    137 447 kr, where Python's round() (banker's rounding) would give 137 446."""
    budget = _budget(2018, Budget.FeeRule.PER_INHABITANT, fee_per_inhabitant=Decimal("1.50"))
    rows = _by_name(fees_for_budget(budget))
    assert round(Decimal("1.50") * POPULATION_2017["Botkyrka"]) == 137_446
    assert rows["Botkyrka"].fee == 137_447
    for name, row in rows.items():  # 3/2 × population, a half krona rounded up
        assert row.fee == (3 * POPULATION_2017[name] + 1) // 2


def test_the_indexed_rule_names_missing_base_date_figures():
    budget = _budget(2018, Budget.FeeRule.INDEXED, base_total=860_000,
                     base_population_date=datetime.date(2009, 12, 31))
    schedule = fees_for_budget(budget)
    assert {m.date for m in schedule.missing} == {datetime.date(2009, 12, 31)}
    assert len(schedule.missing) == 8
    assert schedule.computable_rows == []


def test_a_share_budget_without_a_member_fee_line_says_so():
    schedule = fees_for_budget(_budget(2018, Budget.FeeRule.SHARE))
    assert schedule.member_fee_income is None
    assert schedule.problems and "medlemsavgifter" in schedule.problems[0]
    assert schedule.computable_rows == []


def test_non_members_pay_no_fee():
    schedule = fees_for_budget(Budget.objects.get(year=2017))
    assert "Stockholm" not in _by_name(schedule)
    assert Municipality.objects.filter(name="Stockholm", is_member=False).exists()


def test_a_special_project_is_split_by_population_and_adds_up():
    split = split_by_population(100_000, datetime.date(2016, 12, 31))
    assert sum(row.fee for row in split.rows) == 100_000
    assert _by_name(split)["Huddinge"].fee == 22_384  # 100 000 × 107 538 / 480 431 = 22 383,6
    missing = split_by_population(100_000, datetime.date(2011, 12, 31))
    assert not missing.is_complete and len(missing.missing) == 8
    assert all(row.fee is None for row in missing.rows)
