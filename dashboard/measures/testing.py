"""The testing page's measures: samples and people tested, positivity against the WHO threshold, turnaround
percentiles and shares from the turnaround histogram, the laboratories' backlog by age, the sub-areas ranked by
positivity, and positivity beside vaccination coverage.

Pure functions of the reads' frames (dashboard/reads/testing.py); the formulas are the catalogue's
(dashboard/metrics.py: testing_*). Every share is a ratio of sums, never a mean of shares.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import NamedTuple

import pandas as pd

# WHO (May 2020): positivity below 5% for at least two weeks is one sign that an epidemic is under control.
WHO_POSITIVITY = 0.05
WINDOW = 7  # the cards are the 7 days (of collection) ending on the chosen day
METHODS = ("rt_pcr", "rapid_antigen")

# Turnaround buckets as mart.tests_daily keeps them (etl.tat_bucket), named by their lower bound in hours:
# -1 no result (yet); 0..71 one hour wide; 72, 96, 120, 144 a day wide; 168 a week or more (open-ended).
NO_RESULT = -1
OPEN_BUCKET = 168
TAT_BUCKETS = (*range(72), 72, 96, 120, 144, OPEN_BUCKET)
WITHIN = (24, 48)  # the shares of results within 24 and 48 hours (exact: both are bucket bounds)

# Backlog ages in days (the end of the chosen day minus the collection day), as the page stacks them.
AGE_BANDS = (("0", 0, 0), ("1", 1, 1), ("2", 2, 2), ("3-6", 3, 6), ("7+", 7, None))
# Coverage bands (18+, fully vaccinated) for grouping districts: lower bound inclusive, upper exclusive.
COVERAGE_BANDS = (("<25%", 0.0, 0.25), ("25-50%", 0.25, 0.5), ("50-75%", 0.5, 0.75), (">=75%", 0.75, None))
# A sub-area with fewer valid results than this in the 7 days is ranked after the others: 1 positive of 2
# results is 50% and says little.
MIN_RESULTS = 20


def ratio(num: float, den: float) -> float | None:
    return None if not den else num / den


def per_thousand(count: float, population: float) -> float | None:
    return None if not population else 1000 * count / population


# ---------------------------------------------------------------- turnaround


def bucket_upper(bucket: int) -> int | None:
    """The exclusive upper bound in hours of a turnaround bucket; None for the open-ended 168+ one."""
    if bucket < 72:
        return bucket + 1
    return None if bucket >= OPEN_BUCKET else bucket + 24


def tat_bucket(hours: float | None) -> int:
    """The bucket of a turnaround in hours, as etl.tat_bucket computes it (for tests and what-ifs)."""
    if hours is None or (isinstance(hours, float) and math.isnan(hours)):
        return NO_RESULT
    if hours < 72:
        return int(math.floor(max(hours, 0)))
    return 72 + 24 * int((hours - 72) // 24) if hours < OPEN_BUCKET else OPEN_BUCKET


class Percentile(NamedTuple):
    """A turnaround percentile in hours; open_ended: it falls in the 168+ bucket, so it is at least `hours`."""

    hours: float
    open_ended: bool = False


def _resulted(hist: pd.Series) -> pd.Series:
    """A histogram (bucket -> samples) reduced to the samples with a result, in bucket order."""
    counts = hist.groupby(level=0).sum() if len(hist) else hist
    return counts[counts.index >= 0].reindex(TAT_BUCKETS, fill_value=0).astype("int64")


def percentile(hist: pd.Series, q: float) -> Percentile | None:
    """The q-quantile (0 < q < 1) of turnaround from a histogram (bucket -> samples; no-result ignored): the
    bucket where the cumulative count reaches q × total, linearly inside it. It lies within that bucket, as the
    exact quantile of the raw values does (the smallest value with at least q of them at or below it), so the
    two differ by less than the bucket's width at any roll-up. None without results."""
    counts = _resulted(hist)
    total = int(counts.sum())
    if total == 0:
        return None
    target, below = q * total, 0
    for bucket, n in counts.items():
        if n and below + n >= target:
            upper = bucket_upper(bucket)
            if upper is None:
                return Percentile(float(bucket), True)
            return Percentile(bucket + (target - below) / n * (upper - bucket))
        below += n
    return Percentile(float(OPEN_BUCKET), True)  # not reached: rounding at q close to 1


def turnaround(hist: pd.Series) -> dict:
    """From a histogram (bucket -> samples): samples, samples with a result, those still waiting, the shares of
    results within 24 and 48 hours (exact) and the median and p90 (Percentile, None without results)."""
    counts = _resulted(hist)
    resulted = int(counts.sum())
    waiting = int(hist[hist.index < 0].sum()) if len(hist) else 0
    out = {"samples": resulted + waiting, "resulted": resulted, "waiting": waiting,
           "median": percentile(hist, 0.5), "p90": percentile(hist, 0.9)}
    for hours in WITHIN:
        out[f"within_{hours}"] = ratio(int(counts[counts.index < hours].sum()), resulted)
    return out


