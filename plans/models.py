"""The organisation, its programmes and goals, and the yearly verksamhetsplan."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from sodertorn.archive import ChainedArchive
from sodertorn.dates import FlexibleDate
from sodertorn.markdown import validate_markdown

from sodertorn.lock import (
    ALWAYS_FREE,
    Lockable,
    LockedQuerySet,
    Undeletable,
    UndeletableQuerySetMixin,
    bypassed,
)

from .decisions import MunicipalDecisionBase
from .lock import DECIDED, PlanPart, plan_lock_error


class SourceDocument(models.Model):
    """One of the source documents the seed data was read from."""

    code = models.CharField("kod", max_length=10, unique=True)
    title = models.CharField("titel", max_length=200)
    filename = models.CharField("filnamn", max_length=100, blank=True)
    description = models.TextField("beskrivning", blank=True)

    class Meta:
        verbose_name = "källdokument"
        verbose_name_plural = "källdokument"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"


class Sourced(models.Model):
    source = models.ForeignKey(
        SourceDocument,
        verbose_name="källa",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Dokumentet uppgiften kommer från.",
    )

    class Meta:
        abstract = True


class MunicipalityQuerySet(models.QuerySet):
    def members(self):
        return self.filter(is_member=True)


class Municipality(models.Model):
    name = models.CharField("namn", max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    code = models.CharField(
        "kommunkod",
        max_length=4,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", "Kommunkoden har fyra siffror, t.ex. 0126.")],
    )
    is_member = models.BooleanField(
        "medlem i samverkan",
        default=True,
        help_text="Av med för kommuner som bara förekommer som mötesplats, t.ex. Stockholm.",
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = "kommun"
        verbose_name_plural = "kommuner"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def genitive(self) -> str:
        """"Haninges folkmängd"; names ending in s, x or z take no extra s."""
        return self.name if self.name[-1] in "sxz" else f"{self.name}s"

    @property
    def official_name(self) -> str:
        """"Haninge kommun", "Salems kommun": names ending in a consonant take an s."""
        return f"{self.name}{'' if self.name[-1] in 'aeiouyåäö' else 's'} kommun"


class Person(Sourced):
    name = models.CharField("namn", max_length=120)
    municipality = models.ForeignKey(
        Municipality, verbose_name="kommun", null=True, blank=True, on_delete=models.PROTECT
    )
    title = models.CharField("befattning", max_length=120, blank=True)

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "personer"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "municipality"], name="unique_person_per_municipality")
        ]

    def __str__(self):
        return f"{self.name}, {self.municipality}" if self.municipality else self.name


class Body(Sourced):
    """A governing body: Samarbetskommittén, Ledningsgruppen, Kansliet."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", "Beslutande organ"
        MANAGEMENT = "management", "Ledningsgrupp"
        SECRETARIAT = "secretariat", "Kansli"

    WEEKDAYS = [(0, "måndag"), (1, "tisdag"), (2, "onsdag"), (3, "torsdag"), (4, "fredag")]

    name = models.CharField("namn", max_length=150, unique=True)
    short_name = models.CharField("kortnamn", max_length=60)
    slug = models.SlugField(unique=True)
    kind = models.CharField("typ", max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField("ordning", default=0)
    description = models.TextField("beskrivning", blank=True, help_text="Markdown.", validators=[validate_markdown])
    composition = models.CharField(
        "sammansättning", max_length=200, blank=True, help_text="T.ex. ”kommunstyrelsens ordförande i varje kommun”."
    )
    min_meetings_per_year = models.PositiveSmallIntegerField(
        "minsta antal möten per år", null=True, blank=True
    )
    meeting_weekday = models.PositiveSmallIntegerField("vanlig mötesdag", choices=WEEKDAYS, null=True, blank=True)
    usual_start = models.TimeField("vanlig starttid", null=True, blank=True)
    usual_end = models.TimeField("vanlig sluttid", null=True, blank=True)

    class Meta:
        verbose_name = "organ"
        verbose_name_plural = "organ"
        ordering = ["position", "name"]

    def __str__(self):
        return self.short_name

    def chairs_for(self, year: int) -> dict:
        return {c.role: c.person for c in self.chairmanships.filter(year=year).select_related("person")}


class Membership(Sourced):
    """A person's seat in a body (or employment in the secretariat) over a period."""

    body = models.ForeignKey(Body, verbose_name="organ", on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, verbose_name="person", on_delete=models.PROTECT, related_name="memberships")
    municipality = models.ForeignKey(
        Municipality, verbose_name="företräder", null=True, blank=True, on_delete=models.PROTECT
    )
    role_title = models.CharField("roll", max_length=120, blank=True, help_text="T.ex. kommundirektör, strateg.")
    start_year = models.PositiveSmallIntegerField("från år")
    end_year = models.PositiveSmallIntegerField("till och med år", null=True, blank=True)

    class Meta:
        verbose_name = "ledamot/medarbetare"
        verbose_name_plural = "ledamöter och medarbetare"
        ordering = ["body", "start_year", "person__name"]

    def __str__(self):
        return f"{self.person.name} i {self.body} ({self.period})"

    @property
    def period(self) -> str:
        if self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year or ''}"

    def clean(self):
        if self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "Slutåret kan inte ligga före startåret."})
        if self.municipality_id and not self.municipality.is_member:
            raise ValidationError({"municipality": f"{self.municipality} är inte medlem i samverkan."})


