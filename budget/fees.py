"""The fee arithmetic, pure: numbers in, whole kronor out (no queries, no models).

Samarbetsavtalet § 7, § 8 and the committee's decision of 2017-02-02 give three rules:
- share: the member-fee income split in proportion to each member's population on
  the reference date (largest remainder, so the fees add up to the income exactly);
- per inhabitant: a fixed rate per inhabitant;
- indexed (§ 8): a base total split by population on a base date, each fee then
  moving by the same percentage as its municipality's population; the yearly steps
  telescope, so the fee is base_total × population(reference) / total(base date).

One rounding rule everywhere a krona is decided: half a krona and more rounds up,
as an invoice does (`round_kronor`, in `sodertorn/kronor.py` so the amount
formatting of every page uses it too), never Python's banker's `round()`. The fee
page, the fee documents, the frozen fees and the plan copy all reach these
functions through `budget.schedules.fees_for_budget`.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from sodertorn.kronor import round_kronor


def split_by_largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Split `total` whole kronor in proportion to `weights`, adding up exactly.

    Every part is first rounded down; the kronor left over go one each to the
    parts with the largest remainders. Ties go to the larger weight, then to the
    earlier position in the list, so the result never depends on anything but
    the input. Exact integer arithmetic: no float ever decides a krona.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights)
    if not weights or weight_sum == 0:
        raise ValueError("at least one weight must be positive")
    parts = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    left_over = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], -weights[i], i))
    for i in order[:left_over]:
        parts[i] += 1
    return parts


def population_shares(inhabitants: list[int]) -> list[Fraction]:
    """Each member's exact share of the members' total population."""
    total = sum(inhabitants)
    return [Fraction(n, total) for n in inhabitants]


def share_fees(income: int, inhabitants: list[int]) -> list[int]:
    """The share rule: `income` split by population, adding up exactly."""
    return split_by_largest_remainder(income, inhabitants)


def per_inhabitant_fee(rate: Decimal, inhabitants: int) -> int:
    """The per-inhabitant rule: rate × inhabitants, rounded half up."""
    return round_kronor(Decimal(inhabitants) * Decimal(rate))


def indexed_fee(base_total: int, inhabitants: int, base_total_population: int) -> int:
    """§ 8: base_total × population(reference date) / total population(base date),
    rounded half up."""
    return round_kronor(Fraction(base_total * inhabitants, base_total_population))


def indexed_rate(base_total: int, base_total_population: int) -> Decimal:
    """Kronor per inhabitant that the indexed rule amounts to (4 decimals)."""
    return (Decimal(base_total) / Decimal(base_total_population)).quantize(Decimal("0.0001"))


def share_as_percent(share: Fraction) -> Decimal:
    """A share of the total population as a percentage with two decimals."""
    return (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(Decimal("0.01"))
