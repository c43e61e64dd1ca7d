"""The decided plan as a lock owner (the mechanism: sodertorn/lock.py).

A plan the committee has decided is a public record: the public page and the PDF
the kommunstyrelser decided on must not drift apart. So every model whose rows a
plan shows (chapters, collaboration areas and topics, activities, the events of its
Kalendarium, its budget and budget lines, the chairs of its year, the host
rotations it prints, the delmål it sets) is a `PlanPart`: locked while its plan is
decided, on every path, in Python and in the database. Only "Öppna igen"
(`work_plan_reopen`, the reason kept as a `PlanReopening`) unlocks.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError

from sodertorn.lock import ALWAYS_FREE, Lockable

DECIDED = "decided"  # WorkPlan.Status.DECIDED, without importing the model here


def _years_text(years) -> str:
    years = sorted(set(years))
    if len(years) == 1:
        return f"Verksamhetsplanen för {years[0]} är beslutad"
    return f"Verksamhetsplanerna för {', '.join(map(str, years[:-1]))} och {years[-1]} är beslutade"


def plan_lock_error(model, rule, years) -> ValidationError:
    """The Swedish refusal: which plan, what cannot change, what still can, and how to unlock."""
    if rule.path is None and hasattr(model, "WORKFLOW_FIELDS"):  # the plan itself
        return ValidationError(
            f"{_years_text(years)} och låst. Den ändras bara om den öppnas igen med ett registrerat skäl "
            "(”Öppna igen” på planens sida i administrationen).", code="locked")
    free = [str(model._meta.get_field(name).verbose_name) for name in rule.free_fields if name not in ALWAYS_FREE]
    one = len(set(years)) == 1
    what = (rule.noun.format(planen="planen" if one else "planerna") if rule.noun
            else f"{model._meta.verbose_name_plural} i {'den' if one else 'dem'}")
    message = (
        f"{_years_text(years)} och {'låst' if one else 'låsta'}: {what} "
        "kan inte ändras, läggas till, flyttas in eller ut eller raderas."
    )
    if free:
        message += f" Bara {', '.join(free)} kan fyllas i."
    message += (f" Öppna {'planen' if one else 'planerna'} igen med ett skäl (”Öppna igen” på planens sida i "
                "administrationen) om något måste ändras.")
    return ValidationError(message, code="locked")


class PlanPart(Lockable):
    """A part of what a decided plan shows; `lock_path` leads to its WorkPlan."""

    lock_owner = "plans.WorkPlan"
    lock_path = "plan"

    class Meta:
        abstract = True
