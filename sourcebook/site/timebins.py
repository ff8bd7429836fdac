"""The time bins (columns) of the timeline chart: a year, or the quarters of a dense year, or the
months of a dense quarter.

The rule, computed from the dated facts alone (so it is deterministic):

- A topic is *dense* in a period when it has more than ``DENSE`` dated facts in it and those
  facts fall in more than one of the period's parts (quarters of a year, months of a quarter):
  splitting a period whose facts share one part would only add empty columns.
- A year in which some topic is dense is drawn as its four quarters (Q1 is January to March);
  a quarter of such a year in which some topic is still dense is drawn as its three months.
  Every other year stays one column.
- A fact dated only to a year cannot be placed in a quarter: it is counted in its year's
  column, or, where the year is split, in a column of its own for the whole year (marked
  "year"), drawn before the year's quarters, as such a date sorts before the year's months.

The split applies to a whole column, across every topic row, so the rows share one axis.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DENSE = 4  # a topic with more than this many facts in a period, spread over its parts, is dense

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")

YearMonth = tuple[int, int | None]  # a fact's date as the chart needs it: (year, month or None)


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """One column of the timeline chart: months ``first`` to ``last`` of ``year``. A whole year
    is months 1 to 12; the facts of a split year dated only to the year are months 0 to 0."""

    year: int
    first: int
    last: int

    @property
    def kind(self) -> str:
        """'year', 'year-only' (the year-only facts of a split year), 'quarter' or 'month'."""
        if self.first == 0:
            return "year-only"
        if (self.first, self.last) == (1, 12):
            return "year"
        return "month" if self.first == self.last else "quarter"

    @property
    def label(self) -> str:
        """The period in words: '2021', '2021, date known only to the year', 'Q4 2021' or
        'April 2021'."""
        kind = self.kind
        if kind == "year":
            return str(self.year)
        if kind == "year-only":
            return f"{self.year}, date known only to the year"
        if kind == "quarter":
            return f"Q{(self.first + 2) // 3} {self.year}"
        return f"{MONTH_NAMES[self.first - 1]} {self.year}"

    @property
    def tick(self) -> str:
        """The short label under the column: '2021', 'year', 'Q4' or 'Apr'."""
        kind = self.kind
        if kind == "year":
            return str(self.year)
        if kind == "year-only":
            return "year"
        if kind == "quarter":
            return f"Q{(self.first + 2) // 3}"
        return MONTHS[self.first - 1]

    @property
    def split(self) -> bool:
        """Whether the period is part of a split year (its year is printed below its ticks)."""
        return self.kind != "year"

    def holds(self, date: YearMonth) -> bool:
        """Whether a fact of this date is counted in this period."""
        year, month = date
        if year != self.year:
            return False
        if self.kind == "year":
            return True
        if month is None:
            return self.kind == "year-only"
        return self.first <= month <= self.last


def whole_year(year: int) -> Period:
    """The column of an unsplit year."""
    return Period(year, 1, 12)


def _quarter(month: int) -> int:
    return (month - 1) // 3


def _dense(dates: Sequence[YearMonth], part: int | None = None) -> bool:
    """More than DENSE facts, whose months fall in more than one part: quarters of a year
    (part None) or months of a quarter (part = that quarter)."""
    if len(dates) <= DENSE:
        return False
    months = {month for _, month in dates if month is not None}
    parts = {_quarter(m) for m in months} if part is None else months
    return len(parts) > 1


def check_dates(rows: Iterable[Sequence[YearMonth]]) -> None:
    """Refuse a month outside 1..12 (ValueError)."""
    for dates in rows:
        for year, month in dates:
            if month is not None and not 1 <= month <= 12:
                raise ValueError(f"month {month} of {year} is not 1 to 12")


def timeline_periods(rows: Sequence[Sequence[YearMonth]]) -> list[Period]:
    """The columns for the years that have facts, in order, given each topic row's dates: one
    per year, or, for a year in which some row is dense, a 'year' column if the year has
    year-only dates, then its four quarters, each dense quarter as its three months."""
    check_dates(rows)
    years = sorted({year for dates in rows for year, _ in dates})
    periods: list[Period] = []
    for year in years:
        in_year = [[d for d in dates if d[0] == year] for dates in rows]
        if not any(_dense(dates) for dates in in_year):
            periods.append(whole_year(year))
            continue
        if any(month is None for dates in in_year for _, month in dates):
            periods.append(Period(year, 0, 0))
        for q in range(4):
            first = 3 * q + 1
            in_quarter = [[d for d in dates if d[1] is not None and _quarter(d[1]) == q]
                          for dates in in_year]
            if any(_dense(dates, q) for dates in in_quarter):
                periods.extend(Period(year, m, m) for m in range(first, first + 3))
            else:
                periods.append(Period(year, first, first + 2))
    return periods


def period_of(periods: Sequence[Period], date: YearMonth) -> Period:
    """The period among ``periods`` (from timeline_periods) that counts a fact of this date."""
    for period in periods:
        if period.holds(date):
            return period
    raise ValueError(f"no period holds {date!r}")


def binning_note() -> str:
    """The rule in words, for the chart's caption."""
    return (f"A year in which one topic has more than {DENSE} dated facts, spread over more "
            "than one quarter, is shown by quarter (Q1 is January to March), and such a "
            "quarter by month where it is still that dense. A fact dated only to a year stays "
            "in a column for the whole year: its year's, or, where the year is split, one "
            "marked “year”.")
