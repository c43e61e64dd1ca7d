"""How fresh the public pages are, known before anything is rendered.

Every write that Django sends to a table of the content apps (plans, calendar_app,
budget, meetings, their history tables included) bumps one row, `ContentVersion`, in the same
transaction. The row is bumped by a database execute wrapper, not by model signals,
so bulk `update()`, `bulk_create()` and queryset deletes count too; only writes made
outside Django (psql) are not seen (run any admin save afterwards, or restart with a
new `VERSION`).

From that row (mirrored in the shared cache), the code's own version, today's date
and who asks, `freshness()` makes a page's validators without rendering anything:
- an ETag and (for anonymous readers) a Last-Modified, answered with 304 by
  `public_page` when the client already has this version;
- for anonymous readers, the key under which the whole response is cached, so a
  repeated request is two cache reads and no database connection. Signed-in users
  are never served from this cache: what they see depends on their permissions.
"""
import datetime
import functools
import hashlib
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import django
import weasyprint
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import post_migrate, pre_migrate
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

# Tables whose writes change what a page shows.
WATCHED_PREFIXES = ("plans_", "calendar_app_", "budget_", "meetings_")
_WRITE = re.compile(r'\s*(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE)
# Pages are cached for a day at most: their validator contains the date.
PAGE_SECONDS = 60 * 60 * 26
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
# The content version is mirrored in the shared cache for this long at most.
VERSION_KEY = "content-version"
VERSION_SECONDS = 2

_paused = False


@receiver(pre_migrate)
def _pause_during_migrations(**kwargs):
    # Data migrations write before the ContentVersion table exists.
    global _paused
    _paused = True


@receiver(post_migrate)
def _resume_after_migrations(**kwargs):
    global _paused
    _paused = False


def watch_writes(sender, connection, **kwargs):
    """connection_created: bump the content version after every write to content."""
    if _bump_after_content_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_bump_after_content_writes)


def _bump_after_content_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql)
    if match and match.group(1).startswith(WATCHED_PREFIXES) and not _paused:
        content_version_bump(using=context["connection"].alias)
    return result


def content_version_bump(*, using: str = "default") -> None:
    """Count one more change to the site's content, in the caller's transaction, and
    drop the cached copy of the version now and once the transaction commits."""
    from .models import ContentVersion

    now = timezone.now()
    versions = ContentVersion.objects.using(using)
    if not versions.filter(pk=1).update(counter=F("counter") + 1, changed_at=now):
        # No savepoint here: SQLite refuses one while the INSERT … RETURNING that
        # triggered this bump is still being read.
        versions.bulk_create([ContentVersion(pk=1, counter=1, changed_at=now)], ignore_conflicts=True)
    cache.delete(VERSION_KEY)
    transaction.on_commit(_forget_cached_version, using=using)


def _forget_cached_version():
    cache.delete(VERSION_KEY)


def content_version() -> tuple[int, datetime.datetime]:
    """How many changes the content has had, and when the latest was.

    Read from the shared cache, so a cached page costs no database connection; from
    the database (1 query) when the cache does not have it. A writer drops the
    cached copy when it commits; a reader that read the database just before that
    commit may put the old version back, for VERSION_SECONDS at most."""
    cached = cache.get(VERSION_KEY)
    if cached is not None:
        return cached
    from .models import ContentVersion

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT counter, changed_at FROM {ContentVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        version = (0, EPOCH)
    else:
        counter, changed_at = row
        if isinstance(changed_at, str):  # SQLite
            changed_at = datetime.datetime.fromisoformat(changed_at)
        if timezone.is_naive(changed_at):
            changed_at = changed_at.replace(tzinfo=datetime.UTC)
        version = (counter, changed_at)
    cache.add(VERSION_KEY, version, VERSION_SECONDS)
    return version


def code_version() -> tuple[str, datetime.datetime]:
    """A stamp of the deployed code, templates and static files, and their latest
    modification: a deploy changes every validator. settings.VERSION (e.g. the git
    revision) is part of it when set. Read once per process, except in development,
    where a template edit must show without a restart."""
    if settings.DEBUG:
        return _code_version.__wrapped__()
    return _code_version()


@functools.cache
def _code_version() -> tuple[str, datetime.datetime]:
    digest = hashlib.sha256(f"{settings.VERSION}|{django.get_version()}|{weasyprint.__version__}".encode())
    latest = 0.0
    for top in ("templates", "static", "sodertorn", "plans", "calendar_app", "budget", "meetings"):
        for root, dirs, files in os.walk(settings.BASE_DIR / top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".pyc", ".sqlite3")):
                    continue
                stat = os.stat(os.path.join(root, name))
                digest.update(f"{root}/{name}|{stat.st_size}|{stat.st_mtime_ns}".encode())
                latest = max(latest, stat.st_mtime)
    return digest.hexdigest()[:16], datetime.datetime.fromtimestamp(int(latest), tz=datetime.UTC)


