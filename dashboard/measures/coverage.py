"""Coverage and targets: people reaching a milestone, population, coverage, target status and path, pace.

Pure arithmetic on mart rows (pandas): no Dash, no Plotly, no database. The overview, the coverage page, the
target cards and the report pack all measure with these functions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

import pandas as pd

from common.vocabulary import CAMPAIGN_START, GROUP_BANDS, MILESTONE_ID


def in_group(frame: pd.DataFrame, group: str) -> pd.DataFrame:
    return frame[frame["age_band"].isin(GROUP_BANDS[group])]


def population_of(pop: pd.DataFrame, group: str) -> pd.Series:
    """Population per area for a group (pop rows: area, age_band, population)."""
    return in_group(pop, group).groupby("area")["population"].sum()


def cumulative_people(daily: pd.DataFrame, milestone: str, group: str, until: date | None = None) -> pd.Series:
    """People who reached the milestone by each day (index: every day from the first to `until`)."""
    rows = in_group(daily[daily["milestone"] == MILESTONE_ID[milestone]], group)
    per_day = rows.groupby("day")["people"].sum()
    if per_day.empty:
        return pd.Series(dtype="int64")
    end = until or per_day.index.max()
    days = pd.date_range(min(per_day.index.min(), end), end, freq="D").date
    return per_day.reindex(days, fill_value=0).cumsum().astype("int64")


def coverage_share(cumulative: pd.Series, population: int) -> pd.Series:
    """The cumulative people as a share of the population (0 on every day when the population is unknown)."""
    return (cumulative / population) if population else cumulative * 0.0


def doses_series(daily: pd.DataFrame, until: date | None = None) -> pd.DataFrame:
    """Daily doses with every day present, and the 7-day average."""
    if daily.empty:
        return pd.DataFrame(columns=["day", "doses", "avg7"])
    s = daily.set_index("day")["doses"]
    end = until or s.index.max()
    days = pd.date_range(min(s.index.min(), end), end, freq="D").date
    s = s.reindex(days, fill_value=0).astype("int64")
    return pd.DataFrame({"day": s.index, "doses": s.values, "avg7": s.rolling(7, min_periods=1).mean().values})


def doses_between(by_end: pd.DataFrame, by_day_before: pd.DataFrame) -> pd.Series:
    """Per area: doses given in a period, from the doses given by its last day and by the day before its first
    (rows: area, doses; an area missing from either has given none by then)."""
    return by_end.set_index("area")["doses"].sub(by_day_before.set_index("area")["doses"], fill_value=0)


def doses_upto(doses: pd.DataFrame, as_of: date) -> dict:
    """From doses_series: doses given up to `as_of`, on that day, and the 7-day average there (0 with no data)."""
    upto = doses[doses["day"] <= as_of]
    return {"total": upto["doses"].sum(), "on_day": int(upto["doses"].iloc[-1]) if len(upto) else 0,
            "avg7": float(upto["avg7"].iloc[-1]) if len(upto) else 0.0}


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


def _people_on(cum: pd.Series, day: date) -> int:
    """The cumulative people on `day` (the last value up to it; 0 before the first)."""
    upto = cum[cum.index <= day] if len(cum) else cum  # an empty series' index does not compare with dates
    return int(upto.iloc[-1]) if len(upto) else 0


def target_status(cumulative: pd.Series, population: int, threshold: float, deadline: date,
                  as_of: date) -> TargetStatus:
    cum = cumulative[cumulative.index <= as_of] if len(cumulative) else cumulative
    people = _people_on(cum, as_of)
    pace = (people - _people_on(cum, as_of - timedelta(days=7))) / 7.0
    goal = threshold * population
    coverage = people / population if population else 0.0
    if population and people >= goal:
        reached_on = cum[cum >= goal].index.min()
        return TargetStatus(coverage, people, population, threshold, deadline, "reached", 0, None, pace, reached_on)
    gap = max(0, int(math.ceil(goal - people)))  # never negative: people counted on a zero population
    expected = as_of + timedelta(days=math.ceil(gap / pace)) if pace > 0 else None
    if as_of >= deadline:
        return TargetStatus(coverage, people, population, threshold, deadline, "missed", gap, None, pace, expected)
    needed = gap / (deadline - as_of).days
    status = "on_track" if pace >= needed else "at_risk" if pace >= 0.75 * needed else "off_track"
    return TargetStatus(coverage, people, population, threshold, deadline, status, gap, needed, pace, expected)


class TargetView(NamedTuple):
    target: pd.Series
    status: TargetStatus
    cumulative: pd.Series
    population: int


def target_views(targets: pd.DataFrame, people: pd.DataFrame, pop: pd.DataFrame, as_of: date) -> dict[str, TargetView]:
    """Every target applied to the area whose daily people (day, milestone, age_band, people) and population
    (area, age_band, population) are given: a national target shown for a province is measured on the province."""
    views = {}
    for _, target in targets.iterrows():
        cum = cumulative_people(people, target["milestone"], target["population_group"], as_of)
        population = int(population_of(pop, target["population_group"]).sum())
        st = target_status(cum, population, target["threshold"], target["deadline"], as_of)
        views[target["id"]] = TargetView(target, st, cum, population)
    return views


def target_path(threshold: float, deadline: date, days: list[date]) -> list[float]:
    """The straight path from 0 at the campaign start to the threshold at the deadline."""
    span = (deadline - CAMPAIGN_START).days
    return [max(0.0, min(threshold, threshold * (d - CAMPAIGN_START).days / span)) for d in days]


def target_path_days(deadline: date) -> list[date]:
    """The days a target path is drawn on: weekly from the campaign start, and the deadline itself."""
    return list(pd.date_range(CAMPAIGN_START, deadline, freq="7D").date) + [deadline]


def area_coverage(people: pd.DataFrame, pop: pd.DataFrame, milestone: str, group: str) -> pd.DataFrame:
    """Per area: people reaching the milestone, population, coverage, and the last 7 days' gain."""
    rows = in_group(people[people["milestone"] == MILESTONE_ID[milestone]], group)
    agg = rows.groupby("area")[["people", "last7"]].sum()
    out = pd.DataFrame({"population": population_of(pop, group)}).join(agg, how="left").fillna(0)
    out["people"] = out["people"].astype("int64")
    out["last7"] = out["last7"].astype("int64")
    out["coverage"] = (out["people"] / out["population"]).where(out["population"] > 0)
    return out.reset_index().rename(columns={"index": "area"})


