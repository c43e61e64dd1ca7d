"""The year's chairs from one form: the membership is created when missing."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from .models import Body, Chairmanship, Membership, Person


@transaction.atomic
def chairmanship_set(*, body: Body, year: int, role: str, person: Person) -> Chairmanship:
    """`person` becomes chair (or vice chair) of `body` in `year`, replacing whoever
    held the role. A person who is not a member of the body that year gets a
    membership for the year first (representing their municipality)."""
    is_member = (
        Membership.objects.filter(body=body, person=person, start_year__lte=year)
        .filter(Q(end_year__isnull=True) | Q(end_year__gte=year)).exists()
    )
    if not is_member:
        membership = Membership(body=body, person=person, municipality=person.municipality, start_year=year,
                                end_year=year, role_title=person.title)
        membership.full_clean()
        membership.save()
    chair = Chairmanship.objects.filter(body=body, year=year, role=role).first() or Chairmanship(
        body=body, year=year, role=role)
    chair.person = person
    try:
        chair.full_clean()
    except ValidationError as exc:
        raise ValidationError([f"{body.short_name}: {m}" for m in exc.messages]) from exc
    chair.save()
    return chair