@dataclass(frozen=True)
class Freshness:
    etag: str
    last_modified: datetime.datetime | None  # None for signed-in users: the ETag decides
    cache_key: str | None  # only for anonymous readers


def _audience(request) -> str:
    """Who sees what: the public sees one version of a page; a signed-in user sees
    their permissions, name and CSRF token (in the logout form) in it."""
    user = request.user
    if not user.is_authenticated:
        return "anonym"
    perms = ",".join(sorted(user.get_all_permissions()))
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return f"{user.pk}|{user.get_username()}|{user.is_staff}|{perms}|{csrf}"


def freshness(request) -> Freshness:
    """The validators of this request's page, from the content version."""
    cached = getattr(request, "_freshness", None)
    if cached is not None:
        return cached
    counter, changed_at = content_version()
    code, code_changed_at = code_version()
    today = timezone.localdate()
    audience = _audience(request)
    etag = hashlib.sha256(
        f"{code}|{counter}|{changed_at.isoformat()}|{today}|{audience}|{request.get_full_path()}".encode()
    ).hexdigest()[:32]
    anonymous = audience == "anonym"
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    result = Freshness(
        etag=f'W/"{etag}"',
        last_modified=max(changed_at, code_changed_at, midnight) if anonymous else None,
        cache_key=(
            "page:" + hashlib.sha256(f"{etag}|{request.scheme}|{request.get_host()}".encode()).hexdigest()
            if anonymous else None
        ),
    )
    request._freshness = result
    return result


class _RecentPages:
    """The worker's own copy of the pages it served last, up to a size in bytes.

    Safe without invalidation: a key contains the content version, so an edit makes
    new keys and old entries are simply never asked for again. It spares the shared
    cache's read and decompression of a page that this worker has already served."""

    def __init__(self, max_bytes: int):
        self.max_bytes, self.size, self.entries = max_bytes, 0, OrderedDict()
        self.lock = threading.Lock()

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0

    def get(self, key):
        with self.lock:
            stored = self.entries.get(key)
            if stored is not None:
                self.entries.move_to_end(key)
            return stored

    def put(self, key, stored):
        size = len(stored[2])
        if size > self.max_bytes // 4:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = stored
            self.size += size
            while self.size > self.max_bytes:
                _, (_, _, content) = self.entries.popitem(last=False)
                self.size -= len(content)


_recent = _RecentPages(max_bytes=32 * 1024 * 1024)


def _serve_from_cache(view):
    """The anonymous reader's response from the cache, or rendered and stored."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        key = freshness(request).cache_key
        if key is None:
            return view(request, *args, **kwargs)
        stored = _recent.get(key)
        if stored is None:
            stored = cache.get(key)
            if stored is not None:
                _recent.put(key, stored)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if callable(getattr(response, "render", None)):
            response = response.render()
        if response.status_code == 200 and not response.streaming and not response.cookies:
            stored = (response.status_code, list(response.items()), response.content)
            cache.set(key, stored, PAGE_SECONDS)
            _recent.put(key, stored)
        return response

    return cached_view


def public_page(view):
    """Validators before rendering for a page, export, feed or PDF: 304 to a client
    that has the current version, the anonymous reader's copy from the cache, and
    "revalidate before use" (Cache-Control: no-cache) for the browser."""
    conditional = condition(
        etag_func=lambda request, *args, **kwargs: freshness(request).etag,
        last_modified_func=lambda request, *args, **kwargs: freshness(request).last_modified,
    )(_serve_from_cache(view))

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        # A pending message belongs in a fresh rendering, never in a 304 or a cached copy.
        if request.method not in ("GET", "HEAD") or CookieStorage.cookie_name in request.COOKIES:
            return view(request, *args, **kwargs)
        response = conditional(request, *args, **kwargs)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_cache=True, private=request.user.is_authenticated or None)
        return response

    return page
