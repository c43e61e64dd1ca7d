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
