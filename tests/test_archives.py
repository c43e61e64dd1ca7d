"""Archives are write-once and tamper-evident (sodertorn/archive.py).

Every archive (a decided plan's PDF, justerade minutes, frozen fees and each
member's frozen fee) refuses change on every Python path and in the database, and
sits in the archive chain, which `verify_archives` recomputes. The forgeries below
are written as a database superuser would: with the triggers switched off."""
import contextlib
import datetime
import hashlib
import io
import logging

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, models, transaction

from budget.models import FeeArchive, FeeArchiveRow
from meetings.models import Meeting, MinutesArchive
from plans.models import PlanArchive, WorkPlan
from sodertorn.archive import (
    GENESIS_HASH,
    check_write_once_models,
    sqlite_trigger_sql,
    sqlite_triggers_restore,
)
from sodertorn.models import ArchiveLink
from tests.environment import requires_postgresql, requires_sqlite
from tests.meetings.conftest import build_meeting

pytestmark = pytest.mark.django_db


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def plan_archive(pdf=b"%PDF-1.7 beslutad plan") -> PlanArchive:
    plan = WorkPlan.objects.get(year=2017)
    return PlanArchive.objects.create(plan=plan, pdf=pdf, sha256=sha(pdf), weasyprint_version="70.0",
                                      pdf_variant="pdf/ua-1", decided_on=plan.decided_on)


def minutes_archive() -> MinutesArchive:
    pdf = b"%PDF-1.7 justerat protokoll"
    return MinutesArchive.objects.create(meeting=build_meeting(datetime.date(2026, 3, 5)), pdf=pdf, sha256=sha(pdf),
                                         weasyprint_version="70.0", pdf_variant="pdf/a-2a")


# Each kind of archive, and a field a forger would change.
KINDS = {
    "plan": (plan_archive, "pdf", b"%PDF forged"),
    "minutes": (minutes_archive, "pdf", b"%PDF forged"),
    "fees": (lambda: FeeArchive.objects.order_by("pk").first(), "member_fee_income", 1),
    "fee_row": (lambda: FeeArchiveRow.objects.order_by("pk").first(), "fee", 1),
}


@pytest.fixture(params=list(KINDS))
def archive(request):
    make, field, forged = KINDS[request.param]
    instance = make()
    assert instance is not None, "the seed freezes the fees of a plan decided before the system"
    return instance, field, forged


