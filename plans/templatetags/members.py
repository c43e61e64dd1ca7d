"""The member municipalities as the documents' covers list them (from the data)."""
from django import template

from plans.models import Municipality
from plans.selectors import printed_names_of
from sodertorn.db import swedish

register = template.Library()

# Swedish order in Python: å, ä, ö after z (the database's collation, sodertorn/db.py,
# sorts the live names; these are the names a decided plan printed).
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}"})


@register.simple_tag
def member_names(plan=None) -> list[str]:
    """The members' names in Swedish alphabetical order (1 query); for a decided
    plan `plan`, the members and names it printed (no query)."""
    printed = printed_names_of(plan)
    municipalities = (printed or {}).get("names", {}).get("plans.Municipality")
    if municipalities:
        names = [m["name"] for m in municipalities.values() if m.get("is_member")]
        return sorted(names, key=lambda name: name.lower().translate(_SWEDISH_ORDER))
    return list(Municipality.objects.members().order_by(swedish("name")).values_list("name", flat=True))
