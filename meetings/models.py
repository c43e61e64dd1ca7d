"""Sammanträden: a body's meeting (its calendar event), the dagordning with its
handlingar, who was present, the protokoll with paragraphs numbered per body and
year, justering, and the decisions that go on living (uppdrag, the eight
kommunstyrelsers adoption of a joint matter).

The rules that protect the minutes live here, at the model layer, so no admin
form, script or bulk update can get round them:
- nothing of a meeting is deleted once the kallelse has gone out;
- nothing of a meeting changes once its minutes are justerade.
State changes go through the service functions in `services.py`.
"""
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from calendar_app.models import Event
from plans.models import (
    Activity,
    Body,
    Goal,
    Municipality,
    Network,
    Person,
    WorkPlan,
)
from plans.decisions import MunicipalDecisionBase
from plans.validators import validate_pdf_upload
from sodertorn.archive import ChainedArchive
from sodertorn.dates import Precision
from sodertorn.lock import Lockable, LockedManager, LockedQuerySet, LockRule, bypassed, lock_also
from sodertorn.locking import Versioned, VersionedQuerySet

# Days before the meeting by which the kallelse should have gone out, per body
# (slug); bodies not listed use MEETING_NOTICE_DAYS (default a week).
NOTICE_DAYS_BY_BODY: dict[str, int] = {}
# Justering is customarily done within this many days of the meeting.
APPROVAL_DAYS = 14
# Kommunallagen 13 kap.: an appeal within three weeks of the anslag.
APPEAL_PERIOD = datetime.timedelta(weeks=3)


def notice_days(body: Body) -> int:
    return NOTICE_DAYS_BY_BODY.get(body.slug, getattr(settings, "MEETING_NOTICE_DAYS", 7))


class Locked(ValidationError):
    """The refusal of a change to justerade minutes, or to minutes under justering."""


# The two rules of a meeting's record, each said once:
# - nothing of it is deleted once the kallelse has gone out;
# - nothing of it changes once justering has begun (the generic lock,
#   sodertorn/lock.py, with the meeting as owner: `Meeting.lock_state_q`).
NOT_DELETED_AFTER_NOTICE = "Sammanträdet har kallats till; {what}."

# The meeting's locked states (LockRule.state): the minutes' content is frozen
# once the first justerare has signed, and everything once justerat.
FROZEN, APPROVED_STATE = "frozen", "approved"


class MeetingQuerySet(LockedQuerySet):
    def delete(self):
        if not bypassed() and self.exclude(status=Meeting.Status.PLANNED).exists():
            raise ValidationError(NOT_DELETED_AFTER_NOTICE.format(what="det raderas aldrig"))
        return super().delete()

    def public(self):
        return self.filter(status=Meeting.Status.APPROVED)

    def visible_to(self, user):
        return self if Meeting.unapproved_visible_to(user) else self.public()


