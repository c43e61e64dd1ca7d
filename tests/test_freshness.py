"""Validators before rendering, 304 answers and the anonymous reader's page cache
(sodertorn/freshness.py)."""
import pytest
from django.urls import reverse

from calendar_app.models import Event
from sodertorn.lock import lock_bypass
from plans.models import Activity, Chapter, WorkPlan
from sodertorn.freshness import content_version
from tests.environment import requires_redis

pytestmark = pytest.mark.django_db


# Every kind of public response: pages, exports, feeds and PDFs.
PUBLIC_URLS = [
    "/",
    "/planer/",
    "/planer/2019/",
    "/planer/2019/pdf/",
    "/planer/2019/handlingsplan/",
    "/planer/2019/handlingsplan/?_export=csv",
    "/planer/2019/jamfor/2017/",
    "/planer/2019/arsredovisning/",
    "/program/",
    "/program/sup-2013/",
    "/natverk/",
    "/natverk/ekonomichefer/",
    "/dokument/",
    "/tillganglighet/",
    "/kalender/",
    "/kalender/2019/",
    "/kalender/rotation/",
    "/kalender.ics",
    "/kalender/ledningsgruppen.ics",
    "/budget/",
    "/budget/2019/",
    "/budget/2019/avgifter/",
    "/budget/2019/avgifter/?_export=xlsx",
    "/budget/2017/avgifter/huddinge/pdf/",
    "/budget/2017/avgifter/alla.zip",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_every_public_response_answers_304_without_being_built(anonym, django_assert_max_num_queries, url):
    first = anonym.get(url)
    assert first.status_code == 200
    assert first["ETag"].startswith('W/"') and first["Last-Modified"]
    # At most the content version. A maximum on purpose: the version is mirrored in
    # the cache for VERSION_SECONDS (2 s), so it is read from the database only when
    # the first request took longer than that (a PDF on a busy machine).
    with django_assert_max_num_queries(1):
        again = anonym.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
    assert again.content == b""
    assert anonym.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_the_second_anonymous_request_is_served_from_the_cache(anonym, django_assert_max_num_queries):
    first = anonym.get("/planer/2019/")
    assert "X-Page-Cache" not in first
    # At most the content version; a maximum on purpose, as above (VERSION_SECONDS).
    with django_assert_max_num_queries(1):
        again = anonym.get("/planer/2019/")
        assert again.status_code == 200
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_the_worker_keeps_a_copy_of_what_it_served(anonym):
    """The shared cache is read once; then the worker's own copy answers."""
    from django.core.cache import cache

    first = anonym.get("/natverk/")
    cache.clear()
    again = anonym.get("/natverk/")
    assert again["X-Page-Cache"] == "hit" and again.content == first.content


def test_an_edit_shows_at_once_to_anonymous_readers(anonym):
    chapter = Chapter.objects.filter(plan__year=2019).order_by("position").first()
    first = anonym.get("/planer/2019/")
    anonym.get("/planer/2019/")  # now cached
    chapter.body += "\n\nTillägg efter beslut om rättelse."
    with lock_bypass():  # the 2019 plan is decided; the edit stands for one made after reopening
        chapter.save()
    again = anonym.get("/planer/2019/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "X-Page-Cache" not in again
    assert again["ETag"] != first["ETag"]
    assert "Tillägg efter beslut om rättelse." in again.content.decode()


def test_the_content_version_is_read_from_the_database_when_the_cache_lost_it(anonym, django_assert_num_queries):
    from django.core.cache import cache

    first = anonym.get("/planer/")
    cache.clear()
    with django_assert_num_queries(1):  # the content version
        assert anonym.get("/planer/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_bulk_update_without_signals_also_invalidates(anonym):
    """queryset.update() sends no signals; the content version is bumped anyway."""
    before = content_version()
    first = anonym.get("/planer/2019/handlingsplan/")
    with lock_bypass():  # the 2019 plan is decided; this is about the cache, not the lock
        Activity.objects.filter(plan__year=2019, position=1).update(title="Omdöpt aktivitet i massuppdatering")
    assert content_version()[0] > before[0]
    again = anonym.get("/planer/2019/handlingsplan/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "Omdöpt aktivitet i massuppdatering" in again.content.decode()


def test_a_deleted_event_leaves_the_feed_at_once(anonym):
    event = Event.objects.filter(year=2019, preliminary=False).first()
    assert str(event.uid) in anonym.get("/kalender.ics").content.decode()
    with lock_bypass():  # an event of the decided 2019 plan's Kalendarium
        event.delete()
    assert str(event.uid) not in anonym.get("/kalender.ics").content.decode()


def test_signed_in_users_never_get_the_anonymous_copy(anonym, lasare_user):
    anonymous = anonym.get("/planer/2019/")
    anonym.get("/planer/2019/")
    anonym.force_login(lasare_user)
    signed_in = anonym.get("/planer/2019/")
    assert "X-Page-Cache" not in signed_in
    assert "Inloggad som direktor" in signed_in.content.decode()
    assert signed_in["ETag"] != anonymous["ETag"]
    # Nor a 304 on the strength of the anonymous copy's validators.
    assert anonym.get("/planer/2019/", HTTP_IF_NONE_MATCH=anonymous["ETag"]).status_code == 200
    assert "Last-Modified" not in signed_in
    assert "private" in signed_in["Cache-Control"]


def test_a_signed_in_reader_gets_304_for_an_unchanged_page(lasare):
    lasare.get("/planer/2019/")  # sets the CSRF cookie of the logout form, part of the ETag
    first = lasare.get("/planer/2019/")
    assert lasare.get("/planer/2019/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_draft_never_leaks_to_anonymous_readers(anonym, lasare_user, client):
    plan = WorkPlan.objects.get(year=2019)
    plan.status = WorkPlan.Status.PROPOSED
    with lock_bypass():  # the seeded 2019 plan is decided; stand in for one still proposed
        plan.save()
    from django.test import Client

    reader = Client()
    reader.force_login(lasare_user)
    seen = reader.get("/planer/2019/")
    assert seen.status_code == 200
    reader.get("/planer/2019/")
    assert anonym.get("/planer/2019/").status_code == 404
    # Not with the reader's validators either.
    assert anonym.get("/planer/2019/", HTTP_IF_NONE_MATCH=seen["ETag"]).status_code == 404
    assert anonym.get("/planer/2019/pdf/").status_code == 404
    assert anonym.get("/planer/2019/handlingsplan/?_export=csv").status_code == 404


def test_a_plan_that_becomes_a_draft_again_disappears_from_the_cache(anonym):
    assert anonym.get("/planer/2019/").status_code == 200
    assert anonym.get("/planer/2019/")["X-Page-Cache"] == "hit"
    with lock_bypass():  # a bulk update sends no signals; the lock is not the point here
        WorkPlan.objects.filter(year=2019).update(status=WorkPlan.Status.DRAFT)
    assert anonym.get("/planer/2019/").status_code == 404


def test_a_pending_message_is_never_answered_from_the_cache(anonym):
    first = anonym.get("/planer/")
    anonym.get("/planer/")
    anonym.cookies["messages"] = "x"
    again = anonym.get("/planer/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "X-Page-Cache" not in again


def test_pages_ask_browsers_to_revalidate(anonym):
    assert "no-cache" in anonym.get(reverse("plans:work_plan_list"))["Cache-Control"]


def test_the_health_view_answers_without_the_database(anonym, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = anonym.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


@pytest.fixture
def redis_cache(settings):
    """A throwaway redis-server on a random loopback port as the page cache (the test
    using it is marked @requires_redis)."""
    import subprocess
    import time

    from django.core.cache import caches

    from sodertorn.loadgen import free_port

    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": f"redis://127.0.0.1:{port}/0"}}
        for _ in range(50):
            try:
                caches["default"].set("ping", 1)
                break
            except Exception:
                time.sleep(0.1)
        yield caches["default"]
    finally:
        server.terminate()
        server.wait(timeout=10)


@requires_redis
def test_pages_and_pdfs_are_cached_in_redis(anonym, redis_cache):
    first = anonym.get("/planer/2017/pdf/")
    again = anonym.get("/planer/2017/pdf/")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content and again.content.startswith(b"%PDF")