class Chairmanship(Sourced, PlanPart):
    """The chair and vice chair that a body elects among its members each year.

    Locked for the years of decided plans: the plans print the year's chairs."""

    lock_path = None

    class Role(models.TextChoices):
        CHAIR = "chair", "Ordförande"
        VICE_CHAIR = "vice_chair", "Vice ordförande"

    body = models.ForeignKey(Body, verbose_name="organ", on_delete=models.CASCADE, related_name="chairmanships")
    year = models.PositiveSmallIntegerField("år")
    role = models.CharField("uppdrag", max_length=20, choices=Role.choices)
    person = models.ForeignKey(Person, verbose_name="person", on_delete=models.PROTECT, related_name="chairmanships")
    term = models.CharField("period", max_length=60, blank=True, help_text="Som planen skriver den, t.ex. ”t.o.m. december 2019”.")

    class Meta:
        verbose_name = "ordförandeskap"
        verbose_name_plural = "ordförandeskap"
        ordering = ["-year", "body", "role"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "role"], name="one_chair_per_role_and_year")
        ]

    def __str__(self):
        return f"{self.get_role_display()} i {self.body} {self.year}: {self.person.name}"

    @classmethod
    def lock_keys_of(cls, rule, queryset) -> set:
        decided = WorkPlan._base_manager.filter(status=DECIDED).values("year")
        return set(queryset.filter(year__in=decided).order_by().values_list("year", flat=True).distinct())

    def lock_keys_for(self, rule) -> set:
        return set(WorkPlan._base_manager.filter(year=self.year, status=DECIDED).values_list("year", flat=True))

    @classmethod
    def lock_row_sql(cls, rule, row: str) -> str:
        return (f"EXISTS (SELECT 1 FROM {WorkPlan._meta.db_table} p WHERE p.year = {row}.year "
                f"AND {WorkPlan.lock_state_sql('p')})")

    def clean(self):
        if not (self.body_id and self.person_id and self.year):
            return
        is_member = (
            Membership.objects.filter(body_id=self.body_id, person_id=self.person_id, start_year__lte=self.year)
            .filter(models.Q(end_year__isnull=True) | models.Q(end_year__gte=self.year))
            .exists()
        )
        if not is_member:
            raise ValidationError(
                {"person": f"{self.person.name} är inte ledamot i {self.body} år {self.year}. "
                 "Lägg först till personen som ledamot."}
            )
        other = Chairmanship.objects.filter(body_id=self.body_id, year=self.year, person_id=self.person_id)
        if other.exclude(pk=self.pk).exists():
            raise ValidationError({"person": "Samma person kan inte vara både ordförande och vice ordförande."})


class Programme(Sourced):
    """A development programme (Södertörns utvecklingsprogram, SUP)."""

    name = models.CharField("namn", max_length=150, unique=True)
    short_name = models.CharField("kortnamn", max_length=30, unique=True)
    slug = models.SlugField(unique=True)
    valid_from = models.PositiveSmallIntegerField("gäller från år")
    valid_to = models.PositiveSmallIntegerField("gäller till och med år", null=True, blank=True)
    adoption = models.CharField(
        "antagande", max_length=200, blank=True, help_text="Hur och när programmet antogs, t.ex. ”hösten 2010”."
    )
    vision_name = models.CharField("visionens namn", max_length=60, blank=True)
    vision = models.TextField("vision", blank=True)
    description = models.TextField("beskrivning", blank=True, help_text="Markdown.", validators=[validate_markdown])

    class Meta:
        verbose_name = "utvecklingsprogram"
        verbose_name_plural = "utvecklingsprogram"
        ordering = ["valid_from"]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("plans:programme_detail", args=[self.slug])

    @property
    def period(self) -> str:
        return f"{self.valid_from}–{self.valid_to or ''}"

    def clean(self):
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "Slutåret kan inte ligga före startåret."})


class GoalLevel(models.Model):
    """The name of one level of a programme's goal tree (e.g. målområde, mål, delmål)."""

    programme = models.ForeignKey(Programme, verbose_name="program", on_delete=models.CASCADE, related_name="levels")
    depth = models.PositiveSmallIntegerField("nivå", validators=[MinValueValidator(1)])
    name = models.CharField("namn", max_length=60)
    name_plural = models.CharField("namn i plural", max_length=60)

    class Meta:
        verbose_name = "målnivå"
        verbose_name_plural = "målnivåer"
        ordering = ["programme", "depth"]
        constraints = [models.UniqueConstraint(fields=["programme", "depth"], name="one_name_per_level")]

    def __str__(self):
        return f"{self.programme}: {self.name}"


