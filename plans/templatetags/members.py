"""The member municipalities as the documents' covers list them (from the data)."""
from django import template

from plans.models import Municipality
from sodertorn.db import swedish

register = template.Library()


@register.simple_tag
def member_names() -> list[str]:
    """The members' names in Swedish alphabetical order (1 query)."""
    return list(Municipality.objects.members().order_by(swedish("name")).values_list("name", flat=True))
