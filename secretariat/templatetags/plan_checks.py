from django import template

from secretariat.checks import work_plan_checklist

register = template.Library()


@register.simple_tag
def plan_checklist(plan):
    """"Kontroll före beslut" for the plan's admin page (not for decided plans)."""
    if plan is None or not plan.pk or plan.is_locked:
        return None
    return work_plan_checklist(plan)
