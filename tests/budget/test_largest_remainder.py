"""The pure fee arithmetic (budget.fees): rounding fees to whole kronor so that they add up
exactly (largest-remainder method), and the one rounding rule, half up."""
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from budget.fees import indexed_fee, per_inhabitant_fee, round_kronor, share_fees, split_by_largest_remainder


def test_parts_add_up_exactly_and_each_is_within_a_krona_of_its_exact_share():
    rng = random.Random(20170202)
    for _ in range(500):
        weights = [rng.randint(0, 200_000) for _ in range(rng.randint(1, 12))]
        if not any(weights):
            continue
        total = rng.randint(0, 3_000_000)
        parts = split_by_largest_remainder(total, weights)
        assert sum(parts) == total
        for part, weight in zip(parts, weights):
            exact = Fraction(total * weight, sum(weights))
            assert exact - 1 < part < exact + 1


def test_the_left_over_kronor_go_to_the_largest_remainders():
    # 10 split 1:1:1 is 3.33 each; 100 split 3:3:4 needs no rounding.
    assert split_by_largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert split_by_largest_remainder(100, [3, 3, 4]) == [30, 30, 40]
    # Exact shares 0.7, 1.7, 7.6 of 10: the floors 0+1+7 leave 2 kronor, for .7 and .7.
    assert split_by_largest_remainder(10, [7, 17, 76]) == [1, 2, 7]


def test_a_tie_goes_to_the_larger_weight_then_to_the_earlier_in_the_list():
    # 5 kronor on 1:2:1:2 → 0.83, 1.67, 0.83, 1.67: floors 0,1,0,1 leave 3; remainders
    # are equal in pairs (.83, .67): both .83 (weight 1) first, then the first .67.
    assert split_by_largest_remainder(5, [1, 2, 1, 2]) == [1, 2, 1, 1]
    # Equal remainders and equal weights: the earlier in the list wins.
    assert split_by_largest_remainder(1, [5, 5]) == [1, 0]
    # Equal remainders (1/2 each), different weights: the larger weight wins.
    assert split_by_largest_remainder(2, [1, 3]) == [0, 2]  # exact 0.5 and 1.5


def test_many_equal_shares_differ_by_at_most_one_krona():
    parts = split_by_largest_remainder(945_000, [1] * 8)
    assert sum(parts) == 945_000
    assert parts == [118_125] * 8
    parts = split_by_largest_remainder(1_000_003, [7] * 8)
    assert sum(parts) == 1_000_003
    assert parts == [125_001] * 3 + [125_000] * 5


def test_a_total_smaller_than_the_number_of_municipalities():
    assert split_by_largest_remainder(3, [1] * 8) == [1, 1, 1, 0, 0, 0, 0, 0]
    assert split_by_largest_remainder(1, [10, 50, 20]) == [0, 1, 0]
    assert split_by_largest_remainder(0, [10, 50, 20]) == [0, 0, 0]


def test_a_zero_weight_gets_nothing():
    assert split_by_largest_remainder(7, [0, 1, 1]) == [0, 4, 3]


@pytest.mark.parametrize("total, weights", [(10, []), (10, [0, 0]), (-1, [1]), (10, [1, -1])])
def test_impossible_splits_are_refused(total, weights):
    with pytest.raises(ValueError):
        split_by_largest_remainder(total, weights)


def test_single_fees_round_half_a_krona_up():
    assert round_kronor(Fraction(5, 2)) == 3
    assert round_kronor(Fraction(7, 2)) == 4  # not banker's rounding
    assert round_kronor(Fraction(249, 100)) == 2


def test_every_rule_rounds_a_half_krona_up_with_a_non_integer_rate():
    # 2,50 kr × 5 = 12,50 kr: 13 on the invoice, where round() (to even) gives 12.
    assert round(Decimal("2.50") * 5) == 12
    assert per_inhabitant_fee(Decimal("2.50"), 5) == 13
    assert per_inhabitant_fee(Decimal("2.50"), 7) == 18  # 17,50
    assert per_inhabitant_fee(Decimal("1.9670"), 1000) == 1967
    # § 8: 5 kr × 1 inhabitant / 2 on the base date = 2,50 kr.
    assert indexed_fee(5, 1, 2) == 3
    assert share_fees(5, [1, 1]) == [3, 2]  # the share rule adds up; the tie goes to the first
