"""Two archives made at once never fork the archive chain (its appends take a row
lock). A module of its own: the test commits, so the database is emptied after it
and the next module loads the seed again (tests/conftest.py)."""
import hashlib
import threading

import pytest
from django.db import connections, models, transaction
from django.utils import timezone

from plans.models import PlanArchive, WorkPlan
from sodertorn.archive import archive_chain_append, verify_archives
from sodertorn.models import ArchiveLink
from tests.environment import requires_postgresql


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_once_get_one_link_each_in_one_chain():
    plan = WorkPlan.objects.get(year=2017)
    rows = []
    for pdf in (b"%PDF first", b"%PDF second"):
        # Inserted without their links, so that the threads below do nothing but append
        # (an archive's own insert also bumps ContentVersion, which would serialise them).
        row = PlanArchive(plan=plan, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(),
                          weasyprint_version="70.0", pdf_variant="pdf/ua-1", created_at=timezone.now())
        models.Model.save_base(row, raw=True)
        rows.append(row)
    before = ArchiveLink.objects.count()
    first_inside, second_started = threading.Event(), threading.Event()
    errors = []

    def archive(row: PlanArchive, hold: bool):
        try:
            with transaction.atomic():
                archive_chain_append(row, using="default")
                if hold:  # keep the first transaction open while the second appends
                    first_inside.set()
                    second_started.wait(10)
                    threading.Event().wait(0.5)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(target=archive, args=(rows[0], True))
    first.start()
    assert first_inside.wait(10)
    second = threading.Thread(target=archive, args=(rows[1], False))
    second.start()
    second_started.set()
    first.join(20)
    second.join(20)
    assert errors == []
    links = list(ArchiveLink.objects.order_by("seq")[before:])
    assert len(links) == 2 and links[1].previous_hash == links[0].hash
    assert verify_archives().mismatches == []
