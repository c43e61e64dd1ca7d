"""A plan made to pass the errors of Kontroll före beslut, as the secretariat would
before "Lägg fram": the year's chairs, the committee's meetings, fees on figures that
exist, a fee line equal to the fees and a budget in balance. The warnings stay; a
test that proposes or decides such a plan confirms them explicitly."""
import datetime

from budget.selectors import budget_for_plan, newest_population_date
from budget.schedules import fees_for_budget
from calendar_app.models import Event
from calendar_app.services import MeetingRow, calendar_meetings_create
from plans.chairs import chairmanship_set
from secretariat.checks import work_plan_checklist
from plans.models import Body, Chairmanship, Person, WorkPlan

CHAIRS = [  # the 2019 chairs, set for the plan's year where missing
    ("samarbetskommitten", "chair", "Meeri Wasberg"),
    ("samarbetskommitten", "vice_chair", "Daniel Dronjak"),
    ("ledningsgruppen", "chair", "Rickard Sundbom"),
    ("ledningsgruppen", "vice_chair", "Mats Bergström"),
]


def _first_thursday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month, 1)
    return day + datetime.timedelta(days=(3 - day.weekday()) % 7)


def plan_make_ready(plan: WorkPlan) -> WorkPlan:
    """Clears every error of the checklist for `plan` (a draft) and returns it;
    asserts that no error is left."""
    for slug, role, name in CHAIRS:
        body = Body.objects.get(slug=slug)
        if not Chairmanship.objects.filter(body=body, year=plan.year, role=role).exists():
            chairmanship_set(body=body, year=plan.year, role=role, person=Person.objects.get(name=name))

    committee = Body.objects.get(slug="samarbetskommitten")
    taken = set(Event.objects.filter(body=committee, year=plan.year).values_list("start_date", flat=True))
    missing = committee.min_meetings_per_year - Event.objects.filter(
        body=committee, year=plan.year, kind=Event.Kind.MEETING).count()
    dates = [d for d in (_first_thursday(plan.year, month) for month in range(2, 13, 2)) if d not in taken]
    if missing > 0:
        calendar_meetings_create(plan=plan, rows=[MeetingRow(d, committee) for d in dates[:missing]])

    budget = budget_for_plan(plan)
    if fees_for_budget(budget).missing:  # the year's figures are not in the data: take the newest
        budget.population_date = newest_population_date()
        budget.save()
    fee_total = fees_for_budget(budget).fee_total
    fee_line = budget.lines.get(is_member_fees=True)
    if fee_line.amount != fee_total:
        fee_line.amount = fee_total
        fee_line.save()
    lines = list(budget.lines.all())
    income = sum(line.amount for line in lines if line.kind == line.Kind.INCOME)
    costs = [line for line in lines if line.kind == line.Kind.COST]
    if income != sum(line.amount for line in costs):
        largest = max(costs, key=lambda line: line.amount)
        largest.amount += income - sum(line.amount for line in costs)
        largest.save()

    errors = work_plan_checklist(plan).errors
    assert not errors, [c.message for c in errors]
    return plan
