"""Small factories for rule tests: the few rows a rule needs, made the same way
every time, where the seed alone does not have them and the real flow (deciding a
plan renders its PDFs) would only make the test slow."""
import datetime

from plans.models import MunicipalDecision, Municipality, Programme, WorkPlan


def decided_plan(*, year: int = 2030, decided_on: datetime.date = datetime.date(2030, 1, 15)) -> WorkPlan:
    """A plan the committee decided on `decided_on`, created in that state (the seeded
    plans were decided before the system and have no decision date)."""
    return WorkPlan.objects.create(year=year, programme=Programme.objects.get(slug="sup-2013"),
                                   status=WorkPlan.Status.DECIDED, decided_on=decided_on)


def all_members_decided(plan: WorkPlan, *, sent_on=datetime.date(2018, 12, 1),
                        decided_on=datetime.date(2019, 2, 1)) -> list[MunicipalDecision]:
    """Every member kommunstyrelse has decided the plan (its decisions page is then public)."""
    return [
        MunicipalDecision.objects.create(
            plan=plan, municipality=municipality, status=MunicipalDecision.Status.DECIDED, sent_on=sent_on,
            decided_on=decided_on, assembly="ks", decision_paragraph="§ 10", reference=f"KS 2018/{municipality.code}",
        )
        for municipality in Municipality.objects.members()
    ]
