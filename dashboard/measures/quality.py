"""The data-quality checks (WHO data-quality review style) and the scorecard built from them.

Every check is computed per district from the marts, then rolled up to the scorecard's rows (the provinces of
the nation, or the districts of a province) by adding counts, never by averaging shares. The formulas are the
metric catalogue's (dashboard/metrics.py: dq_*); the page only lays them out.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from common.vocabulary import CAMPAIGN_START
from dashboard.measures.weeks import WEEK, Week, week_starts

FIRST_WEEK_END = CAMPAIGN_START + timedelta(days=WEEK)  # the first day a scorecard week may end on
OUTLIER_HISTORY = 56          # days before the day judged: 8 weeks
Z_FLAG, Z_EXTREME = 3.5, 5.0
MAD_SCALE = 0.6745            # makes the MAD comparable with a standard deviation for normal data
MEANAD_SCALE = 1.253314       # the WHO data-quality app's fallback when the MAD is 0: (x - median) / (1.2533 MeanAD)
REPORT_TOLERANCE = 0.10       # platform vs the province's hand report
CHECKS = ("fields", "timeliness", "report", "stock", "dropout", "outliers", "quarantine")


def modified_z(series: np.ndarray, first: int) -> np.ndarray:
    """Modified z-scores of series[first:], each against the OUTLIER_HISTORY values before it (rows: areas).

    NaN where there is no reference: fewer than OUTLIER_HISTORY days before, or a history with no spread at all
    (MAD and mean absolute deviation both 0, e.g. a district that had not started vaccinating).
    """
    return _judge(series, first)[0]


def _judge(series: np.ndarray, first: int) -> tuple[np.ndarray, np.ndarray]:
    """(modified z-scores, medians of the history) of series[first:]; see modified_z."""
    series = np.asarray(series, dtype=float)
    if series.ndim == 1:
        series = series[None, :]
    n_days = series.shape[1]
    out = np.full((series.shape[0], max(n_days - first, 0)), np.nan)
    medians = out.copy()
    for j in range(first, n_days):
        if j < OUTLIER_HISTORY:
            continue
        hist = series[:, j - OUTLIER_HISTORY:j]
        med = np.median(hist, axis=1)
        dev = np.abs(hist - med[:, None])
        mad = np.median(dev, axis=1)
        mean_ad = dev.mean(axis=1)
        x = series[:, j]
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(mad > 0, MAD_SCALE * (x - med) / mad,
                         np.where(mean_ad > 0, (x - med) / (MEANAD_SCALE * mean_ad), np.nan))
        out[:, j - first], medians[:, j - first] = z, med
    return out, medians


def outliers(daily: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """District-days from start to end with their doses, the median of the 8 weeks before and the z-score.

    `daily` holds doses per district and day from at least 8 weeks before start; missing days count as 0.
    """
    days = pd.date_range(start - timedelta(days=OUTLIER_HISTORY), end).date
    if daily.empty:
        return pd.DataFrame(columns=["district", "day", "doses", "median", "z", "flag"])
    wide = daily.pivot_table(index="district", columns="day", values="doses", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=days, fill_value=0)
    first = OUTLIER_HISTORY
    z, med = _judge(wide.to_numpy(), first)
    judged = days[first:]
    out = pd.DataFrame({
        "district": np.repeat(wide.index.to_numpy(), len(judged)),
        "day": np.tile(judged, len(wide)),
        "doses": wide.to_numpy()[:, first:].ravel().astype(int),
        "median": med.ravel(),
        "z": z.ravel(),
    })
    absz = out["z"].abs()
    out["flag"] = np.where(absz > Z_EXTREME, "extreme", np.where(absz > Z_FLAG, "outlier", ""))
    return out


def week_before(frame: pd.DataFrame) -> pd.DataFrame:
    """A query's `*_before` columns (as of the week before) under the plain names."""
    before = [c for c in frame.columns if c.endswith("_before")]
    return frame.drop(columns=[c.removesuffix("_before") for c in before]).rename(
        columns={c: c.removesuffix("_before") for c in before})


def dropout(first_doses: float, second_doses: float) -> float | None:
    return (first_doses - second_doses) / first_doses if first_doses else None


