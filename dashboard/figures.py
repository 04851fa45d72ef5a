"""Numbers behind the lag and verification pages, computed from mart rows with pandas (the coverage and target
measures are in dashboard/measures/coverage.py)."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd

# Moved to dashboard/measures/coverage.py; imported here for verification_progress and for the lag and
# verification pages (F.CAMPAIGN_START, F.cumulative_people) until those move too.
from dashboard.measures.coverage import CAMPAIGN_START, cumulative_people  # noqa: F401

# Lag histogram buckets (lower bounds in days) as the marts keep them, and their labels.
LAG_BUCKETS = (0, 1, 2, 3, 4, 8, 15, 31, 61)
LAG_UPPER = {0: 0, 1: 1, 2: 2, 3: 3, 4: 7, 8: 14, 15: 30, 31: 60, 61: None}
RULE_DAY = date(2021, 10, 20)


def lag_label(bucket: int | None, lang: str) -> str:
    if bucket is None:
        return "–"
    upper = LAG_UPPER[bucket]
    unit = "ngày" if lang != "en" else "days"
    if upper is None:
        return f"> {bucket - 1} {unit}"
    return f"{bucket} {unit}" if upper == bucket else f"{bucket}-{upper} {unit}"


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
        return pd.DataFrame(columns=["week", "doses", "same_day", "within_1", "within_3", "within_7", "late"])
    frame = daily.copy()
    frame["week"] = pd.to_datetime(frame["day"]).dt.to_period("W-SUN").dt.start_time.dt.date
    rows = []
    for week, part in frame.groupby("week"):
        s = lag_summary(part.groupby("bucket")["doses"].sum())
        rows.append({"week": week, **{k: s[k] for k in ("doses", "same_day", "within_1", "within_3", "within_7",
                                                         "late")}})
    return pd.DataFrame(rows)


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


VERIFY_DEADLINE = date(2021, 11, 11)
FEEDBACK_BACKLOG_DEADLINE = date(2021, 10, 25)
FEEDBACK_SERVICE_DAYS = 14
OUTCOMES = ("verified", "mismatch", "not_found", "missing_id")


def verification_progress(checks: pd.DataFrame, vaccinated: pd.Series, until: date) -> pd.DataFrame:
    """Per day: people vaccinated (>= 1 dose), people checked at least once (by their first check's outcome),
    and the unverified backlog."""
    days = pd.date_range(CAMPAIGN_START, until, freq="D").date
    out = pd.DataFrame({"day": days})
    out["vaccinated"] = vaccinated.reindex(days).ffill().fillna(0).astype("int64").values
    for outcome in OUTCOMES:
        per_day = checks[checks["outcome"] == outcome].groupby("day")["first_checks"].sum()
        out[outcome] = per_day.reindex(days, fill_value=0).cumsum().astype("int64").values
    out["checked"] = out[list(OUTCOMES)].sum(axis=1)
    out["backlog"] = (out["vaccinated"] - out["checked"]).clip(lower=0)
    out["share_checked"] = (out["checked"] / out["vaccinated"]).where(out["vaccinated"] > 0)
    return out


def feedback_status(rows: pd.DataFrame, as_of: date) -> dict:
    """Received, closed, open and overdue feedback at `as_of` (rows: received_day, closed_day, status, items).

    Overdue: open at `as_of` and either received before 25/10/2021 once that day has passed, or older than
    the service time (14 days)."""
    got = rows[rows["received_day"] <= as_of]
    closed = got["closed_day"].notna() & (got["closed_day"] <= as_of)
    open_rows = got[~closed]
    old_backlog = (open_rows["received_day"] < FEEDBACK_BACKLOG_DEADLINE) & (as_of >= FEEDBACK_BACKLOG_DEADLINE)
    late = (pd.Series([as_of] * len(open_rows), index=open_rows.index) - open_rows["received_day"]).map(
        lambda d: d.days) > FEEDBACK_SERVICE_DAYS
    return {"received": int(got["items"].sum()), "closed": int(got.loc[closed, "items"].sum()),
            "open": int(open_rows["items"].sum()), "overdue": int(open_rows.loc[old_backlog | late, "items"].sum())}