class Goal(Sourced, PlanPart):
    """A goal of a programme's goal tree. A delmål that a yearly plan sets
    (`set_in_plan`) is locked with that plan once it is decided (plans/lock.py);
    the programme's own goals stay editable."""

    lock_path = "set_in_plan"
    lock_noun = "delmål som {planen} fastställer"

    programme = models.ForeignKey(Programme, verbose_name="program", on_delete=models.PROTECT, related_name="goals")
    parent = models.ForeignKey(
        "self", verbose_name="överordnat mål", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.ForeignKey(GoalLevel, verbose_name="nivå", on_delete=models.PROTECT, related_name="goals")
    position = models.PositiveSmallIntegerField("ordning", default=0)
    title = models.CharField("mål", max_length=300)
    description = models.TextField("beskrivning", blank=True, help_text="Markdown.", validators=[validate_markdown])
    set_in_plan = models.ForeignKey(
        "WorkPlan",
        verbose_name="fastställt i verksamhetsplan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goals_set",
        help_text="För delmål som en årlig verksamhetsplan konkretiserar.",
    )

    class Meta:
        verbose_name = "mål"
        verbose_name_plural = "mål"
        ordering = ["programme", "level__depth", "position", "id"]

    def __str__(self):
        return f"{self.programme.short_name}: {self.title}"

    def clean(self):
        errors = {}
        if self.level_id and self.programme_id and self.level.programme_id != self.programme_id:
            errors["level"] = f"Nivån hör till {self.level.programme}, inte till {self.programme}."
        if self.parent_id:
            if self.programme_id and self.parent.programme_id != self.programme_id:
                errors["parent"] = "Det överordnade målet hör till ett annat program."
            elif self.pk and self._is_ancestor_of_itself():
                errors["parent"] = "Ett mål kan inte ligga under sig självt."
        if self.level_id and not errors:
            expected = self.parent.level.depth + 1 if self.parent_id else 1
            if self.level.depth != expected:
                errors["level"] = f"Målet ligger på nivå {expected} i målträdet men nivån ”{self.level.name}” är nivå {self.level.depth}."
        if errors:
            raise ValidationError(errors)

    def _is_ancestor_of_itself(self) -> bool:
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if node.pk == self.pk:
                return True
            seen.add(node.pk)
            node = node.parent
        return False


class Network(Sourced):
    class Kind(models.TextChoices):
        NETWORK = "network", "Nätverk"
        WORKING_GROUP = "working_group", "Arbetsgrupp"
        COLLABORATION = "collaboration", "Samarbete"

    name = models.CharField("namn", max_length=150, unique=True)
    short_name = models.CharField(
        "kortnamn", max_length=80, blank=True,
        help_text="Som planerna skriver det efter ”Nätverk:”, t.ex. ”Klimatstrateger”.",
    )
    slug = models.SlugField(unique=True)
    kind = models.CharField("typ", max_length=20, choices=Kind.choices, default=Kind.NETWORK)
    purpose = models.TextField("syfte och uppdrag", blank=True, help_text="Markdown.", validators=[validate_markdown])
    reports_to = models.ForeignKey(
        Body, verbose_name="bereder åt", null=True, blank=True, on_delete=models.PROTECT, related_name="networks"
    )
    goals = models.ManyToManyField(Goal, verbose_name="mål", blank=True, related_name="networks")

    class Meta:
        verbose_name = "nätverk"
        verbose_name_plural = "nätverk"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:network_detail", args=[self.slug])


class NetworkMember(models.Model):
    network = models.ForeignKey(Network, verbose_name="nätverk", on_delete=models.CASCADE, related_name="members")
    municipality = models.ForeignKey(Municipality, verbose_name="kommun", on_delete=models.PROTECT)
    person = models.ForeignKey(Person, verbose_name="person", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "nätverksmedlem"
        verbose_name_plural = "nätverksmedlemmar"
        ordering = ["municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "municipality"], name="one_member_per_municipality")
        ]

    def __str__(self):
        return f"{self.network}: {self.municipality}"

    def clean(self):
        if self.municipality_id and not self.municipality.is_member:
            raise ValidationError({"municipality": f"{self.municipality} är inte medlem i samverkan."})
        if self.person_id and self.municipality_id and self.person.municipality_id not in (None, self.municipality_id):
            raise ValidationError({"person": f"{self.person.name} företräder inte {self.municipality}."})


class Document(Sourced):
    """A decided text kept as it was written: the agreement, a motion, a statement."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", "Samarbetsavtal"
        MOTION = "motion", "Motion"
        STATEMENT = "statement", "Yttrande"
        DECISION = "decision", "Beslut"
        OTHER = "other", "Övrigt"

    kind = models.CharField("typ", max_length=20, choices=Kind.choices)
    title = models.CharField("titel", max_length=250)
    slug = models.SlugField(unique=True)
    date = models.DateField("datum", null=True, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name="kommun", null=True, blank=True, on_delete=models.PROTECT
    )
    reference = models.CharField("diarienummer", max_length=60, blank=True)
    date_text = models.CharField(
        "datum enligt källan", max_length=60, blank=True,
        help_text="När bara en del av datumet går att läsa, t.ex. ”[…]/6 2010”.",
    )
    authors = models.CharField("författare/undertecknare", max_length=250, blank=True)
    addressee = models.CharField("till", max_length=120, blank=True)
    body = models.TextField("text", help_text="Markdown.", validators=[validate_markdown])
    responds_to = models.ForeignKey(
        "self", verbose_name="svar på", null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )

    class Meta:
        verbose_name = "dokument"
        verbose_name_plural = "dokument"
        ordering = ["date", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:document_detail", args=[self.slug])


class WorkPlanQuerySet(UndeletableQuerySetMixin, LockedQuerySet):
    def visible_to(self, user):
        """The plans `user` may read (WorkPlan.visible_q)."""
        return self.filter(WorkPlan.visible_q(user))


class PlanPartQuerySet(LockedQuerySet):
    """Rows that belong to a plan (an activity, a topic, a budget): as public as
    their plan, found through the model's `lock_path`."""

    def visible_to(self, user):
        return self.filter(WorkPlan.visible_q(user, f"{self.model.lock_path}__"))


class PlanPartManager(models.Manager.from_queryset(PlanPartQuerySet)):
    pass


# How many years of host rotation a plan shows when it does not say
# (WorkPlan.rotation_years): its own year and the coming ones, as the plans list them
# (VP 2012 lists 2012–2019).
ROTATION_YEARS_AHEAD = 7


class WorkPlan(Undeletable, Sourced, Lockable):
    """The yearly verksamhetsplan och budget.

    Once decided it is locked (plans/lock.py): nothing of it changes until
    "Öppna igen" records why. Its status and decision change only through the
    workflow services (secretariat/services.py), never by a form, a history revert or
    an update."""

    # printed_names: the names the decided plan printed (sodertorn/printed.py),
    # written by the decision in the same save as the status.
    WORKFLOW_FIELDS = {"status", "decided_on", "decided_by", "decision_reference", "printed_names"}
    undeletable_message = "Verksamhetsplaner är allmänna handlingar och raderas aldrig."
    lock_path = None

    class Status(models.TextChoices):
        DRAFT = "draft", "Utkast"
        PROPOSED = "proposed", "För beslut"
        DECIDED = "decided", "Beslutad"

    year = models.PositiveSmallIntegerField(
        "år", unique=True, validators=[MinValueValidator(2000)],
        error_messages={"unique": "Det finns redan en verksamhetsplan för det året."},
    )
    programme = models.ForeignKey(Programme, verbose_name="utvecklingsprogram", on_delete=models.PROTECT, related_name="plans")
    title = models.CharField("titel", max_length=200, blank=True, help_text="Lämna tomt för ”Verksamhetsplan och budget <år>”.")
    subtitle = models.CharField("undertitel", max_length=200, blank=True)
    rotation_years = models.JSONField(
        "värdkommuner som planen visar", default=dict, blank=True,
        help_text="Per serie (slug) första och sista år som planens tabell över värdkommuner tar upp, "
        "t.ex. {\"sodertorns-radslag\": [2020, 2026]}. Tomt: planens år och sju år framåt för alla serier.",
    )
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT)
    decided_on = models.DateField("beslutsdatum", null=True, blank=True)
    decided_by = models.ForeignKey(
        Body, verbose_name="beslutat av", null=True, blank=True, on_delete=models.PROTECT, related_name="decided_plans"
    )
    decision_reference = models.CharField("beslutsparagraf/referens", max_length=100, blank=True)
    last_reopening = models.ForeignKey(
        "PlanReopening", verbose_name="senaste återöppning", null=True, blank=True, editable=False,
        on_delete=models.PROTECT, related_name="+",
        help_text="Sätts bara av ”Öppna igen”: det enda sättet att ändra en beslutad plan.",
    )
    printed_names = models.JSONField(
        "namn som planen visade vid beslutet", default=dict, blank=True, editable=False,
        help_text="Personer, kommuner, organ, nätverk och mål som den beslutade planen namngav, "
        "som de hette då (sodertorn/printed.py). Låst med planen.",
    )
    history = HistoricalRecords(inherit=False)

    objects = WorkPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "verksamhetsplan"
        verbose_name_plural = "verksamhetsplaner"
        ordering = ["-year"]
        permissions = [("view_draft", "Kan läsa planer som inte är beslutade")]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or f"Verksamhetsplan och budget {self.year}"

    def get_absolute_url(self):
        return reverse("plans:work_plan_detail", args=[self.year])

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.DECIDED

    # -- who may read it: the one rule -------------------------------------------

    @staticmethod
    def drafts_visible_to(user) -> bool:
        """Decided plans are public documents; the others (drafts and plans put
        forward for decision) only for readers with the view_draft permission."""
        return user.has_perm("plans.view_draft")

    @classmethod
    def visible_q(cls, user, path: str = "") -> models.Q:
        """The filter for plans `user` may read, `path` leading to the plan ("plan__")."""
        return models.Q() if cls.drafts_visible_to(user) else models.Q(**{f"{path}status": DECIDED})

    def is_visible_to(self, user) -> bool:
        return self.is_public or self.drafts_visible_to(user)

    @property
    def is_locked(self) -> bool:
        """A decided plan is a public record: it changes only after a recorded reopening."""
        return self.status == self.Status.DECIDED

    # -- the host rotations it shows ------------------------------------------

    def rotation_ranges(self) -> list[tuple[str | None, int, int]]:
        """The host rotations the plan shows, as (series slug, first year, last year):
        the years its own tables printed (`rotation_years`), or else its year and the
        years ahead for every series (slug None). The one rule for the plan's page and
        PDF (calendar_app.selectors.rotations_for_plan) and for the lock of the
        rotations (calendar_app.models.HostRotation)."""
        if not self.rotation_years:
            return [(None, self.year, self.year + ROTATION_YEARS_AHEAD)]
        return [(slug, years[0], years[1]) for slug, years in sorted(self.rotation_years.items())]

    def rotation_q(self, prefix: str = "") -> models.Q:
        """The host rotations the plan shows, as a filter (`prefix` leads to the rotation)."""
        q = models.Q()
        for slug, first, last in self.rotation_ranges():  # never empty
            part = models.Q(**{f"{prefix}year__gte": first, f"{prefix}year__lte": last})
            if slug is not None:
                part &= models.Q(**{f"{prefix}series__slug": slug})
            q = q | part if q else part
        return q

    def shows_rotation(self, series_slug: str, year: int) -> bool:
        return any(slug in (None, series_slug) and first <= year <= last for slug, first, last in self.rotation_ranges())

    # -- the lock (plans/lock.py) ---------------------------------------------

    # -- the lock (sodertorn/lock.py): a decided plan is an owner -------------------

    lock_key = "year"

    @classmethod
    def lock_state_q(cls, prefix: str = "", state=None) -> models.Q:
        return models.Q(**{f"{prefix}status": DECIDED})

    @classmethod
    def lock_error(cls, model, rule, keys) -> ValidationError:
        return plan_lock_error(model, rule, keys)

    def lock_keys_for(self, rule) -> set:
        return set()  # registering a plan decided before the system (the seed) is allowed

    lock_db_message = (
        "Verksamhetsplanen är beslutad och låst (databasens spärr): den ändras bara om den öppnas igen "
        "med ett registrerat skäl (”Öppna igen”)."
    )

    @classmethod
    def lock_state_sql(cls, alias: str, state=None) -> str:
        return f"{alias}.status = '{DECIDED}'"

    @classmethod
    def lock_transition_sql(cls, vendor: str) -> str | None:
        """The database's `is_reopening`: NEW points at a new reopening of this plan."""
        from sodertorn.lock_sql import distinct

        return (
            f"NEW.last_reopening_id IS NOT NULL AND {distinct(vendor, 'NEW.last_reopening_id', 'OLD.last_reopening_id')} "
            f"AND EXISTS (SELECT 1 FROM {PlanReopening._meta.db_table} r WHERE r.id = NEW.last_reopening_id AND r.plan_id = OLD.id)"
        )

    def is_reopening(self) -> bool:
        """Whether this unsaved change is the recorded way out of a decision: it
        points `last_reopening` at a new PlanReopening of this plan (the database's
        trigger asks the same, sodertorn/lock_sql.py)."""
        if not self.last_reopening_id:
            return False
        saved = WorkPlan._base_manager.filter(pk=self.pk).values_list("last_reopening_id", flat=True).first()
        return saved != self.last_reopening_id and PlanReopening.objects.filter(
            pk=self.last_reopening_id, plan_id=self.pk
        ).exists()

    def lock_check(self, update_fields=None) -> None:
        """A decided plan changes only by a recorded reopening (`work_plan_reopen`,
        see `is_reopening`); status and decision only when a workflow service
        sets `_lock_workflow`."""
        if bypassed() or self.pk is None or self._state.adding:
            return
        changed = set(self._changed_fields(update_fields)) - ALWAYS_FREE
        if not changed:
            return
        reopened = self.is_reopening()
        hit = self._saved_lock_hit()
        if hit and not reopened:
            raise hit.error()
        if changed & self.WORKFLOW_FIELDS and not (reopened or getattr(self, "_lock_workflow", False)):
            raise ValidationError(
                "Planens status och beslut ändras bara med knapparna ”Lägg fram för beslut”, "
                "”Registrera beslut” och ”Öppna igen”, aldrig genom att spara eller återställa planen.",
                code="workflow",
            )

    def clean(self):
        errors = {}
        if self.programme_id and (
            self.year < self.programme.valid_from - 1
            or (self.programme.valid_to and self.year > self.programme.valid_to + 1)
        ):
            errors["programme"] = f"{self.programme} gäller {self.programme.period}, inte {self.year}."
        if self.decided_on and self.status != self.Status.DECIDED:
            errors["status"] = "Planen har ett beslutsdatum men är inte markerad som beslutad."
        if errors:
            raise ValidationError(errors)


class PlanArchive(ChainedArchive):
    """The PDF of a plan as it was decided, kept byte for byte for the archive.

    From the decision on, this file is what the plan's PDF URL serves: it is never
    re-rendered, so what the public and the archive see is what was decided."""

    plan = models.ForeignKey(WorkPlan, verbose_name="plan", on_delete=models.PROTECT, related_name="archives")
    pdf = models.BinaryField("PDF")
    sha256 = models.CharField("SHA-256", max_length=64)
    weasyprint_version = models.CharField("WeasyPrint-version", max_length=20)
    pdf_variant = models.CharField("PDF-variant", max_length=20)
    decided_on = models.DateField("beslutsdatum", null=True)
    created_at = models.DateTimeField("arkiverad", auto_now_add=True)

    write_once_message = "Arkiverade PDF:er ändras och raderas aldrig."
    archive_subject_fields = ("plan_id", "decided_on")

    class Meta(ChainedArchive.Meta):
        verbose_name = "arkiverad PDF"
        verbose_name_plural = "arkiverade PDF:er"
        ordering = ["plan", "-created_at"]
        get_latest_by = "created_at"

    def __str__(self):
        from django.utils import timezone

        return f"{self.plan} ({timezone.localtime(self.created_at):%Y-%m-%d %H.%M})"


class PlanReopening(models.Model):
    """A decided plan opened again for changes, with the reason on record."""

    plan = models.ForeignKey(WorkPlan, verbose_name="plan", on_delete=models.PROTECT, related_name="reopenings")
    reason = models.TextField("skäl")
    previous_decision = models.CharField("tidigare beslut", max_length=300)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="öppnad av", null=True, on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField("öppnad", auto_now_add=True)

    class Meta:
        verbose_name = "återöppning"
        verbose_name_plural = "återöppningar"
        ordering = ["plan", "-reopened_at"]

    def __str__(self):
        from django.utils import timezone

        return f"{self.plan} öppnad {timezone.localtime(self.reopened_at):%Y-%m-%d}"


def protocol_upload_to(instance, filename) -> str:
    # Kept for the migrations that name it; the path is MunicipalDecision.protocol_path().
    return instance.protocol_path()


class MunicipalDecision(MunicipalDecisionBase):
    """One kommunstyrelse's (or fullmäktige's) adoption of the plan and its fee.

    After the committee decides, each member confirms the plan and its own fee in
    its budget decision ("Åtagandet bekräftas genom beslut om respektive kommuns
    budget"); this is where the secretariat follows that up. The fields and rules
    it shares with the adoption of a joint paragraph are in plans/decisions.py."""

    subject_field = "plan"
    sent_what = "planen"

    plan = models.ForeignKey(WorkPlan, verbose_name="plan", on_delete=models.PROTECT, related_name="municipal_decisions")

    class Meta:
        verbose_name = "kommunens beslut"
        verbose_name_plural = "kommunernas beslut"
        ordering = ["plan", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "municipality"], name="one_decision_per_municipality_and_plan")
        ]

    def __str__(self):
        return f"{self.municipality}: {self.plan.year} ({self.get_status_display().lower()})"

    def protocol_path(self) -> str:
        return f"protokoll/{self.plan.year}/{self.municipality.slug}.pdf"

    def subject_errors(self) -> dict[str, str]:
        if not (self.plan_id and self.decided_on):
            return {}
        committee = self.plan.decided_on
        if committee is None or self.plan.status != WorkPlan.Status.DECIDED:
            return {"decided_on": "Samarbetskommittén har inte beslutat planen ännu."}
        if self.decided_on < committee:
            return {"decided_on": (
                f"Kommunens beslut ({self.decided_on:%Y-%m-%d}) kan inte ligga före "
                f"samarbetskommitténs beslut ({committee:%Y-%m-%d})."
            )}
        return {}


