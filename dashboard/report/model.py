"""What every output format renders: a report is a few facts about itself and an ordered list of tables.

Tables keep machine values (ints, shares as fractions 0..1, dates as `date`) and say each column's kind;
the writers decide how a kind looks (an Excel number format, a CSV literal, 1.234.567 in the PDF)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

KINDS = ("text", "int", "dec", "pct", "date", "datetime")  # dec: a number with one decimal (hours, per 1,000)


@dataclass(frozen=True)
class Column:
    key: str        # the DataFrame's column
    label: str      # the header, in the report's language
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class Table:
    key: str                 # stable, ASCII: CSV file names and tests use it
    title: str               # sheet name (<= 31 characters for Excel)
    heading: str             # one line above the table
    columns: tuple[Column, ...]
    frame: pd.DataFrame

    def values(self) -> pd.DataFrame:
        """The columns in order, under their keys."""
        return self.frame[[c.key for c in self.columns]]


@dataclass(frozen=True)
class Fact:
    """A line of the first sheet / the PDF's header: a label and a value of a kind."""
    label: str
    value: object
    kind: str = "text"


@dataclass
class Report:
    lang: str
    province: str | None          # None: the whole country
    area_name: str                # e.g. 'Thành phố Hồ Chí Minh' or 'Toàn quốc'
    date_from: date
    date_to: date
    as_of: date                   # min(date_to, newest data day): targets are measured here
    data_version: int
    exported_at: datetime         # Vietnam time
    facts: list[Fact] = field(default_factory=list)     # about the report: area, period, data version, times
    figures: list[Fact] = field(default_factory=list)   # the period's key figures (doses, lag, completeness)
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)
