from django.db import models


class ContentVersion(models.Model):
    """One row, bumped in the same transaction as every write to the site's content.

    The validators of the public pages (ETag, Last-Modified), the page cache and the
    PDF cache are made from it, so they are computed with one query and without
    rendering anything (sodertorn/freshness.py)."""

    counter = models.PositiveBigIntegerField("ändringar", default=0)
    changed_at = models.DateTimeField("senast ändrat")

    class Meta:
        verbose_name = "innehållsversion"
        verbose_name_plural = "innehållsversion"


class LockBypass(models.Model):
    """The database's side of `sodertorn.lock.lock_bypass()`.

    The lock's database triggers (and the archives' on SQLite) refuse writes unless
    a row of this table is visible to the writing transaction. `lock_bypass()`
    inserts one at the start of its transaction and deletes it before the commit,
    so no other connection ever sees it: an uncommitted row is invisible to others
    on PostgreSQL, and SQLite has one writer at a time."""

    reason = models.CharField("skäl", max_length=200)
    created_at = models.DateTimeField("skapad", auto_now_add=True)

    class Meta:
        verbose_name = "förbikoppling av låset"
        verbose_name_plural = "förbikopplingar av låset"