class Chapter(Sourced, PlanPart):
    """A numbered chapter of a plan. Chapters of some kinds also render data
    (calendar, budget, action plan, agreement) after their own text."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        AREAS = "areas", "Samverkansområden"
        ORGANISATION = "organisation", "Arbetsformer (organ och ordförande)"
        CONFERENCES = "conferences", "Återkommande konferenser"
        CALENDAR = "calendar", "Kalendarium"
        BUDGET = "budget", "Budget"
        ACTION_PLAN = "action_plan", "Handlingsplan"
        DOCUMENT = "document", "Bifogat dokument"

    plan = models.ForeignKey(WorkPlan, verbose_name="plan", on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveSmallIntegerField("ordning")
    number = models.CharField("nummer", max_length=20, blank=True, help_text="T.ex. ”5” eller ”Bilaga 1”.")
    title = models.CharField("rubrik", max_length=200)
    kind = models.CharField("innehåll", max_length=20, choices=Kind.choices, default=Kind.TEXT)
    body = models.TextField(
        "text", blank=True, help_text="Markdown. Rubriker på lägre nivå med ###.", validators=[validate_markdown]
    )
    document = models.ForeignKey(
        Document, verbose_name="dokument", null=True, blank=True, on_delete=models.PROTECT,
        help_text="För bilagor: dokumentet som bifogas (t.ex. samarbetsavtalet).",
    )
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "kapitel"
        verbose_name_plural = "kapitel"
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="unique_chapter_position")]

    def __str__(self):
        return self.heading

    @property
    def heading(self) -> str:
        """"5. Budget 2017" for numbered chapters, "Bilaga 1 Handlingsplan" for appendices."""
        if not self.number:
            return self.title
        if self.number.isdigit():
            return f"{self.number}. {self.title}"
        return f"{self.number} {self.title}"

    @property
    def anchor(self) -> str:
        from django.utils.text import slugify

        return slugify(f"{self.number}-{self.title}" if self.number else self.title)

    def clean(self):
        if self.kind == self.Kind.DOCUMENT and not self.document_id:
            raise ValidationError({"document": "Välj dokumentet som bilagan innehåller."})


class CollaborationArea(Sourced, PlanPart):
    """One of a plan's main areas of collaboration (regionala utvecklingsfrågor,
    verksamhetsfrågor), with its purpose and governing document."""

    plan = models.ForeignKey(WorkPlan, verbose_name="plan", on_delete=models.CASCADE, related_name="areas")
    position = models.PositiveSmallIntegerField("ordning", default=0)
    title = models.CharField("samverkansområde", max_length=200)
    number = models.CharField(
        "kapitelnummer", max_length=10, blank=True,
        help_text="När planen numrerar området som ett eget kapitel, t.ex. ”4”.",
    )
    purpose = models.TextField("syfte", blank=True)
    governing_document = models.CharField("styrdokument", max_length=300, blank=True)
    body = models.TextField("inledande text", blank=True, help_text="Markdown.", validators=[validate_markdown])

    class Meta:
        verbose_name = "samverkansområde"
        verbose_name_plural = "samverkansområden"
        ordering = ["plan", "position"]

    def __str__(self):
        return f"{self.plan.year}: {self.title}"

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def anchor(self) -> str:
        from django.utils.text import slugify

        return f"omrade-{slugify(self.title)}"


class CollaborationTopic(Sourced, PlanPart):
    """A goal or question under a collaboration area, with the year's direction."""

    lock_path = "area__plan"
    objects = PlanPartManager()

    area = models.ForeignKey(CollaborationArea, verbose_name="samverkansområde", on_delete=models.CASCADE, related_name="topics")
    position = models.PositiveSmallIntegerField("ordning", default=0)
    title = models.CharField("rubrik", max_length=300)
    goal = models.ForeignKey(
        Goal, verbose_name="mål i programmet", null=True, blank=True, on_delete=models.PROTECT, related_name="topics"
    )
    body = models.TextField("inriktning", blank=True, help_text="Markdown.", validators=[validate_markdown])
    networks = models.ManyToManyField(Network, verbose_name="nätverk", blank=True, related_name="topics")

    class Meta:
        verbose_name = "inriktning"
        verbose_name_plural = "inriktningar"
        ordering = ["area", "position"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.goal_id and self.area_id and self.goal.programme_id != self.area.plan.programme_id:
            raise ValidationError({"goal": f"Målet hör till {self.goal.programme}, inte till planens program {self.area.plan.programme}."})


class Activity(Sourced, FlexibleDate, PlanPart):
    """A row of the action plan (Bilaga 1 Handlingsplan) and its follow-up.

    The follow-up stays editable in a decided plan: it is written after the year."""

    lock_free_fields = ("follow_up_status", "outcome", "actual_cost")
    objects = PlanPartManager()

    class FollowUp(models.TextChoices):
        DONE = "done", "Genomförd"
        ONGOING = "ongoing", "Pågår"
        POSTPONED = "postponed", "Senarelagd"
        CANCELLED = "cancelled", "Inställd"

    plan = models.ForeignKey(WorkPlan, verbose_name="plan", on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField("ordning", default=0)
    goal = models.ForeignKey(
        Goal, verbose_name="mål", null=True, blank=True, on_delete=models.PROTECT, related_name="activities",
        help_text="Målet i utvecklingsprogrammet som aktiviteten tjänar.",
    )
    topic = models.ForeignKey(
        CollaborationTopic, verbose_name="samverkansområde", null=True, blank=True, on_delete=models.PROTECT,
        related_name="activities", help_text="För aktiviteter inom verksamhetsutveckling.",
    )
    objective = models.CharField("mål (fritext)", max_length=300, blank=True, help_text="Om målet inte finns i programmet.")
    title = models.CharField("aktivitet", max_length=300)
    description = models.TextField("beskrivning", blank=True)
    responsible_municipalities = models.ManyToManyField(
        Municipality, verbose_name="ansvariga kommuner", blank=True, related_name="activities"
    )
    responsible_networks = models.ManyToManyField(Network, verbose_name="ansvariga nätverk", blank=True, related_name="activities")
    responsible_people = models.ManyToManyField(Person, verbose_name="ansvariga personer", blank=True, related_name="activities")
    responsible_text = models.CharField(
        "ansvarig (fritext)", max_length=200, blank=True, help_text="T.ex. ”Södertörn” (alla kommuner) eller ”Kdir/KSO”."
    )
    cost = models.PositiveIntegerField("kostnad (kr)", null=True, blank=True)
    cost_illegible = models.CharField(
        "kostnad som inte går att läsa", max_length=60, blank=True,
        help_text="Det som står i källan när beloppet är avskuret eller oläsligt, t.ex. ”4000…”. "
        "Visas som ej läsbart och räknas inte med i summor.",
    )
    comment = models.TextField("kommentar", blank=True)
    follow_up_status = models.CharField("uppföljning", max_length=20, choices=FollowUp.choices, blank=True)
    outcome = models.TextField("resultat", blank=True)
    actual_cost = models.PositiveIntegerField("utfall (kr)", null=True, blank=True)
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "aktivitet"
        verbose_name_plural = "aktiviteter (handlingsplan)"
        ordering = ["plan", "position", "id"]

    def __str__(self):
        return self.title

    @property
    def cost_display(self) -> str:
        """The cost as the plan prints it: "120 000 kr"; a figure cut off in the scan is
        shown as not legible with what can be read ("ej läsbart: 4000…"); "–" for none."""
        from sodertorn.templatetags.sodertorn import kr

        if self.cost is not None:
            return kr(self.cost)
        if self.cost_illegible:
            return f"ej läsbart i källan: {self.cost_illegible}"
        return "–"

    def flexible_year(self):
        return self.plan.year if self.plan_id else None

    @property
    def when(self) -> str:
        return self.date_display()

    @property
    def responsible_display(self) -> str:
        """The "Ansvarig" column: municipalities, networks, people and free text, as
        the plan lists them (from the relations activities_for_plan prefetches)."""
        parts = [m.name for m in self.responsible_municipalities.all()]
        parts += [n.name for n in self.responsible_networks.all()]
        parts += [p.name for p in self.responsible_people.all()]
        if self.responsible_text:
            parts.append(self.responsible_text)
        return ", ".join(parts)

    @property
    def group_heading(self) -> str:
        """The heading the action plan groups the row under: the goal's path in the
        programme ("Klimat – Leda omställningen …"), or the collaboration topic."""
        if self.goal_id:
            chain, node = [], self.goal
            while node is not None:
                chain.append(node)
                node = node.parent
            chain.reverse()
            if len(chain) > 2:  # the delmål itself is the row's "Mål" column
                chain = chain[:-1]
            return " – ".join(g.title for g in chain)
        if self.topic_id:
            return self.topic.title
        return ""

    @property
    def objective_display(self) -> str:
        """The "Mål" column: the row's own wording if it has one, else its goal or topic."""
        if self.objective:
            return self.objective
        if self.goal_id:
            return self.goal.title
        return self.topic.title if self.topic_id else ""

    def clean(self):
        errors = {}
        try:
            self.clean_flexible_date()
        except ValidationError as e:
            errors.update(e.message_dict)
        if self.goal_id and self.plan_id and self.goal.programme_id != self.plan.programme_id:
            errors["goal"] = f"Målet hör till {self.goal.programme}, inte till planens program {self.plan.programme}."
        if self.topic_id and self.plan_id and self.topic.area.plan_id != self.plan_id:
            errors["topic"] = "Samverkansområdet hör till en annan plans år."
        if errors:
            raise ValidationError(errors)


class SeedRecord(models.Model):
    """What `load_seed` last wrote to one record, as a fingerprint of the fields and
    relations it manages. A later load compares the record's current state with it:
    a record changed (or deleted) since it was loaded is left alone and reported."""

    model = models.CharField("modell", max_length=100)
    key = models.CharField("naturlig nyckel (SHA-256)", max_length=64)
    label = models.CharField("post", max_length=300)
    fingerprint = models.CharField("fingeravtryck (SHA-256)", max_length=64)
    loaded_at = models.DateTimeField("inläst", auto_now=True)

    class Meta:
        verbose_name = "inläst seed-post"
        verbose_name_plural = "inlästa seed-poster"
        constraints = [models.UniqueConstraint(fields=["model", "key"], name="seedrecord_unique_key")]

    def __str__(self):
        return f"{self.model} {self.label}"


class RoleGrant(models.Model):
    """A permission the role rule has already given to the roles (see plans.apps).
    It is granted once, when it first appears; after that the administrator decides."""

    permission = models.OneToOneField("auth.Permission", on_delete=models.CASCADE, verbose_name="behörighet")
    granted_at = models.DateTimeField("tilldelad", auto_now_add=True)

    class Meta:
        verbose_name = "tilldelad rollbehörighet"
        verbose_name_plural = "tilldelade rollbehörigheter"

    def __str__(self):
        return str(self.permission)


from .check_models import PlanCheckConfirmation  # noqa: E402,F401  (the checklist's record)