def behind_pace(cov: pd.DataFrame, threshold: float | None, deadline: date | None, as_of: date) -> pd.Series:
    """Per area of area_coverage: short of the target and gaining, over the last 7 days, less a day than the
    rest of the gap needs a day until the deadline (one day at least once the deadline is past). No target:
    no area is behind."""
    if threshold is None or deadline is None:
        return pd.Series(False, index=cov.index)
    goal = threshold * cov["population"]
    days_left = max((deadline - as_of).days, 1)
    need = (goal - cov["people"]).clip(lower=0) / days_left
    return (cov["people"] < goal) & (cov["last7"] / 7.0 < need)


def target_lines(views: dict) -> list[dict]:
    """Per target view (id -> (target, status, cumulative, population)) with people and a population: its
    coverage share by day and its path (days, values)."""
    lines = []
    for tid, (target, _status, cum, population) in views.items():
        if not len(cum) or not population:
            continue
        days = target_path_days(target["deadline"])
        lines.append({"id": tid, "target": target, "share": cum / population, "path_days": days,
                      "path": target_path(target["threshold"], target["deadline"], days)})
    return lines


def target_lines_table(lines: list[dict]) -> pd.DataFrame:
    """One row per day, one column of coverage (4 decimals) per target line; empty without lines."""
    table = None
    for line in lines:
        share = line["share"]
        frame = pd.DataFrame({"day": [str(d) for d in share.index], line["id"]: share.round(4).values})
        table = frame if table is None else table.merge(frame, on="day", how="outer")
    return table if table is not None else pd.DataFrame()
