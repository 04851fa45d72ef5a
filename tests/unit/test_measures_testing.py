"""The testing measures on frames whose answers are known: turnaround percentiles from the histogram against the
exact percentiles of raw values, the shares within 24 and 48 hours, positivity (invalid results left out), the
7-day averages, the backlog by age, the sub-areas' ranking and the coverage bands."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from dashboard.measures import testing as M


def hist_of(hours) -> pd.Series:
    """The histogram the mart would hold for these turnarounds (None: no result yet)."""
    return pd.Series([M.tat_bucket(h) for h in hours]).value_counts()


def test_buckets_are_an_hour_wide_to_72_then_a_day_then_open_from_a_week():
    assert [M.tat_bucket(h) for h in (0, 0.2, 23.99, 24, 71.9, 72, 95.9, 96, 143, 144, 167.9, 168, 2000)] == [
        0, 0, 23, 24, 71, 72, 72, 96, 120, 144, 144, 168, 168]
    assert M.tat_bucket(None) == M.NO_RESULT and M.tat_bucket(-0.5) == 0  # a clock slightly off: bucket 0
    assert [M.bucket_upper(b) for b in (0, 71, 72, 144, 168)] == [1, 72, 96, 168, None]
    assert len(M.TAT_BUCKETS) == 77 and set(M.TAT_BUCKETS) == {M.tat_bucket(h) for h in range(0, 300)}


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("q", [0.1, 0.5, 0.9])
def test_percentile_from_the_histogram_is_the_exact_one_within_the_buckets_width(seed, q):
    rng = np.random.default_rng(seed)
    # a mix of rapid results (minutes), ordinary PCR runs and the days-long queues of the southern wave
    n = int(rng.integers(5, 3000))
    raw = np.concatenate([rng.uniform(0.2, 0.7, n // 5), rng.gamma(2.0, 6.0, n),
                          24 * rng.integers(1, 6, n // 3) + rng.gamma(2.0, 4.0, n // 3)])
    got = M.percentile(hist_of(raw), q)
    exact = float(np.percentile(raw, 100 * q, method="inverted_cdf"))
    bucket = M.tat_bucket(exact)
    if bucket == M.OPEN_BUCKET:
        assert got == M.Percentile(168.0, True)
    else:
        assert not got.open_ended
        assert abs(got.hours - exact) < M.bucket_upper(bucket) - bucket
        assert M.tat_bucket(got.hours) == bucket or got.hours == M.bucket_upper(bucket)


def test_a_percentile_in_the_open_bucket_reports_at_least_a_week():
    hist = hist_of([5.0] * 10 + [200.0] * 90)
    assert M.percentile(hist, 0.5) == M.Percentile(168.0, True)
    assert M.percentile(hist, 0.05) == M.Percentile(5.5)  # half-way through the samples of bucket 5


def test_percentile_interpolates_linearly_within_the_bucket():
    hist = pd.Series({10: 4, 72: 4})  # 4 samples in [10, 11) and 4 in [72, 96)
    assert M.percentile(hist, 0.25).hours == pytest.approx(10.5)
    assert M.percentile(hist, 0.75).hours == pytest.approx(72 + 12)
    assert M.percentile(pd.Series({-1: 9}), 0.5) is None  # nothing resulted yet


def test_shares_within_24_and_48_hours_are_exact_and_count_results_only():
    rng = np.random.default_rng(3)
    raw = rng.gamma(2.0, 14.0, 5000)
    s = M.turnaround(pd.concat([hist_of(raw), pd.Series({-1: 120})]))
    assert s["within_24"] == pytest.approx((raw < 24).mean()) and s["within_48"] == pytest.approx((raw < 48).mean())
    assert (s["samples"], s["resulted"], s["waiting"]) == (5120, 5000, 120)
    empty = M.turnaround(pd.Series(dtype="int64"))
    assert empty["within_24"] is None and empty["median"] is None and empty["samples"] == 0


def test_positivity_leaves_invalid_results_out_and_per_person_counts_the_pooled():
    day = date(2021, 8, 10)
    rows = pd.DataFrame([
        # day, method, samples, people_tested, resulted, people_valid, positives, invalid
        [day, "rt_pcr", 100, 500, 90, 450, 9, 10],       # 10 pooled samples of 5; 10 invalid
        [day, "rapid_antigen", 50, 50, 50, 50, 6, 0],
    ], columns=["day", "method", "samples", "people_tested", "resulted", "people_valid", "positives", "invalid"])
    w = M.window_totals(rows, day)
    assert (w["samples"], w["people_tested"], w["valid"], w["positives"]) == (150, 550, 130, 15)
    assert w["positivity"] == pytest.approx(15 / 130)
    assert w["person_positivity"] == pytest.approx(15 / 500)  # a positive pool counts once: a lower bound
    assert w["person_positivity"] < w["positivity"]


def test_daily_fills_quiet_days_and_averages_over_seven_days_as_ratios_of_sums():
    start = date(2021, 8, 1)
    rows = pd.DataFrame({"day": [start - timedelta(days=3), start, start + timedelta(days=2)],
                         "method": ["rt_pcr", "rapid_antigen", "rt_pcr"], "samples": [70, 10, 20],
                         "people_tested": [140, 10, 20], "resulted": [70, 10, 20], "people_valid": [140, 10, 20],
                         "positives": [7, 5, 0], "invalid": [0, 0, 0]})
    d = M.daily(rows, start, start + timedelta(days=3)).set_index("day")
    assert list(d.index) == [start + timedelta(days=i) for i in range(4)]
    assert list(d["samples"]) == [10, 0, 20, 0] and list(d["rt_pcr"]) == [0, 0, 20, 0]
    assert d.loc[start, "samples_avg7"] == pytest.approx(80 / 7)  # the day 3 days before is in its week
    assert d.loc[start, "positivity_avg7"] == pytest.approx(12 / 80)
    assert d.loc[start, "person_positivity_avg7"] == pytest.approx(12 / 150)
    assert pd.isna(d.loc[start + timedelta(days=1), "positivity"])  # no result that day: no positivity
    assert M.daily(rows.iloc[:0], start, start)["samples"].tolist() == [0]


def test_backlog_is_stacked_by_age_band_the_largest_first():
    rows = pd.DataFrame({"lab_id": [1, 1, 1, 2, 2], "name": ["A", "A", "A", "B", "B"], "age": [0, 4, 7, 1, 2],
                         "samples": [5, 3, 2, 30, 1], "people_tested": [5, 15, 2, 30, 1]})
    b = M.backlog_by_lab(rows)
    assert list(b["lab_id"]) == [2, 1]
    a = b.set_index("lab_id").loc[1]
    assert (a["0"], a["1"], a["2"], a["3-6"], a["7+"], a["samples"], a["people_tested"]) == (5, 0, 0, 3, 2, 10, 22)
    t = M.backlog_totals(rows)
    assert t["samples"] == 41 and t["bands"] == {"0": 5, "1": 30, "2": 1, "3-6": 3, "7+": 2} and t["older_than_2"] == 5
    assert M.backlog_by_lab(rows.iloc[:0]).empty and M.backlog_totals(rows.iloc[:0])["samples"] == 0


def test_laboratories_are_ranked_slowest_first():
    rows = pd.DataFrame({"lab_id": [1, 1, 2, 2, 3], "name": ["A", "A", "B", "B", "C"],
                         "tat_bucket": [5, 30, 5, 168, -1], "samples": [10, 10, 19, 1, 4]})
    r = M.lab_ranking(rows)
    assert list(r["lab_id"]) == [1, 2, 3]  # 50% within 24 hours, then 95%, then no result yet
    b = r.set_index("lab_id")
    assert b.loc[2, "within_24"] == pytest.approx(0.95) and not b.loc[2, "p90_open"]  # p90 is in bucket 5
    assert not b.loc[2, "median_open"] and pd.isna(b.loc[3, "median"]) and not b.loc[3, "median_open"]
    assert b.loc[1, "median"] == pytest.approx(6.0) and b.loc[1, "p90"] == pytest.approx(30.8)
    assert b.loc[1, "within_48"] == 1.0 and b.loc[3, "waiting"] == 4 and pd.isna(b.loc[3, "within_24"])


DISTRICT_COLUMNS = ["district", "province", "samples", "people_tested", "resulted", "people_valid", "positives",
                    "invalid", "population", "full_18", "population_18"]


def test_sub_areas_rank_the_highest_positivity_first_and_the_few_results_last():
    d = pd.DataFrame([["760", "79", 200, 200, 200, 200, 40, 0, 10000, 100, 1000],
                      ["761", "79", 100, 100, 100, 100, 5, 0, 5000, 900, 1000],
                      ["001", "01", 10, 10, 10, 10, 9, 0, 1000, 0, 1000],     # 90% but 10 results
                      ["002", "01", 0, 0, 0, 0, 0, 0, 1000, 0, 1000]],
                     columns=DISTRICT_COLUMNS)
    nation = M.sub_areas(d, "nation", {"79": "Hồ Chí Minh", "01": "Hà Nội"})
    assert list(nation["area"]) == ["79", "01"]
    assert nation.loc[0, "positivity"] == pytest.approx(45 / 300) and nation.loc[0, "per_1000"] == pytest.approx(20)
    province = M.sub_areas(d[d["province"] == "79"], "province", {})
    assert list(province["area"]) == ["760", "761"] and not province["few"].any()
    points = M.coverage_points(d, {}).set_index("district")
    assert list(points.index) == ["001", "760", "761"]  # 002 had no result
    assert points.loc["761", "coverage"] == pytest.approx(0.9) and points.loc["761", "band"] == ">=75%"
    assert points.loc["760", "band"] == "<25%"


def test_coverage_bands_have_inclusive_lower_bounds_and_districts_move_up_as_coverage_grows():
    assert [M.coverage_band(c) for c in (0, 0.2499, 0.25, 0.5, 0.74, 0.75, 1.0)] == [
        "<25%", "<25%", "25-50%", "50-75%", "50-75%", ">=75%", ">=75%"]
    assert M.coverage_band(None) is None
    w1, w2 = date(2021, 8, 2), date(2021, 8, 9)
    rows = pd.DataFrame({"district": ["760", "761", "760", "761"], "week": [w1, w1, w2, w2],
                         "positives": [10, 2, 5, 1], "resulted": [100, 50, 100, 50], "invalid": [0, 0, 0, 0],
                         "full_18": [200, 100, 300, 100], "population_18": [1000, 1000, 1000, 1000]})
    b = M.weekly_by_band(rows)
    assert list(zip(b["week"], b["band"], b["districts"])) == [(w1, "<25%", 2), (w2, "<25%", 1), (w2, "25-50%", 1)]
    assert b.iloc[0]["positivity"] == pytest.approx(12 / 150)
