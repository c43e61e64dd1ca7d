"""Imprecise dates, as the plans write them.

A meeting can have an exact date ("26 januari"), a span ("22–23 augusti"), only a
month ("januari 2013"), a season ("hösten 2019") or no date yet ("datum fastställs
senare"); an activity in the action plan can also be "löpande" or "vid behov".
`FlexibleDate` stores which of these it is and shows it as written, never as the
1st of a month.
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format

MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]


class Precision(models.TextChoices):
    DAY = "day", "Datum"
    SPAN = "span", "Flera dagar"
    MONTH = "month", "Månad"
    SEASON = "season", "Årstid"
    ONGOING = "ongoing", "Löpande"
    AS_NEEDED = "as_needed", "Vid behov"
    UNSET = "unset", "Datum fastställs senare"
    TEXT = "text", "Fritext"


class Season(models.TextChoices):
    SPRING = "spring", "våren"
    SUMMER = "summer", "sommaren"
    AUTUMN = "autumn", "hösten"
    WINTER = "winter", "vintern"


# Where an imprecise date sorts within its year (month, day).
_SEASON_SORT = {
    Season.SPRING: (4, 15),
    Season.SUMMER: (7, 15),
    Season.AUTUMN: (10, 15),
    Season.WINTER: (12, 15),
}

PRECISE = {Precision.DAY, Precision.SPAN}


class FlexibleDate(models.Model):
    date_precision = models.CharField(
        "datumets precision", max_length=10, choices=Precision.choices, default=Precision.DAY
    )
    start_date = models.DateField("datum (från)", null=True, blank=True)
    end_date = models.DateField(
        "till och med", null=True, blank=True, help_text="Sista dagen, för händelser över flera dagar."
    )
    month = models.PositiveSmallIntegerField(
        "månad",
        null=True,
        blank=True,
        choices=[(i + 1, name) for i, name in enumerate(MONTHS)],
    )
    season = models.CharField("årstid", max_length=10, choices=Season.choices, blank=True)
    date_text = models.CharField(
        "tidpunkt i fritext",
        max_length=100,
        blank=True,
        help_text="Används när precisionen är fritext, t.ex. ”april, juli”.",
    )

    class Meta:
        abstract = True

    def flexible_year(self) -> int | None:
        """The year the imprecise parts (month, season) belong to."""
        raise NotImplementedError

    @property
    def is_precise(self) -> bool:
        return self.date_precision in PRECISE

    def clean_flexible_date(self) -> None:
        p = self.date_precision
        errors = {}
        if p in PRECISE and not self.start_date:
            errors["start_date"] = "Ange ett datum."
        if p == Precision.SPAN:
            if not self.end_date:
                errors["end_date"] = "Ange sista dagen för en händelse över flera dagar."
            elif self.start_date and self.end_date < self.start_date:
                errors["end_date"] = "Slutdatumet kan inte ligga före startdatumet."
            elif self.start_date and self.end_date == self.start_date:
                errors["end_date"] = "En händelse över flera dagar måste sluta en senare dag."
        if p == Precision.DAY and self.end_date:
            errors["end_date"] = "Ett enskilt datum har inget slutdatum; välj ”Flera dagar”."
        if p == Precision.MONTH and not self.month:
            errors["month"] = "Ange månaden."
        if p == Precision.SEASON and not self.season:
            errors["season"] = "Ange årstiden."
        if p == Precision.TEXT and not self.date_text:
            errors["date_text"] = "Skriv tidpunkten i fritext."
        year = self.flexible_year()
        if year and p in PRECISE and self.start_date and self.start_date.year != year:
            errors["start_date"] = f"Datumet ligger inte år {year}."
        if errors:
            raise ValidationError(errors)

    def date_display(self, with_year: bool = False) -> str:
        """The date as the plans write it: "22–23 augusti", "januari 2013", "hösten"."""
        p = self.date_precision
        year = self.flexible_year()
        suffix = f" {year}" if with_year and year else ""
        if p == Precision.DAY and self.start_date:
            return date_format(self.start_date, "j F" + (" Y" if with_year else ""))
        if p == Precision.SPAN and self.start_date and self.end_date:
            s, e = self.start_date, self.end_date
            end = date_format(e, "j F" + (" Y" if with_year else ""))
            if s.month == e.month:
                return f"{s.day}–{end}"
            return f"{date_format(s, 'j F')} – {end}"
        if p == Precision.MONTH and self.month:
            return f"{MONTHS[self.month - 1]}{suffix}"
        if p == Precision.SEASON and self.season:
            return f"{Season(self.season).label}{suffix}"
        if p == Precision.TEXT:
            return self.date_text
        if p == Precision.ONGOING:
            return "löpande"
        if p == Precision.AS_NEEDED:
            return "vid behov"
        return "datum fastställs senare"

    def sort_date(self) -> datetime.date:
        """Where the event sorts: exact dates first within their day, months and
        seasons after the dated events of their period, undated ones last."""
        year = self.flexible_year() or (self.start_date.year if self.start_date else 9999)
        if self.start_date and self.date_precision in PRECISE:
            return self.start_date
        if self.date_precision == Precision.MONTH and self.month:
            # After every dated event of the month.
            nxt = datetime.date(year + (self.month == 12), self.month % 12 + 1, 1)
            return nxt - datetime.timedelta(days=1)
        if self.date_precision == Precision.SEASON and self.season:
            m, d = _SEASON_SORT[Season(self.season)]
            return datetime.date(year, m, d)
        return datetime.date(year, 12, 31)
