"""Recording lag: histogram shares and percentiles, weeks, the 20/10/2021 rule, completeness against the
provinces' hand reports, and the nowcast of recent days. Plain pandas, no Dash."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd

from common.vocabulary import SAME_DAY_RULE
from dashboard.measures.weeks import week_starts

# Lag histogram buckets (lower bounds in days) as the marts keep them, and their upper bounds.
LAG_BUCKETS = (0, 1, 2, 3, 4, 8, 15, 31, 61)
LAG_UPPER = {0: 0, 1: 1, 2: 2, 3: 3, 4: 7, 8: 14, 15: 30, 31: 60, 61: None}
SHARES = ("same_day", "within_1", "within_3", "within_7")
WEEK_COLUMNS = ("week", "doses", *SHARES, "late")


def lag_summary(counts: pd.Series) -> dict:
    """From a histogram (bucket -> doses): shares entered within 0, 1, 3, 7 days, median and p90 buckets.

    Exact for any roll-up: the buckets are counts, and a percentile is the bucket where the cumulative
    share crosses it."""
    counts = counts.reindex(LAG_BUCKETS, fill_value=0).astype("int64")
    total = int(counts.sum())
    if total == 0:
        return {"doses": 0, "same_day": None, "within_1": None, "within_3": None, "within_7": None,
                "median": None, "p90": None, "late": 0}
    cum = counts.cumsum() / total
    return {"doses": total, "same_day": float(cum[0]), "within_1": float(cum[1]), "within_3": float(cum[3]),
            "within_7": float(cum[4]), "median": int(cum[cum >= 0.5].index[0]), "p90": int(cum[cum >= 0.9].index[0]),
            "late": int(total - counts[0])}


def weekly_lag(daily: pd.DataFrame) -> pd.DataFrame:
    """Per week (Monday): doses, shares within 0/1/3/7 days, and doses entered after their day."""
    if daily.empty:
        return pd.DataFrame(columns=list(WEEK_COLUMNS))
    frame = daily.assign(week=week_starts(daily["day"]))
    rows = []
    for week, part in frame.groupby("week"):
        s = lag_summary(part.groupby("bucket")["doses"].sum())
        rows.append({"week": week, **{k: s[k] for k in WEEK_COLUMNS[1:]}})
    return pd.DataFrame(rows)


def rule_violations(daily: pd.DataFrame) -> dict:
    """Doses given from SAME_DAY_RULE on and entered after their day, and their share of the doses given then."""
    after = daily[daily["day"] >= SAME_DAY_RULE]
    given = int(after["doses"].sum())
    late = int(after.loc[after["bucket"] > 0, "doses"].sum())
    return {"violations": late, "doses": given, "share": late / given if given else None}


def weekly_violations(daily: pd.DataFrame) -> pd.Series:
    """Per week (Monday): the rule_violations of its days (none before SAME_DAY_RULE's week)."""
    after = daily[(daily["day"] >= SAME_DAY_RULE) & (daily["bucket"] > 0)]
    return after.groupby(week_starts(after["day"]))["doses"].sum()


def completeness(report: pd.DataFrame, date_from: date, date_to: date) -> tuple[pd.DataFrame, dict]:
    """Platform doses against the province's hand reports (rows: day, platform_doses, reported_doses).

    Per week of the period: completeness = platform / reported (None without a report); and over the
    period's last 7 days: platform, reported and their share."""
    rep = report[(report["day"] >= date_from) & (report["day"] <= date_to)]
    rep = rep.assign(week=week_starts(rep["day"]))
    weeks = rep.groupby("week")[["platform_doses", "reported_doses"]].sum().reset_index()
    weeks["completeness"] = (weeks["platform_doses"] / weeks["reported_doses"]).where(weeks["reported_doses"] > 0)
    last7 = rep[rep["day"] > date_to - timedelta(days=7)]
    platform, reported = last7["platform_doses"].sum(), last7["reported_doses"].sum()
    return weeks, {"platform": platform, "reported": reported, "share": platform / reported if reported else None}


def area_ranking(by_area: pd.DataFrame, names: dict) -> pd.DataFrame:
    """Areas (or sites) with doses, the share within 1 day and the median and p90 buckets of their
    histograms (rows: area, bucket, doses); the fastest first, ties by code."""
    rank = []
    for code, part in by_area.groupby("area"):
        s = lag_summary(part.set_index("bucket")["doses"])
        rank.append({"area": code, "name": names.get(code, code), "doses": s["doses"], "within_1": s["within_1"],
                     "median": s["median"], "p90": s["p90"]})
    rank = pd.DataFrame(rank, columns=["area", "name", "doses", "within_1", "median", "p90"])
    return rank.sort_values(["within_1", "area"], ascending=[False, True])


def completion_curve(hist: pd.Series) -> dict[int, float]:
    """F(a): the share of a day's doses entered within a days, for a = 0..60, from a lag histogram of
    injection days old enough to be (nearly) complete. Linear inside the wide buckets."""
    counts = hist.reindex(LAG_BUCKETS, fill_value=0).astype(float)
    total = counts.sum()
    if total <= 0:
        return {}
    cum = (counts.cumsum() / total).to_dict()
    out = {}
    edges = [(b, LAG_UPPER[b]) for b in LAG_BUCKETS if LAG_UPPER[b] is not None]
    previous = 0.0
    for lower, upper in edges:
        for a in range(lower, upper + 1):
            out[a] = previous + (cum[lower] - previous) * (a - lower + 1) / (upper - lower + 1)
        previous = cum[lower]
    return out


def nowcast(daily: pd.DataFrame, as_of: date, days: int = 14) -> pd.DataFrame:
    """Expected final doses for the last `days` injection days, from the lag seen 29-56 days before.

    daily: day, bucket, doses (what the platform holds now). For a day of age a, the raw count is what was
    entered within a days; expected = raw / F(a), with a binomial band (95%). Days whose F is 1 are final.
    """
    ref = daily[(daily["day"] >= as_of - timedelta(days=56)) & (daily["day"] <= as_of - timedelta(days=29))]
    curve = completion_curve(ref.groupby("bucket")["doses"].sum())
    recent = daily[daily["day"] > as_of - timedelta(days=days)].groupby("day")["doses"].sum()
    rows = []
    for d in pd.date_range(as_of - timedelta(days=days - 1), as_of, freq="D").date:
        raw = float(recent.get(d, 0))
        f = curve.get((as_of - d).days, 1.0) if curve else 1.0
        f = max(f, 0.05)
        expected = raw / f
        spread = 1.96 * math.sqrt(max(raw, 1.0) * (1 - f)) / f
        rows.append({"day": d, "raw": raw, "complete_share": f, "expected": expected,
                     "low": max(raw, expected - spread), "high": expected + spread})
    return pd.DataFrame(rows)