class Meeting(Lockable):
    """A sammanträde of a body. It *is* its calendar event: date, time, place and
    source come from the event, never from a second copy.

    A lock owner (sodertorn/lock.py): once justering has begun, the minutes'
    content (items, paragraphs, attendance, handlingar, its calendar event) is
    frozen, and once justerat, everything of the meeting is."""

    # What justering itself writes; printed_names: the names the justerade minutes
    # showed (sodertorn/printed.py), kept in the same save as the status.
    WORKFLOW_FIELDS = {"status", "approved_at", "printed_names"}

    class Status(models.TextChoices):
        PLANNED = "planned", "Planerat"
        NOTICED = "noticed", "Kallat"
        HELD = "held", "Genomfört"
        APPROVED = "approved", "Justerat"

    event = models.OneToOneField(Event, verbose_name="kalenderhändelse", on_delete=models.PROTECT, related_name="meeting")
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.PLANNED, editable=False)
    chair = models.ForeignKey(
        Person, verbose_name="ordförande", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    secretary = models.ForeignKey(
        Person, verbose_name="sekreterare", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_sent_at = models.DateTimeField("kallelse skickad", null=True, blank=True, editable=False)
    notice_late = models.BooleanField("kallelsen gick ut sent", default=False, editable=False)
    held_at = models.DateTimeField("protokoll upprättat", null=True, blank=True, editable=False)
    approved_at = models.DateTimeField("justerat", null=True, blank=True, editable=False)
    printed_names = models.JSONField(
        "namn som protokollet visade vid justeringen", default=dict, blank=True, editable=False,
        help_text="Personer, kommuner, organ och nätverk som det justerade protokollet namngav, "
        "som de hette då (sodertorn/printed.py). Låst med protokollet.",
    )

    objects = LockedManager.from_queryset(MeetingQuerySet)()
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "sammanträde"
        verbose_name_plural = "sammanträden"
        ordering = ["-event__sort_key"]
        permissions = [("view_unapproved", "Kan läsa sammanträden som inte är justerade, och handlingar")]

    def __str__(self):
        if self.event_id and self.event.start_date:
            return f"{self.body} {self.date:%Y-%m-%d}"
        return "Nytt sammanträde"

    @property
    def body(self) -> Body:
        return self.event.body

    @property
    def date(self) -> datetime.date:
        return self.event.start_date

    @property
    def year(self) -> int:
        return self.event.year

    @property
    def place(self) -> str:
        return self.event.place_display

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    @staticmethod
    def unapproved_visible_to(user) -> bool:
        """Justerade minutes are public; the others only for readers with view_unapproved."""
        return user.has_perm("meetings.view_unapproved")

    def is_visible_to(self, user) -> bool:
        return self.is_public or self.unapproved_visible_to(user)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def minutes_frozen(self) -> bool:
        """Justerat, or justering begun: what one justerare approved must be what
        the others approve and what is archived."""
        return self.is_locked or (
            self.status == self.Status.HELD and self.approvals.filter(approved_at__isnull=False).exists()
        )

    # -- the lock (sodertorn/lock.py): a meeting is an owner --------------------------

    lock_key = "pk"
    lock_db_message = "Protokollet är justerat eller under justering och låst (databasens spärr)."

    @classmethod
    def lock_state_q(cls, prefix: str = "", state: str | None = None) -> models.Q:
        approved = models.Q(**{f"{prefix}status": cls.Status.APPROVED})
        if state == APPROVED_STATE:
            return approved
        return approved | models.Q(**{f"{prefix}status": cls.Status.HELD, f"{prefix}approvals__approved_at__isnull": False})

    @classmethod
    def lock_state_sql(cls, alias: str, state: str | None = None) -> str:
        approved = f"{alias}.status = '{cls.Status.APPROVED}'"
        if state == APPROVED_STATE:
            return approved
        return (
            f"({approved} OR ({alias}.status = '{cls.Status.HELD}' AND EXISTS (SELECT 1 FROM "
            f"{MinutesApproval._meta.db_table} a WHERE a.meeting_id = {alias}.id AND a.approved_at IS NOT NULL)))"
        )

    @classmethod
    def lock_error(cls, model, rule, keys) -> ValidationError:
        meetings = Meeting._base_manager.filter(pk__in=keys).select_related("event__body")
        names = ", ".join(f"{m.event.body} {m.date:%Y-%m-%d}" for m in meetings) or "sammanträdet"
        approved = Meeting._base_manager.filter(pk__in=keys, status=cls.Status.APPROVED).exists()
        what = "sammanträdet" if rule.is_own(model) else str(model._meta.verbose_name_plural)
        if approved:
            return Locked(
                f"Protokollet är justerat och kan inte ändras ({names}): {what} kan inte ändras, "
                "läggas till eller raderas.", code="locked")
        return Locked(
            f"Justeringen har börjat; protokollet kan inte ändras ({names}): {what} är låst medan "
            "justerarna skriver under.", code="locked")

    def lock_keys_for(self, rule) -> set:
        return set()  # a new meeting is never justerat

    def lock_check(self, update_fields=None) -> None:
        """Once justerat nothing changes; while under justering only the workflow
        (the service that records the last signature) changes status and date."""
        from sodertorn.lock import ALWAYS_FREE

        if bypassed() or self.pk is None or self._state.adding:
            return
        hit = self._saved_lock_hit()
        if not hit:
            return
        changed = set(self._changed_fields(update_fields)) - ALWAYS_FREE
        justerat = Meeting._base_manager.filter(pk=self.pk, status=self.Status.APPROVED).exists()
        if changed and (justerat or changed - self.WORKFLOW_FIELDS):
            raise hit.error()

    @classmethod
    def lock_row_sql(cls, rule, row: str) -> str | None:
        # The database keeps the justerat meeting (the state under justering is kept in Python).
        return cls.lock_state_sql(row, state=APPROVED_STATE) if rule.is_own(cls) else None

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.event.body.slug, self.date.isoformat()])

    def clean(self):
        if not self.event_id:
            return
        event = self.event
        errors = []
        if not event.body_id:
            errors.append("Kalenderhändelsen hör inte till något organ.")
        if event.date_precision != Precision.DAY or not event.start_date:
            errors.append("Ett sammanträde behöver ett exakt datum i kalendern.")
        if event.preliminary:
            errors.append("Kalenderhändelsen är preliminär; fastställ datumet först.")
        if not errors:
            twin = Meeting.objects.filter(event__body_id=event.body_id, event__start_date=event.start_date).exclude(pk=self.pk)
            if twin.exists():
                errors.append(f"{event.body} har redan ett sammanträde {event.start_date:%Y-%m-%d}.")
        if errors:
            raise ValidationError({"event": errors})

    def delete(self, *args, **kwargs):
        if self.status != self.Status.PLANNED and not bypassed():
            raise ValidationError(NOT_DELETED_AFTER_NOTICE.format(what="det raderas aldrig"))
        return super().delete(*args, **kwargs)


