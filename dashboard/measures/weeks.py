"""Weeks as the dashboard counts them, in one place for the pages, the report pack and the queries' date
parameters: calendar weeks from Monday (PostgreSQL's date_trunc('week') agrees), and the 7 days ending on a
chosen day with the 7 days before them (the data-quality scorecard)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

import pandas as pd

WEEK = 7


def week_start(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def week_starts(days: pd.Series) -> pd.Series:
    """The Monday of each day's week, for a column of days."""
    return days.map(week_start)


class Week(NamedTuple):
    """Seven days, start to end inclusive."""

    start: date
    end: date

    def before(self) -> Week:
        return Week(self.start - timedelta(days=WEEK), self.end - timedelta(days=WEEK))


def week_ending(day: date) -> Week:
    return Week(day - timedelta(days=WEEK - 1), day)
