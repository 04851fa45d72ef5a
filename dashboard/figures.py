"""Numbers behind the pages, computed from mart rows with pandas: coverage, target status, areas."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

# The overview page (helper A's, not edited here) still calls F.nowcast: switch it to dashboard.measures.lag
# and drop this line when the branches meet.
from dashboard.measures.lag import nowcast  # noqa: F401

CAMPAIGN_START = date(2021, 3, 8)
MILESTONES = {"first": 1, "full": 2, "booster": 3}
GROUP_BANDS = {"total": (-1, 0, 1, 2, 3, 4, 5),  # -1: birth date missing
               "18+": (3, 4, 5), "12-17": (2,)}


def in_group(frame: pd.DataFrame, group: str) -> pd.DataFrame:
    return frame[frame["age_band"].isin(GROUP_BANDS[group])]


def population_of(pop: pd.DataFrame, group: str) -> pd.Series:
    """Population per area for a group (pop rows: area, age_band, population)."""
    return in_group(pop, group).groupby("area")["population"].sum()


def cumulative_people(daily: pd.DataFrame, milestone: str, group: str, until: date | None = None) -> pd.Series:
    """People who reached the milestone by each day (index: every day from the first to `until`)."""
    rows = in_group(daily[daily["milestone"] == MILESTONES[milestone]], group)
    per_day = rows.groupby("day")["people"].sum()
    if per_day.empty:
        return pd.Series(dtype="int64")
    end = until or per_day.index.max()
    days = pd.date_range(min(per_day.index.min(), end), end, freq="D").date
    return per_day.reindex(days, fill_value=0).cumsum().astype("int64")


def doses_series(daily: pd.DataFrame, until: date | None = None) -> pd.DataFrame:
    """Daily doses with every day present, and the 7-day average."""
    if daily.empty:
        return pd.DataFrame(columns=["day", "doses", "avg7"])
    s = daily.set_index("day")["doses"]
    end = until or s.index.max()
    days = pd.date_range(min(s.index.min(), end), end, freq="D").date
    s = s.reindex(days, fill_value=0).astype("int64")
    return pd.DataFrame({"day": s.index, "doses": s.values, "avg7": s.rolling(7, min_periods=1).mean().values})


@dataclass(frozen=True)
class TargetStatus:
    coverage: float
    people: int
    population: int
    threshold: float
    deadline: date
    status: str                 # reached | on_track | at_risk | off_track | missed
    gap_people: int
    rate_needed: float | None   # people a day
    pace: float                 # people a day, last 7 days
    expected: date | None       # when reached at the current pace (or when it was reached)


def target_status(cumulative: pd.Series, population: int, threshold: float, deadline: date,
                  as_of: date) -> TargetStatus:
    cum = cumulative[cumulative.index <= as_of] if len(cumulative) else cumulative
    people = int(cum.iloc[-1]) if len(cum) else 0
    week_ago = int(cum[cum.index <= as_of - timedelta(days=7)].iloc[-1]) if len(cum[cum.index <= as_of -
                                                                                    timedelta(days=7)]) else 0
    pace = (people - week_ago) / 7.0
    goal = threshold * population
    coverage = people / population if population else 0.0
    if population and people >= goal:
        reached_on = cum[cum >= goal].index.min()
        return TargetStatus(coverage, people, population, threshold, deadline, "reached", 0, None, pace, reached_on)
    gap = int(math.ceil(goal - people))
    expected = as_of + timedelta(days=math.ceil(gap / pace)) if pace > 0 else None
    if as_of >= deadline:
        return TargetStatus(coverage, people, population, threshold, deadline, "missed", gap, None, pace, expected)
    needed = gap / (deadline - as_of).days
    status = "on_track" if pace >= needed else "at_risk" if pace >= 0.75 * needed else "off_track"
    return TargetStatus(coverage, people, population, threshold, deadline, status, gap, needed, pace, expected)


def target_path(threshold: float, deadline: date, days: list[date]) -> list[float]:
    """The straight path from 0 at the campaign start to the threshold at the deadline."""
    span = (deadline - CAMPAIGN_START).days
    return [max(0.0, min(threshold, threshold * (d - CAMPAIGN_START).days / span)) for d in days]


def area_coverage(people: pd.DataFrame, pop: pd.DataFrame, milestone: str, group: str) -> pd.DataFrame:
    """Per area: people reaching the milestone, population, coverage, and the last 7 days' gain."""
    rows = in_group(people[people["milestone"] == MILESTONES[milestone]], group)
    agg = rows.groupby("area")[["people", "last7"]].sum()
    out = pd.DataFrame({"population": population_of(pop, group)}).join(agg, how="left").fillna(0)
    out["people"] = out["people"].astype("int64")
    out["last7"] = out["last7"].astype("int64")
    out["coverage"] = (out["people"] / out["population"]).where(out["population"] > 0)
    return out.reset_index().rename(columns={"index": "area"})
