"""The årsredovisning (`annual_report_document`), one context builder shared by its
page and its PDF: per goal what was done, with the planned cost against the
outcome. It runs a fixed number of queries whatever the plan's size (see
tests/plans/test_annual_report.py).
"""
from dataclasses import dataclass, field

from budget.selectors import budget_summary

from sodertorn.templatetags.sodertorn import signed_kr
from plans.models import Activity, WorkPlan
from plans.selectors import activities_for_plan, work_plan_printed_names_apply

NOT_FOLLOWED_UP = "Ej uppföljd"


@dataclass
class FollowUpRow:
    activity: Activity

    @property
    def status(self) -> str:
        return self.activity.get_follow_up_status_display() if self.activity.follow_up_status else NOT_FOLLOWED_UP

    @property
    def planned(self) -> int | None:
        return self.activity.cost

    @property
    def actual(self) -> int | None:
        return self.activity.actual_cost

    @property
    def difference(self) -> int | None:
        """Outcome minus plan; only where both are known."""
        if self.planned is None or self.actual is None:
            return None
        return self.actual - self.planned

    @property
    def difference_display(self) -> str:
        return signed_kr(self.difference)

    @property
    def is_followed_up(self) -> bool:
        a = self.activity
        return bool(a.follow_up_status or a.outcome.strip() or a.actual_cost is not None)


@dataclass
class Totals:
    rows: list[FollowUpRow] = field(default_factory=list)

    def _sum(self, values) -> int | None:
        values = [v for v in values if v is not None]
        return sum(values) if values else None

    @property
    def planned(self) -> int | None:
        return self._sum(r.planned for r in self.rows)

    @property
    def actual(self) -> int | None:
        return self._sum(r.actual for r in self.rows)

    @property
    def difference(self) -> int | None:
        """The sum of the activities' differences: an activity without an outcome
        yet does not count as saved money."""
        return self._sum(r.difference for r in self.rows)

    @property
    def difference_display(self) -> str:
        return signed_kr(self.difference)

    @property
    def done(self) -> int:
        return sum(1 for r in self.rows if r.activity.follow_up_status == Activity.FollowUp.DONE)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def illegible(self) -> int:
        """Costs cut off in the source's scan: shown as not legible, left out of the sums."""
        return sum(1 for r in self.rows if r.planned is None and r.activity.cost_illegible)


@dataclass
class FollowUpGroup(Totals):
    heading: str = ""


def annual_report_document(plan: WorkPlan) -> dict:
    """Everything the årsredovisning page and its PDF show (at most 6 queries): the action
    plan's activities per goal with their follow-up, planned cost against outcome,
    counts per status, and the plan's budget lines."""
    activities = list(activities_for_plan(plan))
    work_plan_printed_names_apply(plan, activities)  # a decided plan's goal titles as it printed them
    rows = [FollowUpRow(a) for a in activities]
    groups: dict[str, FollowUpGroup] = {}
    for row in rows:
        heading = row.activity.group_heading
        groups.setdefault(heading, FollowUpGroup(heading=heading)).rows.append(row)
    status_counts = [
        {"status": label, "count": sum(1 for r in rows if r.activity.follow_up_status == value)}
        for value, label in Activity.FollowUp.choices
    ]
    status_counts.append({"status": NOT_FOLLOWED_UP, "count": sum(1 for r in rows if not r.activity.follow_up_status)})
    budget = getattr(plan, "budget", None)
    summary = budget_summary(budget) if budget else None
    return {
        "plan": plan,
        "groups": list(groups.values()),
        "totals": Totals(rows),
        "status_counts": status_counts,
        "followed_up": sum(1 for r in rows if r.is_followed_up),
        "budget": summary,
        "budget_outcome_groups": [
            ("Intäkter", summary["income"], summary["income_total"], summary["income_actual_total"]),
            ("Kostnader", summary["costs"], summary["cost_total"], summary["cost_actual_total"]),
        ] if summary else [],
    }