def histogram(rows: pd.DataFrame) -> pd.Series:
    """bucket -> samples from rows with tat_bucket and samples (any other grain summed away)."""
    if rows.empty:
        return pd.Series(dtype="int64")
    return rows.groupby("tat_bucket")["samples"].sum().astype("int64")


def histogram_table(hist: pd.Series) -> pd.DataFrame:
    """The histogram as drawn: every bucket with a result, its bounds, samples and cumulative share."""
    counts = _resulted(hist)
    total = int(counts.sum())
    frame = pd.DataFrame({"bucket": counts.index, "upper": [bucket_upper(b) for b in counts.index],
                          "samples": counts.values})
    frame["cumulative"] = frame["samples"].cumsum() / total if total else None
    return frame


def _hours(p: Percentile | None, name: str) -> dict:
    """A percentile as two table columns: its hours and whether it lies in the open 168+ bucket."""
    return {name: None if p is None else p.hours, f"{name}_open": bool(p is not None and p.open_ended)}


def lab_ranking(rows: pd.DataFrame) -> pd.DataFrame:
    """Per laboratory (rows: lab_id, name, tat_bucket, samples): samples, results, still waiting, shares within
    24 and 48 hours, median and p90 hours (*_open: in the 168+ bucket, so at least 168); the slowest (lowest
    share within 24 hours) first, a laboratory with no result yet last."""
    columns = ["lab_id", "name", "samples", "resulted", "waiting", "within_24", "within_48", "median", "median_open",
               "p90", "p90_open"]
    out = []
    for (lab, name), part in rows.groupby(["lab_id", "name"], dropna=False):
        s = turnaround(histogram(part))
        out.append({"lab_id": int(lab), "name": name, **{k: s[k] for k in ("samples", "resulted", "waiting",
                                                                           "within_24", "within_48")},
                    **_hours(s["median"], "median"), **_hours(s["p90"], "p90")})
    frame = pd.DataFrame(out, columns=columns)
    return frame.sort_values(["within_24", "lab_id"], na_position="last", ignore_index=True)


# ---------------------------------------------------------------- samples and positivity over time


def valid_results(frame: pd.DataFrame) -> pd.Series:
    """Samples with a valid result (positive or negative): invalid ones are retested, so they are left out."""
    return frame["resulted"] - frame["invalid"]


