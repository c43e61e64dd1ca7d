"""A member municipality's decision on something the collaboration sent it.

Two things go out to the eight kommunstyrelser and come back decided: the plan and
its fee (plans.MunicipalDecision) and a joint paragraph of the minutes
(meetings.ParagraphAdoption). `MunicipalDecisionBase` is everything they share, so
that a rule fixed for one holds for the other: the fields, optimistic locking, the
protocol file (a replaced or cleared file is removed once the change is committed,
and so is the file of a deleted row), the Swedish validation rules, when a decision
is late (`is_late`, `objects.late()`), and the sending loop (`municipal_decisions_send`).

A concrete model adds the foreign key to what was decided on, names it in
`subject_field`, says in `sent_what` how the messages name it, places the protocol
file (`protocol_path`) and adds the rules of its subject (`subject_errors`).

This module imports no other app (meetings stands on plans, never the reverse) and
not plans.models, which imports it (no circle)."""
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sodertorn.locking import Versioned, VersionedQuerySet

from .validators import validate_protocol_pdf


def remove_file_on_commit(storage, name: str) -> None:
    """Deletes a stored file after the current transaction commits (never if it
    rolls back, when the row still points to it)."""
    transaction.on_commit(lambda: storage.delete(name))


def _protocol_upload_to(instance, filename) -> str:
    return instance.protocol_path()


def reminder_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Sent before this day and still undecided is late: DECISION_REMINDER_WEEKS
    have passed (on the day they end, it is not late yet)."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(weeks=settings.DECISION_REMINDER_WEEKS)


class MunicipalDecisionQuerySet(VersionedQuerySet):
    def late(self, today: datetime.date | None = None):
        """Sent, not decided, and the reminder weeks have passed (see `is_late`)."""
        return self.filter(status=self.model.Status.SENT, sent_on__lt=reminder_cutoff(today))


class MunicipalDecisionBase(Versioned):
    class Status(models.TextChoices):
        NOT_SENT = "not_sent", "Ej skickad"
        SENT = "sent", "Skickad"
        DECIDED = "decided", "Beslutad"
        REFERRED_BACK = "referred_back", "Återremitterad"
        REJECTED = "rejected", "Avslag"

    class Assembly(models.TextChoices):
        BOARD = "ks", "Kommunstyrelsen"
        COUNCIL = "kf", "Kommunfullmäktige"

    DECISIONS = {Status.DECIDED, Status.REFERRED_BACK, Status.REJECTED}

    subject_field: str  # the foreign key to what was decided on ("plan", "paragraph")
    sent_what: str  # what was sent, as the messages name it ("planen", "ärendet")

    municipality = models.ForeignKey(
        "plans.Municipality", verbose_name="kommun", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.NOT_SENT)
    sent_on = models.DateField("skickad", null=True, blank=True)
    decided_on = models.DateField("beslutsdatum", null=True, blank=True)
    assembly = models.CharField("beslutande organ", max_length=2, choices=Assembly.choices, blank=True)
    # Not "paragraph": the adoption of a paragraph has a foreign key of that name.
    decision_paragraph = models.CharField("paragraf", max_length=30, blank=True, help_text="T.ex. § 45")
    reference = models.CharField("kommunens diarienummer", max_length=60, blank=True)
    protocol = models.FileField(
        "protokollsutdrag (PDF)", upload_to=_protocol_upload_to, blank=True, validators=[validate_protocol_pdf],
        help_text="PDF, högst 10 MB. Visas bara för inloggade med behörighet.",
    )
    protocol_url = models.URLField(
        "länk till protokollet", blank=True, validators=[URLValidator(schemes=["https"], message="Ange en https-länk.")]
    )
    history = HistoricalRecords(inherit=True)

    objects = MunicipalDecisionQuerySet.as_manager()

    class Meta:
        abstract = True

    def protocol_path(self) -> str:
        """Where the protocol file is stored, relative to MEDIA_ROOT."""
        raise NotImplementedError

    def subject_errors(self) -> dict[str, str]:
        """The rules of what was decided on (e.g. not before the committee decided)."""
        return {}

    def is_late(self, today: datetime.date | None = None) -> bool:
        """Sent, not decided, and the reminder weeks have passed: the secretariat reminds."""
        return self.status == self.Status.SENT and self.sent_on is not None and self.sent_on < reminder_cutoff(today)

    def save(self, *args, **kwargs):
        """Saves, and removes a replaced or cleared protocol file once the change is committed."""
        previous = ""
        if self.pk:
            previous = type(self)._base_manager.filter(pk=self.pk).values_list("protocol", flat=True).first() or ""
        super().save(*args, **kwargs)
        if previous and previous != self.protocol.name:
            remove_file_on_commit(self.protocol.storage, previous)

    def clean(self):
        errors = {}
        if self.municipality_id and not self.municipality.is_member:
            errors["municipality"] = f"{self.municipality} är inte medlem i samverkan."
        if self.status in self.DECISIONS:
            if not self.decided_on:
                errors["decided_on"] = "Ett beslut behöver ett beslutsdatum."
            if not self.decision_paragraph.strip():
                errors["decision_paragraph"] = "Ett beslut behöver en paragraf (§)."
            if not self.assembly:
                errors["assembly"] = "Ange om kommunstyrelsen eller fullmäktige beslutade."
        elif self.decided_on:
            errors["status"] = "Det finns ett beslutsdatum; välj vilket beslut kommunen fattade."
        if self.status != self.Status.NOT_SENT and not self.sent_on:
            errors["sent_on"] = f"Ange när {self.sent_what} skickades till kommunen."
        # What was decided on speaks first: a decision dated before the committee's
        # (or the meeting) is also dated before the sending, but that says less.
        errors.update({field: message for field, message in self.subject_errors().items() if field not in errors})
        if self.sent_on and self.decided_on and self.decided_on < self.sent_on:
            errors.setdefault("decided_on", f"Beslutsdatumet ligger före datumet då {self.sent_what} skickades.")
        if errors:
            raise ValidationError(errors)


@receiver(post_delete, dispatch_uid="municipal_decision_protocol_cleanup")
def _remove_protocol_of_deleted_decision(sender, instance, **kwargs):
    # A signal, not delete(): queryset deletes and cascades do not call delete().
    # Connected for every model, since a signal cannot be bound to an abstract one.
    if isinstance(instance, MunicipalDecisionBase) and instance.protocol:
        remove_file_on_commit(instance.protocol.storage, instance.protocol.name)


@transaction.atomic
def municipal_decisions_send(*, model: type[MunicipalDecisionBase], subject, sent_on: datetime.date) -> int:
    """Marks `subject` (a plan, a paragraph) as sent on `sent_on` to every member
    municipality that has not had it yet, creating their decisions as needed;
    returns how many got it now. The caller checks that it may be sent."""
    municipalities = model._meta.get_field("municipality").related_model  # plans.Municipality, no import circle
    count = 0
    for municipality in municipalities.objects.members():
        decision, _ = model.objects.get_or_create(municipality=municipality, **{model.subject_field: subject})
        if decision.status == model.Status.NOT_SENT:
            decision.status, decision.sent_on = model.Status.SENT, sent_on
            decision.full_clean()
            decision.save()
            count += 1
    return count
