"""The recording-lag measures on tiny hand-computed frames: histograms, weeks, the 20/10/2021 rule,
completeness against the hand reports, the completion curve and the nowcast."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from dashboard.i18n import lag_label
from dashboard.measures import lag as M


def hist(**buckets: int) -> pd.Series:
    """hist(b0=5, b4=1): doses per lag bucket."""
    return pd.Series({int(k[1:]): v for k, v in buckets.items()}, dtype="int64")


def lag_rows(*rows: tuple[date, int, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["day", "bucket", "doses"])


def test_lag_summary_of_an_empty_histogram_has_no_shares_and_no_percentiles():
    s = M.lag_summary(pd.Series(dtype="int64"))
    assert s == {"doses": 0, "same_day": None, "within_1": None, "within_3": None, "within_7": None,
                 "median": None, "p90": None, "late": 0}
    assert M.lag_summary(hist(b0=0, b8=0))["median"] is None


def test_lag_summary_of_one_bucket():
    assert M.lag_summary(hist(b0=10)) == {"doses": 10, "same_day": 1.0, "within_1": 1.0, "within_3": 1.0,
                                          "within_7": 1.0, "median": 0, "p90": 0, "late": 0}
    # everything entered more than 60 days late: no share within a week, both percentiles in the last bucket
    late = M.lag_summary(hist(b61=5))
    assert (late["same_day"], late["within_7"], late["median"], late["p90"], late["late"]) == (0.0, 0.0, 61, 61, 5)


def test_lag_summary_percentiles_are_the_buckets_where_the_cumulative_share_crosses():
    s = M.lag_summary(hist(b15=1, b0=5, b4=1, b1=3))  # cumulative: 0.5, 0.8, 0.8, 0.8, 0.9, 0.9, 1.0
    assert s["doses"] == 10 and s["late"] == 5
    assert (s["same_day"], s["within_1"], s["within_3"], s["within_7"]) == pytest.approx((0.5, 0.8, 0.8, 0.9))
    assert (s["median"], s["p90"]) == (0, 4)
    assert M.lag_summary(hist(b0=4, b2=0, b31=6))["median"] == 31  # 0.5 reached only in the 31-60 bucket


def test_weekly_lag_groups_by_monday():
    assert list(M.weekly_lag(lag_rows()).columns) == list(M.WEEK_COLUMNS) and M.weekly_lag(lag_rows()).empty
    weekly = M.weekly_lag(lag_rows((date(2021, 10, 17), 0, 2), (date(2021, 10, 17), 1, 2),  # a Sunday
                                   (date(2021, 10, 18), 0, 3)))                             # the Monday after
    assert list(weekly["week"]) == [date(2021, 10, 11), date(2021, 10, 18)]
    assert list(weekly["doses"]) == [4, 3] and list(weekly["late"]) == [2, 0]
    assert list(weekly["same_day"]) == [0.5, 1.0]


def test_rule_violations_count_late_doses_given_from_the_rule_day():
    assert M.rule_violations(lag_rows((date(2021, 10, 19), 3, 5))) == {"violations": 0, "doses": 0, "share": None}
    rule = M.rule_violations(lag_rows((date(2021, 10, 19), 3, 5),   # before the rule: not a violation
                                      (date(2021, 10, 20), 0, 6), (date(2021, 10, 20), 1, 2),
                                      (date(2021, 10, 21), 61, 2)))
    assert rule == {"violations": 4, "doses": 10, "share": pytest.approx(0.4)}


def report_rows(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["day", "platform_doses", "reported_doses"])


def test_completeness_without_reports_has_no_share():
    weeks, last7 = M.completeness(report_rows(), date(2021, 10, 1), date(2021, 10, 31))
    assert weeks.empty and last7["share"] is None and last7["platform"] == 0


def test_completeness_by_week_and_over_the_last_seven_days():
    rep = report_rows((date(2021, 10, 1), 999, 1),      # before the period
                      (date(2021, 10, 24), 100, 0),     # a week whose reports say 0: no completeness
                      (date(2021, 10, 25), 90, 100), (date(2021, 10, 31), 120, 100))
    weeks, last7 = M.completeness(rep, date(2021, 10, 18), date(2021, 10, 31))
    assert list(weeks["week"]) == [date(2021, 10, 18), date(2021, 10, 25)]
    assert pd.isna(weeks["completeness"].iloc[0])
    assert weeks["completeness"].iloc[1] == pytest.approx(1.05)  # the platform above the hand reports
    assert (last7["platform"], last7["reported"], last7["share"]) == (210, 200, pytest.approx(1.05))


def test_area_ranking_fastest_first_ties_by_code():
    by_area = pd.DataFrame([("02", 0, 1), ("02", 8, 1), ("01", 0, 1), ("01", 1, 1), ("03", 1, 4)],
                           columns=["area", "bucket", "doses"])
    rank = M.area_ranking(by_area, {"01": "Một", "02": "Hai"})
    assert list(rank["area"]) == ["01", "03", "02"]
    assert list(rank["name"]) == ["Một", "03", "Hai"]  # an unnamed area shows its code
    assert list(rank["within_1"]) == [1.0, 1.0, 0.5]
    assert list(rank["median"]) == [0, 1, 0] and list(rank["p90"]) == [1, 1, 8]
    assert M.area_ranking(by_area.iloc[:0], {}).empty


def test_completion_curve_edges():
    assert M.completion_curve(pd.Series(dtype="int64")) == {} and M.completion_curve(hist(b0=0)) == {}
    one = M.completion_curve(hist(b0=10))
    assert sorted(one) == list(range(61)) and set(one.values()) == {1.0}
    curve = M.completion_curve(hist(b0=5, b4=5))  # linear inside the 4-7 bucket
    assert [curve[a] for a in range(9)] == pytest.approx([0.5, 0.5, 0.5, 0.5, 0.625, 0.75, 0.875, 1.0, 1.0])
    never = M.completion_curve(hist(b61=10))      # nothing entered within 60 days
    assert set(never.values()) == {0.0}


def test_nowcast_without_history_is_the_raw_count():
    as_of = date(2021, 10, 31)
    empty = M.nowcast(lag_rows(), as_of)
    assert len(empty) == 14 and empty["day"].min() == as_of - timedelta(days=13) and empty["day"].max() == as_of
    assert (empty[["raw", "expected", "low", "high"]] == 0).all().all() and (empty["complete_share"] == 1).all()
    # recent days only, nothing 29-56 days old to learn the lag from: F = 1, the count is taken as final
    recent = M.nowcast(lag_rows((as_of, 0, 7)), as_of, days=3)
    assert list(recent["raw"]) == [0, 0, 7] and list(recent["expected"]) == [0, 0, 7]
    assert list(recent["low"]) == list(recent["high"]) == [0, 0, 7]


def test_nowcast_before_the_campaign_gives_empty_days():
    nc = M.nowcast(lag_rows(), date(2021, 3, 1), days=7)
    assert len(nc) == 7 and nc["day"].max() == date(2021, 3, 1) and nc["expected"].sum() == 0


def test_nowcast_scales_the_raw_count_by_the_completion_curve():
    as_of = date(2021, 10, 31)
    ref = as_of - timedelta(days=41)  # inside the reference window (29-56 days before)
    daily = lag_rows((ref, 0, 5), (ref, 4, 5), (as_of, 0, 10), (as_of - timedelta(days=5), 0, 6),
                     (as_of - timedelta(days=10), 0, 4))
    nc = M.nowcast(daily, as_of).set_index("day")
    today = nc.loc[as_of]
    spread = 1.96 * (10 * 0.5) ** 0.5 / 0.5
    assert (today["complete_share"], today["expected"]) == (0.5, 20.0)
    assert (today["low"], today["high"]) == pytest.approx((20 - spread, 20 + spread))
    assert nc.loc[as_of - timedelta(days=5), "expected"] == pytest.approx(8.0)   # F(5) = 0.75
    old = nc.loc[as_of - timedelta(days=10)]                                     # F(10) = 1: final
    assert (old["expected"], old["low"], old["high"]) == (4.0, 4.0, 4.0)


def test_nowcast_with_a_curve_that_never_completes_is_bounded():
    as_of = date(2021, 10, 31)
    nc = M.nowcast(lag_rows((as_of - timedelta(days=40), 61, 10), (as_of, 0, 3)), as_of).set_index("day")
    assert nc.loc[as_of, "complete_share"] == 0.05 and nc.loc[as_of, "expected"] == pytest.approx(60.0)


def test_lag_label():
    assert [lag_label(b, "vi") for b in (0, 1, 4, 8, 61)] == ["0 ngày", "1 ngày", "4-7 ngày", "8-14 ngày",
                                                               "> 60 ngày"]
    assert lag_label(31, "en") == "31-60 days" and lag_label(None, "en") == "–"
    assert lag_label(float("nan"), "vi") == "–" and lag_label(4.0, "vi") == "4-7 ngày"


def test_weekly_violations_count_late_entries_from_the_rule_day_only():
    assert M.weekly_violations(lag_rows()).empty
    daily = lag_rows((date(2021, 10, 19), 1, 5),   # the day before the rule: not a violation
                     (date(2021, 10, 20), 0, 7), (date(2021, 10, 20), 2, 3), (date(2021, 10, 25), 8, 1))
    weekly = M.weekly_violations(daily)
    assert weekly.to_dict() == {date(2021, 10, 18): 3, date(2021, 10, 25): 1}
    assert weekly.sum() == M.rule_violations(daily)["violations"]