def meeting_event_change_error(event: Event) -> str | None:
    """Why `event` (unsaved changes included) may not be saved, if it is a meeting's
    event: once the kallelse has gone out, its date and body are the meeting's, and
    moving them would make the kallelse, the numbering and the minutes describe
    another meeting. Times, place and notes may still change."""
    if not event.pk:
        return None
    meeting = Meeting.objects.filter(event_id=event.pk).exclude(status=Meeting.Status.PLANNED).select_related("event").first()
    if meeting is None:
        return None
    before = meeting.event
    fields = ("start_date", "end_date", "date_precision", "body_id", "year", "preliminary")
    if any(getattr(before, f) != getattr(event, f) for f in fields):
        return (
            f"Sammanträdet {before.start_date:%Y-%m-%d} är {meeting.get_status_display().lower()}; "
            "datum och organ kan inte ändras i kalendern."
        )
    return None


class MeetingPartQuerySet(LockedQuerySet):
    """Items, paragraphs, papers and attendance: deleted only before the kallelse
    (attendance until justering), changed only before justering (the lock)."""

    def delete(self):
        if not bypassed() and not self.model.deletable_after_notice and self.exclude(
            **{f"{self.model.lock_path}__status": Meeting.Status.PLANNED}
        ).exists():
            raise ValidationError(NOT_DELETED_AFTER_NOTICE.format(what=self.model.not_deleted_noun))
        return super().delete()


class MeetingPart(Lockable):
    """Everything that belongs to one meeting's record: a part of the meeting as a
    lock owner (sodertorn/lock.py), found through `lock_path`."""

    lock_owner = "meetings.Meeting"
    lock_path = "meeting"
    # Attendance may be corrected (deleted) until justering.
    deletable_after_notice = False
    not_deleted_noun = "inget av det raderas"

    objects = LockedManager.from_queryset(MeetingPartQuerySet)()

    class Meta:
        abstract = True

    def _meeting_status(self) -> str | None:
        return type(self)._base_manager.filter(pk=self.pk).values_list(f"{self.lock_path}__status", flat=True).first()

    def delete(self, *args, **kwargs):
        if not bypassed() and self._meeting_status() != Meeting.Status.PLANNED and not self.deletable_after_notice:
            raise ValidationError(NOT_DELETED_AFTER_NOTICE.format(what=self.not_deleted_noun))
        return super().delete(*args, **kwargs)