def daily(rows: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Every day from start to end (rows: day, method, samples, people_tested, resulted, people_valid,
    positives, invalid, which may begin before `start`): samples by method, people tested, positivity per
    sample and per person, each with its 7-day average (sums over the 7 days ending on the day, ratios of
    those sums)."""
    days = pd.date_range(start - timedelta(days=WINDOW - 1), end).date
    sums = ["samples", "people_tested", "resulted", "people_valid", "positives", "invalid"]
    if rows.empty:
        wide = pd.DataFrame(0, index=days, columns=[*sums, *METHODS])
    else:
        wide = rows.groupby("day")[sums].sum().reindex(days, fill_value=0)
        by_method = rows.pivot_table(index="day", columns="method", values="samples", aggfunc="sum", fill_value=0)
        wide = wide.join(by_method.reindex(index=days, columns=list(METHODS), fill_value=0))
    wide = wide.astype("int64")
    wide["valid"] = valid_results(wide)
    week = wide.rolling(WINDOW, min_periods=1).sum()
    out = pd.DataFrame({
        "day": days, **{m: wide[m].values for m in METHODS},
        "samples": wide["samples"].values, "people_tested": wide["people_tested"].values,
        "positives": wide["positives"].values, "valid": wide["valid"].values,
        "samples_avg7": (week["samples"] / WINDOW).values, "people_avg7": (week["people_tested"] / WINDOW).values,
        "positivity": _ratios(wide["positives"], wide["valid"]),
        "positivity_avg7": _ratios(week["positives"], week["valid"]),
        "person_positivity_avg7": _ratios(week["positives"], week["people_valid"]),
    })
    return out[out["day"] >= start].reset_index(drop=True)


def _ratios(num: pd.Series, den: pd.Series) -> list[float | None]:
    return [ratio(n, d) for n, d in zip(num, den)]


def window_totals(rows: pd.DataFrame, end: date) -> dict:
    """The 7 days of collection ending on `end` (rows as daily's): samples, people tested, positives, valid
    results and positivity per sample and per person."""
    last = rows[(rows["day"] > end - timedelta(days=WINDOW)) & (rows["day"] <= end)]
    sums = {c: int(last[c].sum()) for c in ("samples", "people_tested", "resulted", "people_valid",
                                           "positives", "invalid")}
    sums["valid"] = sums["resulted"] - sums["invalid"]
    sums["positivity"] = ratio(sums["positives"], sums["valid"])
    sums["person_positivity"] = ratio(sums["positives"], sums["people_valid"])
    return sums


# ---------------------------------------------------------------- backlog


def age_band(age: int) -> str:
    for label, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    raise ValueError(f"age {age}")


def backlog_by_lab(rows: pd.DataFrame) -> pd.DataFrame:
    """Per laboratory (rows: lab_id, name, age, samples, people_tested): samples waiting at the end of the day by
    age band (one column per AGE_BANDS label) and in all; the largest backlog first."""
    labels = [label for label, _, _ in AGE_BANDS]
    columns = ["lab_id", "name", *labels, "samples", "people_tested"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    r = rows.assign(band=[age_band(int(a)) for a in rows["age"]])
    wide = r.pivot_table(index=["lab_id", "name"], columns="band", values="samples", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=labels, fill_value=0)
    wide["samples"] = wide[labels].sum(axis=1)
    wide["people_tested"] = r.groupby(["lab_id", "name"])["people_tested"].sum()
    wide = wide.rename_axis(None, axis=1).reset_index().astype({c: "int64" for c in [*labels, "samples",
                                                                                       "people_tested"]})
    return wide.sort_values(["samples", "lab_id"], ascending=[False, True], ignore_index=True)[columns]


def backlog_totals(rows: pd.DataFrame) -> dict:
    """The area's backlog at the end of the day: samples and people waiting, by age band."""
    bands = {label: 0 for label, _, _ in AGE_BANDS}
    for age, n in zip(rows["age"], rows["samples"]):
        bands[age_band(int(age))] += int(n)
    return {"samples": int(rows["samples"].sum()), "people_tested": int(rows["people_tested"].sum()),
            "bands": bands, "older_than_2": sum(n for label, n in bands.items() if label in ("3-6", "7+"))}


# ---------------------------------------------------------------- areas and coverage


def sub_areas(districts: pd.DataFrame, level: str, names: dict) -> pd.DataFrame:
    """The sub-areas (provinces of the nation, districts of a province) from testing_by_district rows, with
    their 7-day figures, positivity and samples per 1,000 population; the highest positivity first, those with
    fewer than MIN_RESULTS valid results after the others."""
    cols = ["samples", "people_tested", "resulted", "people_valid", "positives", "invalid", "population"]
    key = "province" if level == "nation" else "district"
    out = districts.groupby(key, as_index=False)[cols].sum().rename(columns={key: "area"})
    out["name"] = [names.get(a, a) for a in out["area"]]
    out["valid"] = valid_results(out)
    out["positivity"] = _ratios(out["positives"], out["valid"])
    out["person_positivity"] = _ratios(out["positives"], out["people_valid"])
    out["per_1000"] = [per_thousand(s, p) for s, p in zip(out["samples"], out["population"])]
    out["few"] = out["valid"] < MIN_RESULTS
    out = out[out["samples"] > 0]
    return out.sort_values(["few", "positivity", "area"], ascending=[True, False, True], na_position="last",
                           ignore_index=True)


def coverage_band(coverage: float | None) -> str | None:
    if coverage is None or (isinstance(coverage, float) and math.isnan(coverage)):
        return None
    for label, low, high in COVERAGE_BANDS:
        if coverage >= low and (high is None or coverage < high):
            return label
    return None


def coverage_points(districts: pd.DataFrame, names: dict) -> pd.DataFrame:
    """One point per district with a valid result in the 7 days: its coverage (18+ fully vaccinated / 18+
    population) at the chosen day, its 7-day positivity and its samples."""
    d = districts.assign(valid=valid_results(districts))
    d = d[(d["valid"] > 0) & (d["population_18"] > 0)].copy()
    d["name"] = [names.get(a, a) for a in d["district"]]
    d["coverage"] = d["full_18"] / d["population_18"]
    d["positivity"] = d["positives"] / d["valid"]
    d["band"] = [coverage_band(c) for c in d["coverage"]]
    return d[["district", "name", "coverage", "band", "positivity", "positives", "valid", "samples"]].sort_values(
        "district", ignore_index=True)


def weekly_by_band(rows: pd.DataFrame) -> pd.DataFrame:
    """Per week and coverage band (rows: district, week, positives, resulted, invalid, full_18 by the week's
    last day, population_18): the districts in the band that week, their positives, valid results and
    positivity. A district moves up a band as its coverage grows."""
    columns = ["week", "band", "districts", "positives", "valid", "positivity"]
    r = rows[rows["population_18"] > 0]
    if r.empty:
        return pd.DataFrame(columns=columns)
    r = r.assign(valid=valid_results(r), band=[coverage_band(f / p) for f, p in zip(r["full_18"], r["population_18"])])
    out = r.groupby(["week", "band"], as_index=False).agg(districts=("district", "nunique"),
                                                           positives=("positives", "sum"), valid=("valid", "sum"))
    out["positivity"] = _ratios(out["positives"], out["valid"])
    order = {label: i for i, (label, _, _) in enumerate(COVERAGE_BANDS)}
    return out.sort_values(["week", "band"], key=lambda c: c.map(order) if c.name == "band" else c,
                           ignore_index=True)[columns]

