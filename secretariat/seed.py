"""Load the seed documents (fixtures/*.yaml) into the database.

Each YAML file holds the facts of one source document in correct Swedish; the
format is described in fixtures/README.md. Loading is idempotent: every record
is found by a natural key, and loading twice changes nothing (nothing is saved
when the seed's values are already there).

Loading is safe on a database people work in: for every record it writes, the
loader keeps a fingerprint of the fields and relations it wrote (`SeedRecord`).
A record whose current state differs from that fingerprint was changed in the
admin after it was loaded; it is left alone and reported, as is a record deleted
since. A record that exists without a fingerprint (made by hand, or loaded
before fingerprints existed) is adopted only if it already equals the seed.
`overwrite=True` writes the seed's values regardless.

Calendar events carry an explicit stable `key` in the YAML; their iCal UID is
derived from it, so inserting or reordering events changes no other UID.
"""
import csv
import datetime
import hashlib
import json
import uuid
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.db import models, transaction

from budget.models import Budget, BudgetLine, Population
from budget.services import budgets_freeze_decided_fees
from calendar_app.models import Event, EventSeries, HostRotation
from sodertorn.lock import lock_bypass
from plans.models import (
    Activity,
    SeedRecord,
    Body,
    Chairmanship,
    Chapter,
    CollaborationArea,
    CollaborationTopic,
    Document,
    Goal,
    GoalLevel,
    Membership,
    Municipality,
    Network,
    Person,
    Programme,
    SourceDocument,
    WorkPlan,
)

from .services import printed_names_fill

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
EVENT_NAMESPACE = uuid.UUID("5b0e6f2a-3c1d-4d8e-9f27-6a1b2c3d4e5f")


class SeedError(Exception):
    pass


def seed_files(directory: Path = FIXTURES_DIR) -> list[Path]:
    """The YAML files in load order (their names start with a number)."""
    return sorted(directory.glob("*.yaml"))


class SeedResult:
    """What a load did: records created, updated and unchanged per kind, and the
    records it left alone because they were changed or deleted after loading."""

    def __init__(self):
        self.created: dict[str, int] = {}
        self.updated: dict[str, int] = {}
        self.unchanged = 0
        self.skipped: list[str] = []

    @property
    def counts(self) -> dict[str, int]:
        """Records written (created or updated) per kind."""
        counts = dict(self.created)
        for name, n in self.updated.items():
            counts[name] = counts.get(name, 0) + n
        return counts


@transaction.atomic
def seed_load(paths: list[Path] | None = None, overwrite: bool = False) -> SeedResult:
    """Load the given files (default: every file in fixtures/); see the module docstring."""
    loader = _Loader(overwrite=overwrite)
    # The seed registers plans decided before this system, parts and all, so it
    # writes past the lock of decided plans (plans/lock.py); nothing else does. It
    # writes nothing to a record that already matches the seed.
    with lock_bypass():
        for path in paths or seed_files():
            loader.load_file(path)
        loader.save_rotations()
        loader.save_records()
        # The plans decided before the system keep the names they print now
        # (a plan that has them keeps them: renamed later, it still prints the old ones).
        printed_names_fill()
    # Their fees are frozen as the seed's population figures give them (issue 10).
    budgets_freeze_decided_fees()
    return loader.result


def event_uid(key: str) -> uuid.UUID:
    """The iCal UID of a seeded event, from its stable key in the YAML.

    The keys were written once as "plan-<year>-event-<position>" from the events'
    places in the files at the time, so the UIDs subscribers already have stay the same."""
    return uuid.uuid5(EVENT_NAMESPACE, key)


def _natural_key(model, lookup: dict) -> tuple[str, str]:
    parts = {k: (v.pk if hasattr(v, "pk") else v) for k, v in lookup.items()}
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{model._meta.label_lower}|{text}".encode()).hexdigest(), text[:300]


def _value(obj, name: str):
    """A field's value as the database will hold it (a YAML 120000 is a Decimal 120000.00)."""
    field = obj._meta.get_field(name)
    value = field.value_from_object(obj)  # a related record's primary key
    if value is None or field.is_relation:
        return value
    value = field.to_python(value)
    if isinstance(field, models.DecimalField):
        value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
    return str(value)