class AgendaItem(MeetingPart):
    """An ärende on the dagordning."""

    meeting = models.ForeignKey(Meeting, verbose_name="sammanträde", on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField("ordning", default=0)
    title = models.CharField("ärende", max_length=300)
    presenter = models.CharField("föredragande", max_length=150, blank=True)
    proposal = models.TextField("beslutsförslag", blank=True, help_text="Markdown.")
    not_for_publication = models.BooleanField(
        "publiceras inte", default=False,
        help_text="Ärendet visas inte för allmänheten, inte heller i det justerade protokollet på webben.",
    )
    plan = models.ForeignKey(
        WorkPlan, verbose_name="verksamhetsplan", null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    goals = models.ManyToManyField(Goal, verbose_name="mål", blank=True, related_name="agenda_items")
    activities = models.ManyToManyField(Activity, verbose_name="aktiviteter", blank=True, related_name="agenda_items")
    networks = models.ManyToManyField(Network, verbose_name="nätverk", blank=True, related_name="agenda_items")
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "ärende"
        verbose_name_plural = "ärenden (dagordning)"
        ordering = ["meeting", "position", "id"]

    def __str__(self):
        return self.title


def document_upload_to(instance, filename) -> str:
    meeting = instance.item.meeting
    return f"sammantraden/{meeting.event.body.slug}/{meeting.date:%Y-%m-%d}/{filename}"


def validate_document_pdf(upload) -> None:
    validate_pdf_upload(upload, noun="Handlingen")


class AgendaDocument(MeetingPart):
    """A handling (paper) for an ärende: a PDF, checked like protocol extracts and
    served only through a view that checks permissions."""

    lock_path = "item__meeting"
    not_deleted_noun = "handlingarna raderas inte"

    item = models.ForeignKey(AgendaItem, verbose_name="ärende", on_delete=models.PROTECT, related_name="documents")
    position = models.PositiveSmallIntegerField("ordning", default=0)
    title = models.CharField("handling", max_length=250)
    file = models.FileField(
        "fil (PDF)", upload_to=document_upload_to, validators=[validate_document_pdf],
        help_text="PDF, högst 10 MB.",
    )

    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "handling"
        verbose_name_plural = "handlingar"
        ordering = ["item", "position", "id"]

    def __str__(self):
        return self.title



class Attendance(MeetingPart):
    """Who was present: members per municipality, ersättare, others."""

    class Role(models.TextChoices):
        MEMBER = "member", "Ledamot"
        DEPUTY = "deputy", "Ersättare"
        OTHER = "other", "Övriga närvarande"

    deletable_after_notice = True

    meeting = models.ForeignKey(Meeting, verbose_name="sammanträde", on_delete=models.PROTECT, related_name="attendance")
    role = models.CharField("roll", max_length=10, choices=Role.choices, default=Role.MEMBER)
    person = models.ForeignKey(Person, verbose_name="person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("namn (om personen inte finns i registret)", max_length=150, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name="kommun", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("anmärkning", max_length=150, blank=True, help_text="T.ex. ”§ 3–5” eller ”för Huddinge”.")
    present = models.BooleanField("närvarande", default=True)
    adjuster = models.BooleanField("justerare", default=False)
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "närvaro"
        verbose_name_plural = "närvaro"
        ordering = ["meeting", "role", "municipality__name", "id"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else self.name

    def clean(self):
        errors = {}
        if not self.person_id and not self.name.strip():
            errors["name"] = "Välj en person eller skriv ett namn."
        if self.adjuster and not self.present:
            errors["adjuster"] = "Justerare väljs bland de närvarande."
        if self.adjuster and self.role == self.Role.OTHER:
            errors["adjuster"] = "Justerare väljs bland ledamöterna och ersättarna."
        if self.adjuster and not self.person_id:
            errors["adjuster"] = "En justerare måste finnas i personregistret."
        if errors:
            raise ValidationError(errors)


class Paragraph(MeetingPart):
    """The protokoll's paragraph for one ärende. Its number (§) runs through the
    body's calendar year across meetings and is given when the minutes are
    drawn up (`meeting_draw_up_minutes`), never typed."""

    meeting = models.ForeignKey(Meeting, verbose_name="sammanträde", on_delete=models.PROTECT, related_name="paragraphs")
    item = models.OneToOneField(AgendaItem, verbose_name="ärende", on_delete=models.PROTECT, related_name="paragraph")
    body = models.ForeignKey(Body, verbose_name="organ", on_delete=models.PROTECT, related_name="+", editable=False)
    year = models.PositiveSmallIntegerField("år", editable=False)
    number = models.PositiveSmallIntegerField("§", null=True, blank=True, editable=False)
    decision = models.TextField(
        "beslut", blank=True,
        help_text="En att-sats per rad, t.ex. ”att godkänna verksamhetsplanen”. Organet och ”beslutar” skrivs ut automatiskt.",
    )
    notes = models.TextField("protokollsanteckningar", blank=True)
    joint = models.BooleanField(
        "antas av kommunstyrelserna", default=False,
        help_text="Ett gemensamt ärende (yttrande, remissvar, plan, avgifter) som de åtta kommunstyrelserna ska anta.",
    )
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "paragraf"
        verbose_name_plural = "paragrafer (protokoll)"
        ordering = ["body", "year", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "number"], name="one_paragraph_number_per_body_and_year")
        ]

    def __str__(self):
        return f"§ {self.number} {self.item.title}" if self.number else self.item.title

    @property
    def clauses(self) -> list[str]:
        """The decision's att-clauses, each starting with "att"."""
        lines = [line.strip().lstrip("-–• ").strip() for line in self.decision.splitlines()]
        return [line if line.lower().startswith("att ") else f"att {line}" for line in lines if line]

    def save(self, *args, **kwargs):
        if self.meeting_id and not self.body_id:
            self.body_id = self.meeting.event.body_id
            self.year = self.meeting.event.year
        super().save(*args, **kwargs)

    def clean(self):
        if self.item_id and self.meeting_id and self.item.meeting_id != self.meeting_id:
            raise ValidationError({"item": "Ärendet hör till ett annat sammanträde."})


class ParagraphNumbering(models.Model):
    """The lock under which a body's paragraphs of one year are numbered: one row
    per body and year, taken (SELECT … FOR UPDATE, written at once so that SQLite
    takes its write lock too) by `meeting_draw_up_minutes` before it reads the
    year's numbers. Two meetings drawn up at the same moment are numbered in turn."""

    body = models.ForeignKey(Body, verbose_name="organ", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("år")
    numbered_at = models.DateTimeField("senast numrerat", null=True, blank=True)

    class Meta:
        verbose_name = "paragrafnumrering"
        verbose_name_plural = "paragrafnumreringar"
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="one_paragraph_numbering_per_body_and_year")]

    def __str__(self):
        return f"{self.body} {self.year}"


class PersonContact(Versioned):
    """How the product reaches a person: e-mail for the kallelse, and the login
    with which the person approves (justerar) minutes."""

    person = models.OneToOneField(Person, verbose_name="person", on_delete=models.CASCADE, related_name="contact")
    email = models.EmailField("e-post", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="inloggning", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="person_contact", help_text="Kontot personen justerar protokoll med.",
    )

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = "kontaktuppgift"
        verbose_name_plural = "kontaktuppgifter och inloggningar"
        ordering = ["person__name"]

    def __str__(self):
        return str(self.person)


class MinutesApproval(Lockable):
    """One signature under the minutes: the chair's or a justerare's. Signed while
    the minutes are under justering; locked with the meeting once justerat."""

    lock_owner = "meetings.Meeting"
    lock_path = "meeting"
    lock_state = APPROVED_STATE

    class Role(models.TextChoices):
        CHAIR = "chair", "Ordförande"
        ADJUSTER = "adjuster", "Justerare"

    meeting = models.ForeignKey(Meeting, verbose_name="sammanträde", on_delete=models.PROTECT, related_name="approvals")
    person = models.ForeignKey(Person, verbose_name="person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("roll", max_length=10, choices=Role.choices)
    approved_at = models.DateTimeField("justerat", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="inloggad som", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "justering"
        verbose_name_plural = "justeringar"
        ordering = ["meeting", "role", "person__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="one_signature_per_person")]

    def __str__(self):
        return f"{self.get_role_display()} {self.person.name}"

    def delete(self, *args, **kwargs):
        raise ValidationError("Justeringar raderas aldrig.")


class MinutesArchive(ChainedArchive):
    """The justerade minutes as PDF/A, kept byte for byte (like plans.PlanArchive)."""

    meeting = models.OneToOneField(Meeting, verbose_name="sammanträde", on_delete=models.PROTECT, related_name="archive")
    pdf = models.BinaryField("PDF")
    sha256 = models.CharField("SHA-256", max_length=64)
    weasyprint_version = models.CharField("WeasyPrint-version", max_length=20)
    pdf_variant = models.CharField("PDF-variant", max_length=20)
    created_at = models.DateTimeField("arkiverat", auto_now_add=True)

    write_once_message = "Arkiverade protokoll ändras och raderas aldrig."
    archive_subject_fields = ("meeting_id",)

    class Meta(ChainedArchive.Meta):
        verbose_name = "arkiverat protokoll"
        verbose_name_plural = "arkiverade protokoll"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Protokoll {self.meeting}"


class AssignmentQuerySet(VersionedQuerySet):
    def open(self):
        return self.filter(status=Assignment.Status.OPEN)

    def follow_up_order(self):
        """Overdue first (oldest due date first), then the rest by due date, then
        the oldest decision."""
        return self.order_by(models.F("due_date").asc(nulls_last=True), "paragraph__year", "paragraph__number", "id")


class Assignment(Versioned):
    """An uppdrag given by an att-clause, followed up until done."""

    class Status(models.TextChoices):
        OPEN = "open", "Pågår"
        DONE = "done", "Slutfört"
        CANCELLED = "cancelled", "Avskrivet"

    paragraph = models.ForeignKey(Paragraph, verbose_name="paragraf", on_delete=models.PROTECT, related_name="assignments")
    clause = models.PositiveSmallIntegerField("att-sats nr", default=1, help_text="Vilken att-sats i beslutet (1 = den första).")
    description = models.CharField("uppdrag", max_length=300)
    to_body = models.ForeignKey(Body, verbose_name="till organ", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_network = models.ForeignKey(Network, verbose_name="till nätverk", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_municipality = models.ForeignKey(
        Municipality, verbose_name="till kommun", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_person = models.ForeignKey(Person, verbose_name="till person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField("ska vara klart", null=True, blank=True)
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField("avslutat", null=True, blank=True)
    outcome = models.TextField("resultat/redovisning", blank=True)

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "uppdrag"
        verbose_name_plural = "uppdrag"
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.description

    @property
    def assignee(self) -> str:
        for value in (self.to_body, self.to_network, self.to_municipality, self.to_person):
            if value is not None:
                return value.name if hasattr(value, "name") else str(value)
        return ""

    @property
    def clause_text(self) -> str:
        clauses = self.paragraph.clauses
        return clauses[self.clause - 1] if 0 < self.clause <= len(clauses) else ""

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and self.due_date is not None and self.due_date < today

    def clean(self):
        errors = {}
        targets = [self.to_body_id, self.to_network_id, self.to_municipality_id, self.to_person_id]
        if sum(t is not None for t in targets) != 1:
            errors["to_body"] = "Ge uppdraget till exakt en mottagare: ett organ, ett nätverk, en kommun eller en person."
        if self.paragraph_id:
            clauses = self.paragraph.clauses
            if not clauses:
                errors["paragraph"] = "Paragrafen har inget beslut med att-satser ännu."
            elif not 1 <= self.clause <= len(clauses):
                errors["clause"] = f"Beslutet har {len(clauses)} att-sats{'er' if len(clauses) > 1 else ''}."
        if self.status == self.Status.OPEN and self.closed_on:
            errors["closed_on"] = "Ett pågående uppdrag har inget slutdatum."
        if self.status != self.Status.OPEN and not self.closed_on:
            errors["closed_on"] = "Ange när uppdraget avslutades."
        if self.status == self.Status.DONE and not self.outcome.strip():
            errors["outcome"] = "Redovisa vad som blev gjort."
        if errors:
            raise ValidationError(errors)

    def delete(self, *args, **kwargs):
        raise ValidationError("Uppdrag raderas inte; skriv av det i stället.")


def adoption_protocol_upload_to(instance, filename) -> str:
    # Kept for the migrations that name it; the path is ParagraphAdoption.protocol_path().
    return instance.protocol_path()


class ParagraphAdoption(MunicipalDecisionBase):
    """One kommunstyrelse's adoption of a joint paragraph: the same tracking as
    plans.MunicipalDecision (one base, plans/decisions.py: statuses, assemblies,
    protocol, locking, rules), for any paragraph, plus the anslag from which the
    appeal period runs."""

    subject_field = "paragraph"
    sent_what = "ärendet"

    paragraph = models.ForeignKey(Paragraph, verbose_name="paragraf", on_delete=models.PROTECT, related_name="adoptions")
    announced_on = models.DateField(
        "anslaget", null=True, blank=True,
        help_text="Dagen då det justerade protokollet anslogs på kommunens anslagstavla.",
    )

    class Meta:
        verbose_name = "kommunstyrelsens antagande"
        verbose_name_plural = "kommunstyrelsernas antaganden"
        ordering = ["paragraph", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "municipality"], name="one_adoption_per_municipality_and_paragraph")
        ]

    def __str__(self):
        return f"{self.municipality}: {self.paragraph} ({self.get_status_display().lower()})"

    def protocol_path(self) -> str:
        paragraph = self.paragraph
        return f"antaganden/{paragraph.body.slug}/{paragraph.year}-{paragraph.number}/{self.municipality.slug}.pdf"

    @property
    def appeal_ends(self) -> datetime.date | None:
        """The last day to appeal: three weeks from the anslag."""
        return self.announced_on + APPEAL_PERIOD if self.announced_on else None

    def has_legal_force(self, today: datetime.date | None = None) -> bool:
        """Laga kraft: decided, announced, and the appeal period over."""
        today = today or timezone.localdate()
        return self.status == self.Status.DECIDED and self.appeal_ends is not None and today > self.appeal_ends

    def subject_errors(self) -> dict[str, str]:
        errors = {}
        if self.paragraph_id and self.decided_on:
            meeting = self.paragraph.meeting
            if meeting.status != Meeting.Status.APPROVED:
                errors["decided_on"] = "Protokollet är inte justerat ännu."
            elif self.decided_on < meeting.date:
                errors["decided_on"] = (
                    f"Kommunens beslut ({self.decided_on:%Y-%m-%d}) kan inte ligga före "
                    f"sammanträdet ({meeting.date:%Y-%m-%d})."
                )
        if self.announced_on and not self.decided_on:
            errors["announced_on"] = "Ett protokoll anslås först när beslutet är fattat."
        elif self.announced_on and self.announced_on < self.decided_on:
            errors["announced_on"] = "Anslaget kan inte ligga före beslutet."
        return errors

    def delete(self, *args, **kwargs):
        raise ValidationError("Kommunernas antaganden raderas inte.")


# The meeting's calendar event is part of its record once justering has begun: its
# time, place and note are what the justerade minutes print. The calendar app does
# not know meetings; the rule is added from here.
lock_also("calendar_app.Event", LockRule("meetings.Meeting", "meeting"))
