from django.db import models

from .archive import WriteOnceModel


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


class ArchiveLink(WriteOnceModel):
    """One archive in the archive chain (sodertorn/archive.py): which row, what it
    held (its fields, files as their SHA-256), and the hash of the link before it.

    Appended in the transaction that writes the archive, never changed: a row or a
    link rewritten past the triggers is found by `manage.py verify_archives`."""

    seq = models.PositiveBigIntegerField("nummer", unique=True)
    label = models.CharField("arkivtyp", max_length=100)
    object_pk = models.PositiveBigIntegerField("arkivets id")
    subject = models.CharField("arkiv över", max_length=200, blank=True, db_index=True)
    file_sha256 = models.CharField("filens SHA-256", max_length=64, blank=True)
    record = models.TextField("arkiverade uppgifter")
    previous_hash = models.CharField("föregående länks hash", max_length=64)
    hash = models.CharField("hash", max_length=64, unique=True)
    created_at = models.DateTimeField("tillagd", auto_now_add=True)

    write_once_message = "Arkivkedjans länkar ändras och raderas aldrig."

    class Meta(WriteOnceModel.Meta):
        verbose_name = "länk i arkivkedjan"
        verbose_name_plural = "arkivkedjan"
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["label", "object_pk"], name="one_link_per_archive")]

    def __str__(self):
        return f"{self.seq}: {self.label} {self.object_pk}"


class ArchiveChainLock(models.Model):
    """The one row an append to the archive chain locks (select_for_update), so that
    appends happen one at a time and the chain never forks."""

    class Meta:
        verbose_name = "arkivkedjans lås"
        verbose_name_plural = "arkivkedjans lås"