def _fingerprint(obj, fields, m2m_ids: dict[str, set]) -> str:
    data = {name: _value(obj, name) for name in sorted(fields)}
    data.update({name: sorted(ids) for name, ids in sorted(m2m_ids.items())})
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _time(value):
    if value in (None, ""):
        return None
    if isinstance(value, int):  # YAML reads 12:00 as sexagesimal 720
        return datetime.time(value // 60, value % 60)
    return datetime.time.fromisoformat(str(value).replace(".", ":"))


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _when(data: dict | None) -> dict:
    """Translate a `when:` mapping into FlexibleDate fields."""
    data = data or {"precision": "unset"}
    return {
        "date_precision": data.get("precision", "day"),
        "start_date": _date(data.get("date")),
        "end_date": _date(data.get("end")),
        "month": data.get("month"),
        "season": data.get("season", ""),
        "date_text": data.get("text", ""),
    }


class _Loader:
    def __init__(self, overwrite: bool = False):
        self.overwrite = overwrite
        self.result = SeedResult()
        self.source = None
        self.file = None
        self.records = {(r.model, r.key): r for r in SeedRecord.objects.all()}
        self.dirty: set[tuple[str, str]] = set()
        self.event_keys: set[str] = set()
        self.rotations: dict[tuple, tuple] = {}

    # -- helpers ---------------------------------------------------------

    def _fail(self, message):
        raise SeedError(f"{self.file.name}: {message}")

    def _save(self, model, lookup: dict, values: dict, name: str, item: dict | None = None,
              m2m: dict | None = None, m2m_add: bool = False):
        """Create or update the record found by `lookup` with `values` and the related
        sets in `m2m` (replaced, or only added to with `m2m_add`), unless it was
        changed or deleted after it was loaded. Returns the record (None if deleted)."""
        if "source" in {f.name for f in model._meta.fields} and "source" not in values:
            code = (item or {}).get("source")
            values["source"] = self._get(SourceDocument, "källan", code=str(code)) if code else self.source
        m2m = m2m or {}
        key, label = _natural_key(model, lookup)
        record_key = (model._meta.label_lower, key)
        record = self.records.get(record_key)
        obj = model.objects.filter(**lookup).first()
        if obj is None and record is not None and not self.overwrite:
            self._skip(name, label, "raderad efter inläsningen; återskapas inte")
            return None
        current_ids = {f: set(getattr(obj, f).values_list("pk", flat=True)) for f in m2m} if obj else {}
        current = _fingerprint(obj, values, current_ids) if obj else None
        target_ids = {f: {o.pk for o in objs} | (current_ids.get(f, set()) if m2m_add else set())
                      for f, objs in m2m.items()}
        created = obj is None
        if created:
            obj = model(**lookup)
        for attr, value in values.items():
            setattr(obj, attr, value)
        target = _fingerprint(obj, values, target_ids)
        if not created and not self.overwrite and current != target:
            if record is None or record.fingerprint != current:
                obj.refresh_from_db()
                reason = ("ändrad efter inläsningen" if record is not None
                          else "skiljer sig från seed-data men lästes inte in av load_seed")
                self._skip(name, f"”{str(obj)[:120]}”", reason)
                return obj
        if created or current != target:
            obj.full_clean(validate_unique=False, validate_constraints=False)
            obj.save()
            for field, objs in m2m.items():
                if m2m_add:
                    getattr(obj, field).add(*objs)
                else:
                    getattr(obj, field).set(objs)
            counts = self.result.created if created else self.result.updated
            counts[name] = counts.get(name, 0) + 1
        else:
            self.result.unchanged += 1
        self._remember(record_key, f"{str(obj)[:120]} {label}"[:300], target)
        return obj

    def _remember(self, record_key, label, fingerprint):
        record = self.records.get(record_key)
        if record is None:
            record = self.records[record_key] = SeedRecord(model=record_key[0], key=record_key[1], label=label)
        if record.pk is None or record.fingerprint != fingerprint:
            record.fingerprint = fingerprint
            self.dirty.add(record_key)

    def _skip(self, name, label, reason):
        self.result.skipped.append(f"{self.file.name}: {name} {label}: {reason}")

    def save_records(self):
        records = [self.records[k] for k in self.dirty]
        SeedRecord.objects.bulk_create([r for r in records if r.pk is None])
        SeedRecord.objects.bulk_update([r for r in records if r.pk is not None], ["fingerprint", "label"])

    def _get(self, model, what: str, **lookup):
        try:
            return model.objects.get(**lookup)
        except model.DoesNotExist:
            self._fail(f"{what} {lookup} finns inte (ladda filen som definierar det först)")

    def municipality(self, slug):
        return self._get(Municipality, "kommunen", slug=slug)

    def municipalities(self, slugs):
        return [self.municipality(s) for s in slugs or []]

    def goal(self, programme, title):
        goals = list(Goal.objects.filter(programme=programme, title=title))
        if len(goals) != 1:
            self._fail(f"målet ”{title}” finns {len(goals)} gånger i {programme}")
        return goals[0]

    def person(self, name):
        people = list(Person.objects.filter(name=name))
        if len(people) != 1:
            self._fail(f"personen ”{name}” finns {len(people)} gånger")
        return people[0]

    # -- the file --------------------------------------------------------

    def load_file(self, path: Path):
        self.file = path
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("sources", []):
            self._save(SourceDocument, {"code": item["code"]},
                       {"title": item["title"], "filename": item.get("filename", ""),
                        "description": item.get("description", "")}, "källdokument")
        self.source = self._get(SourceDocument, "källan", code=str(data["source"])) if data.get("source") else None
        for item in data.get("municipalities", []):
            self._save(Municipality, {"slug": item["slug"]},
                       {"name": item["name"], "code": item.get("code"), "is_member": item.get("member", True)},
                       "kommuner")
        if data.get("populations_csv"):
            self.load_populations(FIXTURES_DIR / data["populations_csv"])
        for item in data.get("bodies", []):
            self.load_body(item)
        for item in data.get("series", []):
            self._save(EventSeries, {"slug": item["slug"]}, {
                "name": item["name"],
                "body": self._get(Body, "organet", slug=item["body"]) if item.get("body") else None,
                "position": item.get("position", 0),
                "description": item.get("description", ""),
                "hosts_per_year": item.get("hosts_per_year", 0),
                "every_other_year": item.get("every_other_year", False),
            }, "serier", item)
        for item in data.get("networks", []):
            self._save(Network, {"slug": item["slug"]}, {
                "name": item["name"],
                "short_name": item.get("short_name", ""),
                "kind": item.get("kind", Network.Kind.NETWORK),
                "purpose": item.get("purpose", ""),
                "reports_to": self._get(Body, "organet", slug=item["reports_to"]) if item.get("reports_to") else None,
            }, "nätverk", item)
        for item in data.get("documents", []):
            self.load_document(item)
        for item in data.get("programmes", []):
            self.load_programme(item)
        for item in data.get("people", []):
            self._save(Person, {"name": item["name"],
                                "municipality": self.municipality(item["municipality"]) if item.get("municipality") else None},
                       {"title": item.get("title", "")}, "personer", item)
        for item in data.get("memberships", []):
            body = self._get(Body, "organet", slug=item["body"])
            self._save(Membership, {"body": body, "person": self.person(item["person"]), "start_year": item["start_year"]}, {
                "municipality": self.municipality(item["municipality"]) if item.get("municipality") else None,
                "role_title": item.get("role_title", ""),
                "end_year": item.get("end_year"),
            }, "ledamöter", item)
        for item in data.get("chairs", []):
            body = self._get(Body, "organet", slug=item["body"])
            self._save(Chairmanship, {"body": body, "year": item["year"], "role": item["role"]},
                       {"person": self.person(item["person"]), "term": item.get("term", "")}, "ordförandeskap", item)
        for item in data.get("rotations", []):
            self.load_rotation(item)
        for item in data.get("plans", []):
            self.load_plan(item)

    def load_populations(self, path: Path):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                self._save(Population,
                           {"municipality": self._get(Municipality, "kommunkoden", code=row["kommunkod"]),
                            "date": _date(row["datum"])},
                           {"inhabitants": int(row["folkmangd"]), "source_text": row["kalla"]}, "folkmängd")

    def load_body(self, item):
        self._save(Body, {"slug": item["slug"]}, {
            "name": item["name"],
            "short_name": item["short_name"],
            "kind": item["kind"],
            "position": item.get("position", 0),
            "description": item.get("description", ""),
            "composition": item.get("composition", ""),
            "min_meetings_per_year": item.get("min_meetings_per_year"),
            "meeting_weekday": item.get("meeting_weekday"),
            "usual_start": _time(item.get("usual_start")),
            "usual_end": _time(item.get("usual_end")),
        }, "organ", item)

    def load_document(self, item):
        values = {
            "kind": item["kind"],
            "title": item["title"],
            "date": _date(item.get("date")),
            "municipality": self.municipality(item["municipality"]) if item.get("municipality") else None,
            "reference": item.get("reference", ""),
            "date_text": item.get("date_text", ""),
            "authors": item.get("authors", ""),
            "addressee": item.get("addressee", ""),
            "body": item["body"],
            "responds_to": self._get(Document, "dokumentet", slug=item["responds_to"]) if item.get("responds_to") else None,
        }
        self._save(Document, {"slug": item["slug"]}, values, "dokument", item)

    def load_programme(self, item):
        programme = self._save(Programme, {"slug": item["slug"]}, {
            "name": item["name"],
            "short_name": item["short_name"],
            "valid_from": item["valid_from"],
            "valid_to": item.get("valid_to"),
            "adoption": item.get("adoption", ""),
            "vision_name": item.get("vision_name", ""),
            "vision": item.get("vision", ""),
            "description": item.get("description", ""),
        }, "program", item)
        if programme is None:
            return
        levels = {}
        for depth, (name, plural) in enumerate(item["levels"], start=1):
            levels[depth] = self._save(GoalLevel, {"programme": programme, "depth": depth},
                                       {"name": name, "name_plural": plural}, "målnivåer")
        self.load_goals(programme, levels, item.get("goals", []), parent=None, depth=1)

    def load_goals(self, programme, levels, goals, parent, depth, plan=None):
        for position, item in enumerate(goals, start=1):
            if depth not in levels:
                self._fail(f"{programme} har ingen målnivå {depth} (målet ”{item['title']}”)")
            goal = self._save(Goal, {"programme": programme, "parent": parent, "title": item["title"]}, {
                "level": levels[depth],
                "position": item.get("position", position),
                "description": item.get("description", ""),
                "set_in_plan": plan,
            }, "mål", item, m2m={"networks": [self._get(Network, "nätverket", slug=slug)
                                               for slug in item.get("networks", [])]}, m2m_add=True)
            if goal is None:
                continue
            self.load_goals(programme, levels, item.get("children", []), goal, depth + 1, plan)

    def load_rotation(self, item):
        # Later plans restate earlier plans' rotations; the last statement wins and is
        # written once, at the end, so that a second load finds nothing to change.
        self.rotations[(item["series"], item["year"])] = (item, self.source, self.file)

    def save_rotations(self):
        for item, source, path in self.rotations.values():
            self.source, self.file = source, path
            series = self._get(EventSeries, "serien", slug=item["series"])
            self._save(HostRotation, {"series": series, "year": item["year"]},
                       {"note": item.get("note", "")}, "värdskap", item,
                       m2m={"hosts": self.municipalities(item["hosts"])})

    def load_plan(self, item):
        programme = self._get(Programme, "programmet", slug=item["programme"])
        plan = self._save(WorkPlan, {"year": item["year"]}, {
            "programme": programme,
            "title": item.get("title", ""),
            "subtitle": item.get("subtitle", ""),
            "status": item.get("status", WorkPlan.Status.DECIDED),
            "decided_on": _date(item.get("decided_on")),
            "decided_by": self._get(Body, "organet", slug=item["decided_by"]) if item.get("decided_by") else None,
            "decision_reference": item.get("decision_reference", ""),
        }, "planer")
        if plan is None:
            return
        # Delmål that this plan sets under the programme's goals.
        levels = {lvl.depth: lvl for lvl in programme.levels.all()}
        for goal in item.get("goals", []):
            parent = self.goal(programme, goal["parent"])
            self.load_goals(programme, levels, [goal], parent, parent.level.depth + 1, plan)
        for position, ch in enumerate(item.get("chapters", []), start=1):
            self._save(Chapter, {"plan": plan, "position": position}, {
                "number": str(ch.get("number", "")),
                "title": ch["title"],
                "kind": ch.get("kind", Chapter.Kind.TEXT),
                "body": ch.get("body", ""),
                "document": self._get(Document, "dokumentet", slug=ch["document"]) if ch.get("document") else None,
            }, "kapitel")
        topics = {}
        for position, area_data in enumerate(item.get("areas", []), start=1):
            area = self._save(CollaborationArea, {"plan": plan, "position": position}, {
                "title": area_data["title"],
                "number": area_data.get("number", ""),
                "purpose": area_data.get("purpose", ""),
                "governing_document": area_data.get("governing_document", ""),
                "body": area_data.get("body", ""),
            }, "samverkansområden")
            if area is None:
                continue
            for tpos, t in enumerate(area_data.get("topics", []), start=1):
                topic = self._save(CollaborationTopic, {"area": area, "position": tpos}, {
                    "title": t["title"],
                    "goal": self.goal(programme, t["goal"]) if t.get("goal") else None,
                    "body": t.get("body", ""),
                }, "inriktningar", m2m={"networks": [self._get(Network, "nätverket", slug=s)
                                                      for s in t.get("networks", [])]})
                topics[t["title"]] = topic
        for position, a in enumerate(item.get("activities", []), start=1):
            if a.get("topic") and a["topic"] not in topics:
                self._fail(f"aktiviteten ”{a['title']}” hänvisar till okänt område ”{a['topic']}”")
            self._save(Activity, {"plan": plan, "position": position}, {
                "goal": self.goal(programme, a["goal"]) if a.get("goal") else None,
                "topic": topics.get(a.get("topic")),
                "objective": a.get("objective", ""),
                "title": a["title"],
                "description": a.get("description", ""),
                "responsible_text": a.get("responsible_text", ""),
                "cost": a.get("cost"),
                "cost_illegible": a.get("cost_illegible", ""),
                "comment": a.get("comment", ""),
                **_when(a.get("when")),
            }, "aktiviteter", m2m={
                "responsible_municipalities": self.municipalities(a.get("municipalities")),
                "responsible_networks": [self._get(Network, "nätverket", slug=s) for s in a.get("networks", [])],
                "responsible_people": [self.person(n) for n in a.get("people", [])],
            })
        for e in item.get("events", []):
            self.load_event(plan, e)
        printed: dict[str, list[int]] = {}
        for r in item.get("rotations", []):
            self.load_rotation(r)
            if r.get("printed", True):  # a row known from the text, not the plan's table
                first, last = printed.get(r["series"], [r["year"], r["year"]])
                printed[r["series"]] = [min(first, r["year"]), max(last, r["year"])]
        if printed != plan.rotation_years:
            plan.rotation_years = printed
            plan.save(update_fields=["rotation_years"])
        if item.get("budget"):
            self.load_budget(plan, item["budget"])

    def load_event(self, plan, e):
        key = e.get("key")
        if not key:
            self._fail(f"en kalenderhändelse i planen {plan.year} saknar nyckel (key:), som ger dess "
                       f"iCal-UID: {json.dumps(e, default=str, ensure_ascii=False)[:200]}. "
                       f"Ge varje ny händelse en egen, ny nyckel, t.ex. \"plan-{plan.year}-<namn>\".")
        if key in self.event_keys:
            self._fail(f"nyckeln ”{key}” används av två kalenderhändelser")
        self.event_keys.add(key)
        self._save(Event, {"uid": event_uid(str(key))}, {
            "plan": plan,
            "kind": e.get("kind", Event.Kind.MEETING),
            "body": self._get(Body, "organet", slug=e["body"]) if e.get("body") else None,
            "series": self._get(EventSeries, "serien", slug=e["series"]) if e.get("series") else None,
            "title": e.get("title", ""),
            "year": e.get("year", plan.year),
            "start_time": _time(e.get("start_time")),
            "end_time": _time(e.get("end_time")),
            "all_day": e.get("all_day", False),
            "place": self.municipality(e["place"]) if e.get("place") else None,
            "venue": e.get("venue", ""),
            "note": e.get("note", ""),
            **_when(e.get("when")),
        }, "kalenderhändelser", m2m={"hosts": self.municipalities(e.get("hosts"))})

    def load_budget(self, plan, b):
        budget = self._save(Budget, {"year": plan.year}, {
            "plan": plan,
            "fee_rule": b.get("fee_rule", Budget.FeeRule.SHARE),
            "fee_per_inhabitant": b.get("fee_per_inhabitant"),
            "population_date": _date(b.get("population_date")),
            "base_total": b.get("base_total"),
            "base_population_date": _date(b.get("base_population_date")),
            "fee_decision": b.get("fee_decision", ""),
            "fee_decision_date": _date(b.get("fee_decision_date")),
            "note": b.get("note", ""),
        }, "budgetar")
        if budget is None:
            return
        for kind in (BudgetLine.Kind.INCOME, BudgetLine.Kind.COST):
            lines = [line for line in b.get("lines", []) if line["kind"] == kind]
            for position, line in enumerate(lines, start=1):
                self._save(BudgetLine, {"budget": budget, "kind": kind, "position": position}, {
                    "label": line["label"],
                    "amount": line["amount"],
                    "approximate": line.get("approximate", False),
                    "is_member_fees": line.get("member_fees", False),
                    "note": line.get("note", ""),
                }, "budgetposter")