@contextlib.contextmanager
def triggers_off(table: str):
    """What a database superuser can do: write past the triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        else:
            for op in ("update", "delete"):
                cursor.execute(f'DROP TRIGGER "{table}_write_once_{op}"')
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")
            else:
                for statement in sqlite_trigger_sql(table):
                    cursor.execute(statement)


def verify_output() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_archives", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def verify_refuses() -> str:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="avvikelser"):
        call_command("verify_archives", stdout=out, stderr=err)
    return err.getvalue()


# -- never changed on a Python path ------------------------------------------------


def test_an_archive_saved_again_is_refused(archive):
    instance, field, forged = archive
    setattr(instance, field, forged)
    with pytest.raises(ValidationError, match="ändras och raderas aldrig"):
        instance.save()
    with pytest.raises(ValidationError, match="aldrig"):
        instance.save(update_fields=[field])
    again = type(instance)._base_manager.get(pk=instance.pk)
    again._state.adding = True  # a copy with the same primary key
    with pytest.raises(ValidationError, match="aldrig"):
        again.save()
    assert getattr(type(instance)._base_manager.get(pk=instance.pk), field) != forged


def test_update_delete_and_bulk_update_are_refused_on_the_default_and_the_base_manager(archive):
    instance, field, forged = archive
    model = type(instance)
    for manager in (model.objects, model._base_manager, model._default_manager):
        rows = manager.filter(pk=instance.pk)
        for attempt in (
            lambda: rows.update(**{field: forged}),
            rows.delete,
            lambda: manager.bulk_update([instance], [field]),
            lambda: manager.update_or_create(pk=instance.pk, defaults={field: forged}),
        ):
            with pytest.raises(ValidationError, match="aldrig"):
                attempt()
    with pytest.raises(ValidationError, match="raderas aldrig"):
        instance.delete()
    assert model._base_manager.filter(pk=instance.pk).exists()


def test_an_upsert_of_an_archive_is_refused():
    instance = plan_archive()
    with pytest.raises(ValidationError, match="aldrig"):
        PlanArchive.objects.bulk_create([instance], update_conflicts=True, unique_fields=["id"], update_fields=["pdf"])


def test_the_archive_models_keep_their_protection():
    assert check_write_once_models() == []
    for model in (PlanArchive, MinutesArchive, FeeArchive, FeeArchiveRow, ArchiveLink):
        assert model._base_manager is model.objects


# -- never changed in the database -----------------------------------------------


def test_the_database_refuses_raw_sql_update_and_delete_of_an_archive(archive):
    instance, field, forged = archive
    model = type(instance)
    column = model._meta.get_field(field).column
    table = model._meta.db_table
    for sql, params in (
        (f'UPDATE "{table}" SET "{column}" = %s WHERE id = %s', [forged, instance.pk]),
        (f'DELETE FROM "{table}" WHERE id = %s', [instance.pk]),
    ):
        with pytest.raises(DatabaseError, match="ändras och raderas aldrig"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
    # A queryset that is not the model's own (a forgotten manager) meets the same triggers.
    with pytest.raises(DatabaseError, match="aldrig"), transaction.atomic():
        models.QuerySet(model).filter(pk=instance.pk).update(**{field: forged})
    with pytest.raises(DatabaseError, match="aldrig"), transaction.atomic():
        models.QuerySet(model).filter(pk=instance.pk)._raw_delete(connection.alias)
    assert getattr(model._base_manager.get(pk=instance.pk), field) != forged


def test_the_chain_refuses_change_like_the_archives():
    link = ArchiveLink.objects.order_by("seq").first()
    link.hash = "0" * 64
    with pytest.raises(ValidationError, match="länkar ändras och raderas aldrig"):
        link.save()
    with pytest.raises(ValidationError, match="aldrig"):
        ArchiveLink.objects.filter(pk=link.pk).update(hash="0" * 64)
    with pytest.raises(ValidationError, match="aldrig"):
        ArchiveLink._base_manager.all().delete()
    with pytest.raises(DatabaseError, match="aldrig"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute('DELETE FROM "sodertorn_archivelink"')


@requires_postgresql
def test_postgresql_has_the_write_once_triggers_from_the_migrations():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE 'pgtrigger_write_once_%%' AND t.tgenabled = 'O'"
        )
        tables = {row[0] for row in cursor.fetchall()}
    assert tables == {"plans_planarchive", "meetings_minutesarchive", "budget_feearchive",
                      "budget_feearchiverow", "sodertorn_archivelink"}


@requires_sqlite
def test_sqlite_has_the_write_once_triggers_and_gets_them_back_after_a_table_rebuild():
    def triggers():
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%write_once%'")
            return {row[0] for row in cursor.fetchall()}

    expected = {f"{table}_write_once_{op}" for op in ("update", "delete") for table in (
        "plans_planarchive", "meetings_minutesarchive", "budget_feearchive", "budget_feearchiverow",
        "sodertorn_archivelink")}
    assert triggers() == expected
    with connection.cursor() as cursor:
        cursor.execute('DROP TRIGGER "plans_planarchive_write_once_update"')  # as a table rebuild does
    sqlite_triggers_restore(using=connection.alias)  # after every migrate
    assert triggers() == expected
    # The pgtrigger operations of the same migrations left nothing behind on SQLite.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE sql LIKE '%pgtrigger%'")
        assert cursor.fetchone()[0] == 0


# -- the chain -------------------------------------------------------------------


def test_each_new_archive_is_linked_to_the_one_before_it_in_the_same_transaction():
    head = ArchiveLink.objects.order_by("-seq").first()
    first = plan_archive(b"%PDF first")
    second = minutes_archive()
    links = list(ArchiveLink.objects.filter(seq__gt=head.seq).order_by("seq"))
    assert [(link.label, link.object_pk) for link in links] == [
        ("plans.planarchive", first.pk), ("meetings.minutesarchive", second.pk)]
    assert links[0].previous_hash == head.hash and links[1].previous_hash == links[0].hash
    assert links[0].file_sha256 == sha(b"%PDF first")
    assert links[0].subject == f"{first.plan_id}:{first.plan.decided_on.isoformat() if first.plan.decided_on else ''}"
    # A failed decision leaves neither the archive nor its link.
    with contextlib.suppress(RuntimeError), transaction.atomic():
        plan_archive(b"%PDF rolled back")
        raise RuntimeError
    assert ArchiveLink.objects.order_by("-seq").first() == links[1]


def test_the_seeds_frozen_fees_are_in_the_chain():
    linked = set(ArchiveLink.objects.values_list("label", "object_pk"))
    assert FeeArchive.objects.exists()
    for model in (FeeArchive, FeeArchiveRow):
        for pk in model.objects.values_list("pk", flat=True):
            assert (model._meta.label_lower, pk) in linked
    first = ArchiveLink.objects.order_by("seq").first()
    assert first.seq == 1 and first.previous_hash == GENESIS_HASH


def test_bulk_created_archives_are_linked_one_by_one():
    plan = WorkPlan.objects.get(year=2017)
    made = PlanArchive.objects.bulk_create([
        PlanArchive(plan=plan, pdf=pdf, sha256=sha(pdf), weasyprint_version="70.0", pdf_variant="pdf/ua-1")
        for pdf in (b"%PDF a", b"%PDF b")
    ])
    assert ArchiveLink.objects.filter(label="plans.planarchive", object_pk__in=[a.pk for a in made]).count() == 2
    verify_output()


# -- verify_archives -------------------------------------------------------------


def test_verify_archives_passes_a_clean_database():
    plan_archive()
    minutes_archive()
    out, err = verify_output()
    assert "Inga avvikelser" in out and err == ""
    assert "arkiverade PDF:er" in out and "arkiverade protokoll" in out and "frysta avgifter per kommun" in out


def test_verify_archives_finds_an_archive_rewritten_past_the_triggers(archive):
    instance, field, forged = archive
    model = type(instance)
    column = model._meta.get_field(field).column
    with triggers_off(model._meta.db_table) as cursor:
        if field == "pdf":  # the forger keeps the row consistent: file and hash together
            cursor.execute(f'UPDATE "{model._meta.db_table}" SET pdf = %s, sha256 = %s WHERE id = %s',
                           [forged, sha(forged), instance.pk])
        else:
            cursor.execute(f'UPDATE "{model._meta.db_table}" SET "{column}" = %s WHERE id = %s', [forged, instance.pk])
    err = verify_refuses()
    assert f"{model._meta.label_lower} {instance.pk}: ändrat sedan arkiveringen" in err
    assert f"({field})" in err


def test_verify_archives_finds_a_file_that_does_not_match_its_row():
    archive = plan_archive()
    with triggers_off("plans_planarchive") as cursor:
        cursor.execute("UPDATE plans_planarchive SET pdf = %s WHERE id = %s", [b"%PDF forged", archive.pk])
    err = verify_refuses()
    assert f"plans.planarchive {archive.pk}: filens SHA-256 är {sha(b'%PDF forged')}, raden anger {archive.sha256}" in err


def test_verify_archives_finds_a_deleted_archive_and_one_inserted_outside_the_chain():
    deleted = plan_archive()
    with triggers_off("plans_planarchive") as cursor:
        cursor.execute("DELETE FROM plans_planarchive WHERE id = %s", [deleted.pk])
    smuggled = PlanArchive(plan=deleted.plan, pdf=b"%PDF smuggled", sha256=sha(b"%PDF smuggled"),
                           weasyprint_version="70.0", pdf_variant="pdf/ua-1", decided_on=deleted.decided_on,
                           created_at=deleted.created_at)
    models.Model.save_base(smuggled, raw=True)  # an insert that no save() saw, as loaddata does
    err = verify_refuses()
    assert f"plans.planarchive {deleted.pk}: arkivet i länk nr" in err and "finns inte längre (raderat)" in err
    assert f"plans.planarchive {smuggled.pk}: arkivet saknas i arkivkedjan" in err


def test_verify_archives_finds_a_forged_link():
    plan_archive(b"%PDF one")
    plan_archive(b"%PDF two")
    last, before = ArchiveLink.objects.order_by("-seq")[:2]
    with triggers_off("sodertorn_archivelink") as cursor:
        # The forger rewrites a link's file hash and its own hash to match the new content…
        cursor.execute("UPDATE sodertorn_archivelink SET file_sha256 = %s WHERE id = %s", ["f" * 64, before.pk])
    err = verify_refuses()
    assert f"sodertorn.archivelink {before.pk}: länk nr {before.seq}: hashen stämmer inte" in err
    with triggers_off("sodertorn_archivelink") as cursor:
        # …and a link removed from the middle breaks the sequence and the next link's hash.
        cursor.execute("DELETE FROM sodertorn_archivelink WHERE id = %s", [before.pk])
    err = verify_refuses()
    assert f"länk nr {last.seq} där nr {before.seq} väntades" in err
    assert f"länk nr {last.seq}: föregående hash" in err


# -- what the site serves when an archive is gone --------------------------------


def _delete_behind_the_triggers(instance):
    table = instance._meta.db_table
    with triggers_off(table) as cursor:
        cursor.execute(f'DELETE FROM "{table}" WHERE id = %s', [instance.pk])


def test_a_justerat_meetings_pdf_is_not_rendered_again_when_its_archive_is_gone(anonym, caplog):
    from tests.meetings.test_flow import approve_all, at, held

    meeting = held(datetime.date(2026, 3, 5))
    approve_all(meeting, at(datetime.date(2026, 3, 12)))
    archive = meeting.archive
    url = f"/sammantraden/{meeting.event.body.slug}/{meeting.date:%Y-%m-%d}/protokoll.pdf"
    response = anonym.get(url)
    assert response.status_code == 200 and response.content == bytes(archive.pdf)
    _delete_behind_the_triggers(archive)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.APPROVED
    with caplog.at_level(logging.ERROR):
        response = anonym.get(url)
    assert response.status_code == 500
    assert not response.content.startswith(b"%PDF")
    assert "Det justerade protokollet från" in response.content.decode() and "finns inte i arkivet" in response.content.decode()
    assert any("Arkivet saknas" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)


def test_a_decided_plans_pdf_is_not_rendered_again_when_its_archive_is_gone(anonym, caplog):
    archive = plan_archive()
    response = anonym.get("/planer/2017/pdf/")
    assert response.status_code == 200 and response.content == bytes(archive.pdf)
    assert response["X-Archive-SHA256"] == archive.sha256
    _delete_behind_the_triggers(archive)
    with caplog.at_level(logging.ERROR):
        response = anonym.get("/planer/2017/pdf/")
    assert response.status_code == 500 and not response.content.startswith(b"%PDF")
    assert "finns inte i arkivet" in response.content.decode()
    assert any("Arkivet saknas" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