def district_checks(daily: pd.DataFrame, report: pd.DataFrame, stock: pd.DataFrame, drop: pd.DataFrame,
                    stores: pd.DataFrame, districts: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """One row per district: the counts behind every check over the days start..end (stock and dropout as of end),
    and one row per store above the districts (district NaN, province NaN for the national store) with only its
    stock check: grouped by district such rows drop out, by province they count with their province.

    districts: code, province of every district in view; report: province's hand reports (per province-day).
    """
    week = daily[(daily["day"] >= start) & (daily["day"] <= end)]
    sums = week.groupby("district")[["doses", "within_1", "incomplete", "id_bad", "birth_missing",
                                     "residence_missing", "quarantined"]].sum()
    out = districts.set_index("code")[["province"]].join(sums).fillna(0)
    flagged = outliers(daily[["district", "day", "doses"]], start, end)
    judged = flagged.groupby("district")["z"].apply(lambda s: int(s.notna().sum()))
    out["outlier_days"] = flagged[flagged["flag"] != ""].groupby("district").size()
    out["extreme_days"] = flagged[flagged["flag"] == "extreme"].groupby("district").size()
    out["judged_days"] = judged
    st = stock.set_index("district")
    for column in ("delivered", "administered", "ledgers", "short_ledgers"):
        out[column] = st[column]
    dr = drop.set_index("district")
    out["first_doses"] = dr["first_doses"]
    out["second_doses"] = dr["second_doses"]
    out = out.fillna({c: 0 for c in out.columns if c != "province"})
    rep = report[(report["day"] >= start) & (report["day"] <= end) & report["reported_doses"].notna()
                 & (report["reported_doses"] > 0)]
    ratio = rep["platform_doses"] / rep["reported_doses"]
    rep = rep.assign(off=((ratio - 1).abs() > REPORT_TOLERANCE).astype(int))
    by_prov = rep.groupby("province").agg(report_days=("off", "size"), report_off=("off", "sum"),
                                          platform=("platform_doses", "sum"), reported=("reported_doses", "sum"))
    out.index.name = "district"
    out = out.reset_index().assign(stores=0)
    if len(stores):
        upper = pd.DataFrame({"district": np.nan, "province": stores["province"].to_numpy(), "stores": 1,
                              "ledgers": 1, "short_ledgers": stores["short"].astype(int).to_numpy()})
        out = pd.concat([out, upper], ignore_index=True)
    out = out.fillna({c: 0 for c in out.columns if c not in ("district", "province")})
    return out.merge(by_prov, left_on="province", right_index=True, how="left")


def scores(counts: pd.DataFrame, by: str) -> pd.DataFrame:
    """The scorecard's rows: district counts rolled up by `by` ('province' or 'district'), each check's value
    and score (0-1), the composite (0-100, the mean of the scores available) and the flags."""
    sums = ["doses", "within_1", "incomplete", "id_bad", "birth_missing", "residence_missing", "quarantined",
            "outlier_days", "extreme_days", "judged_days", "delivered", "administered", "ledgers", "short_ledgers",
            "first_doses", "second_doses"]
    # Per district: administered beyond what was delivered to it, or a store or site whose stock of a lot went
    # below zero; negative dropout; a dropout to judge at all.
    stock_bad = (counts["administered"] > counts["delivered"]) | (counts["short_ledgers"] > 0)
    flags = counts.assign(districts=1 - counts["stores"], stock_bad=stock_bad.astype(int),
                          dropout_bad=((counts["first_doses"] > 0)
                                       & (counts["second_doses"] > counts["first_doses"])).astype(int),
                          with_first=(counts["first_doses"] > 0).astype(int))
    rows = flags.groupby(by)[[*sums, "districts", "stores", "stock_bad", "dropout_bad", "with_first"]].sum()
    with_first = rows["with_first"]
    # The hand report belongs to the province: each of its districts carries it, counted once per row.
    report = ["report_days", "report_off", "platform", "reported"]
    rows = rows.join(counts.drop_duplicates(list(dict.fromkeys([by, "province"]))).groupby(by)[report]
                     .sum(min_count=1))
    out = pd.DataFrame(index=rows.index)
    out["doses"] = rows["doses"].astype(int)
    out["fields"] = _share(rows["doses"] - rows["incomplete"], rows["doses"])
    out["id_bad"], out["birth_missing"] = rows["id_bad"].astype(int), rows["birth_missing"].astype(int)
    out["residence_missing"] = rows["residence_missing"].astype(int)
    out["timeliness"] = _share(rows["within_1"], rows["doses"])
    out["report_ratio"] = _share(rows["platform"], rows["reported"])
    out["report"] = _share(rows["report_days"] - rows["report_off"], rows["report_days"])
    out["report_off_days"] = rows["report_off"]
    out["administered"], out["delivered"] = rows["administered"].astype(int), rows["delivered"].astype(int)
    out["stock_bad"] = rows["stock_bad"].astype(int)
    out["ledgers"], out["short_ledgers"] = rows["ledgers"].astype(int), rows["short_ledgers"].astype(int)
    out["stock"] = _share(rows["districts"] + rows["stores"] - rows["stock_bad"], rows["districts"] + rows["stores"])
    out["dropout_rate"] = [dropout(f, s) for f, s in zip(rows["first_doses"], rows["second_doses"], strict=True)]
    out["dropout_bad"] = rows["dropout_bad"].astype(int)
    out["dropout"] = _share(with_first - rows["dropout_bad"], with_first)
    out["outlier_days"], out["extreme_days"] = rows["outlier_days"].astype(int), rows["extreme_days"].astype(int)
    out["outliers"] = _share(rows["judged_days"] - rows["outlier_days"], rows["judged_days"])
    out["quarantined"] = rows["quarantined"].astype(int)
    out["quarantine"] = _share(rows["doses"], rows["doses"] + rows["quarantined"])
    out["score"] = 100 * out[list(CHECKS)].mean(axis=1, skipna=True)
    out.index.name = "area"
    return out.reset_index()


def districts_in_view(areas: pd.DataFrame, level: str, area: str, province: str | None) -> pd.DataFrame:
    """code, province of the districts the view covers (areas: the `areas` query's rows)."""
    districts = areas.loc[areas["level"] == "district", ["area", "province"]].rename(columns={"area": "code"})
    if province:
        districts = districts[districts["province"] == province]
    if level == "district":
        districts = districts[districts["code"] == area]
    return districts


def week_counts(daily: pd.DataFrame, report: pd.DataFrame, stock: pd.DataFrame, drop: pd.DataFrame,
                stores: pd.DataFrame, districts: pd.DataFrame, week: Week) -> tuple[pd.DataFrame, pd.DataFrame]:
    """district_checks of the week and of the week before (stock and dropout from their *_before columns)."""
    before = week.before()
    return (district_checks(daily, report, stock, drop, stores, districts, week.start, week.end),
            district_checks(daily, report, week_before(stock), week_before(drop), week_before(stores), districts,
                            before.start, before.end))


def area_total(counts: pd.DataFrame, area: str) -> pd.Series:
    """The scores of all the districts counted, as one row."""
    return scores(counts.assign(all=area), "all").iloc[0]


def scorecard(now: pd.DataFrame, before: pd.DataFrame, by: str, names: dict) -> pd.DataFrame:
    """The scorecard's rows by `by`, ranked, with the change of rank since the week before and the areas' names."""
    rows = with_rank(scores(now, by), scores(before, by))
    rows.insert(1, "name", rows["area"].map(names))
    return rows


def district_days(daily: pd.DataFrame, report: pd.DataFrame, flagged: pd.DataFrame, start: date,
                  end: date) -> pd.DataFrame:
    """A district's days from start to end: the day-level values of the checks that have one (a day without
    doses has no shares; the hand report is the province's)."""
    days = pd.DataFrame({"day": pd.date_range(start, end).date})
    d = days.merge(daily.groupby("day")[["doses", "within_1", "incomplete", "quarantined"]].sum().reset_index(),
                   on="day", how="left").fillna(0)
    d["fields"] = ((d["doses"] - d["incomplete"]) / d["doses"]).where(d["doses"] > 0)
    d["timeliness"] = (d["within_1"] / d["doses"]).where(d["doses"] > 0)
    rep = report.groupby("day")[["platform_doses", "reported_doses"]].sum()
    d["report_ratio"] = d["day"].map(rep["platform_doses"] / rep["reported_doses"].where(rep["reported_doses"] > 0))
    d["z"] = d["day"].map(flagged.groupby("day")["z"].first())
    d["median"] = d["day"].map(flagged.groupby("day")["median"].first())
    d["quarantine"] = (d["doses"] / (d["doses"] + d["quarantined"])).where(d["doses"] + d["quarantined"] > 0)
    return d


def daily_history(daily: pd.DataFrame, start: date, end: date) -> pd.Series:
    """Doses per day from 8 weeks before start to end, every day present."""
    days = pd.date_range(start - timedelta(days=OUTLIER_HISTORY), end).date
    return daily.groupby("day")["doses"].sum().reindex(days, fill_value=0)


def top_outliers(flagged: pd.DataFrame, names: dict, limit: int = 200) -> pd.DataFrame:
    """The flagged district-days of outliers(), the largest |z| first, with the district's name."""
    top = flagged[flagged["flag"] != ""].copy()
    top["abs"] = top["z"].abs()
    top = top.sort_values("abs", ascending=False).head(limit)
    top["name"] = top["district"].map(names)
    return top


def quarantine_weekly(daily: pd.DataFrame) -> pd.DataFrame:
    """Rows quarantined per (week, rule), from those per (day, rule), with the rule's texts."""
    columns = ["week", "rule_id", "message_vi", "message_en", "rows"]
    if daily.empty:
        return pd.DataFrame(columns=columns)
    weekly = daily.assign(week=week_starts(daily["day"]))
    return (weekly.groupby(["week", "rule_id", "message_vi", "message_en"], as_index=False)["rows"].sum()
            .sort_values(["week", "rule_id"], ignore_index=True)[columns])


def quarantine_by_rule(weekly: pd.DataFrame, rules: pd.DataFrame, text: str) -> pd.DataFrame:
    """Every rule with its text (column `text` of the rules: message_vi or message_en), action and the rows it
    quarantined (0 for a rule that caught nothing)."""
    totals = weekly.groupby("rule_id")["rows"].sum()
    return rules.assign(rows=rules["rule_id"].map(totals).fillna(0).astype(int), text=rules[text],
                        action=rules["action"])


def with_rank(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """Rank by composite score (1 = best) and the change since the week before (positive: moved up)."""
    now = now.copy()
    now["rank"] = now["score"].rank(ascending=False, method="min").astype("Int64")
    prev = before.set_index("area")["score"].rank(ascending=False, method="min")
    now["rank_change"] = (now["area"].map(prev) - now["rank"]).astype("Int64")
    return now.sort_values(["rank", "area"]).reset_index(drop=True)


def _share(num: pd.Series, den: pd.Series) -> pd.Series:
    num, den = num.astype(float), den.astype(float)
    return (num / den).where(den > 0)
