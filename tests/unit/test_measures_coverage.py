"""Coverage and target measures on tiny hand-computed frames: zero population, no data yet, dates before the
campaign, coverage above 100%, a deadline already past, a target reached before the window."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from dashboard.measures.coverage import (
    CAMPAIGN_START,
    area_coverage,
    behind_pace,
    coverage_share,
    cumulative_people,
    doses_between,
    doses_series,
    doses_upto,
    population_of,
    target_path,
    target_path_days,
    target_status,
    target_views,
)

D = date(2021, 9, 1)


def series(start: date, values: list[int]) -> pd.Series:
    return pd.Series(values, index=[start + timedelta(days=i) for i in range(len(values))], dtype="int64")


# ---- target_status

def test_no_data_yet_is_off_track_with_no_expected_day():
    st = target_status(pd.Series(dtype="int64"), 1000, 0.5, D + timedelta(days=10), D)
    assert (st.people, st.coverage, st.pace, st.gap_people) == (0, 0.0, 0.0, 500)
    assert st.rate_needed == 50.0 and st.status == "off_track" and st.expected is None


def test_zero_population_is_never_reached_and_coverage_is_zero():
    st = target_status(series(D - timedelta(days=9), [10] * 10), 0, 0.7, D + timedelta(days=30), D)
    assert st.coverage == 0.0 and st.status != "reached"
    assert st.gap_people == 0 and st.rate_needed == 0.0 and st.status == "on_track"


def test_pace_needed_splits_on_track_at_risk_and_off_track():
    # 7 days ago 100 people, now 170: a pace of 10 a day; 330 to go over 30 days needs 11 a day
    cum = series(D - timedelta(days=7), [100, 110, 120, 130, 140, 150, 160, 170])
    st = target_status(cum, 1000, 0.5, D + timedelta(days=30), D)
    assert (st.people, st.pace, st.gap_people, st.rate_needed) == (170, 10.0, 330, 11.0)
    assert st.status == "at_risk"            # 10 >= 0.75 * 11
    assert st.expected == D + timedelta(days=33)
    assert target_status(cum, 1000, 0.5, D + timedelta(days=33), D).status == "on_track"   # needs 10 a day
    assert target_status(cum, 1000, 0.5, D + timedelta(days=20), D).status == "off_track"  # needs 16.5


def test_deadline_passed_is_missed_with_the_gap_left():
    cum = series(D - timedelta(days=7), [100, 110, 120, 130, 140, 150, 160, 170])
    for deadline in (D, D - timedelta(days=5)):
        st = target_status(cum, 1000, 0.5, deadline, D)
        assert (st.status, st.gap_people, st.rate_needed) == ("missed", 330, None)
        assert st.expected == D + timedelta(days=33)  # still said: when it would be reached at this pace


def test_coverage_above_100_percent_is_reached_on_the_day_it_crossed():
    cum = series(D - timedelta(days=3), [90, 100, 110, 120])
    st = target_status(cum, 100, 0.9, D + timedelta(days=10), D)
    assert st.coverage == pytest.approx(1.2) and st.status == "reached"
    assert st.gap_people == 0 and st.rate_needed is None and st.expected == D - timedelta(days=3)


def test_reached_before_the_window_keeps_its_day_and_ignores_later_days():
    cum = series(D - timedelta(days=30), [60] + [60] * 29 + [60, 99])  # the last day is after as_of
    st = target_status(cum, 100, 0.5, D + timedelta(days=10), D)
    assert st.status == "reached" and st.expected == D - timedelta(days=30) and st.people == 60
    assert st.pace == 0.0


def test_as_of_before_the_first_data_counts_nobody():
    cum = series(D, [500])
    st = target_status(cum, 1000, 0.5, D + timedelta(days=10), D - timedelta(days=1))
    assert (st.people, st.gap_people, st.status) == (0, 500, "off_track")


# ---- target_path

def test_target_path_is_a_straight_line_clipped_to_zero_and_the_threshold():
    deadline = CAMPAIGN_START + timedelta(days=100)
    days = [CAMPAIGN_START - timedelta(days=10), CAMPAIGN_START, CAMPAIGN_START + timedelta(days=25), deadline,
            deadline + timedelta(days=30)]
    assert target_path(0.8, deadline, days) == pytest.approx([0.0, 0.0, 0.2, 0.8, 0.8])


def test_target_path_days_are_weekly_from_the_start_and_end_on_the_deadline():
    days = target_path_days(CAMPAIGN_START + timedelta(days=16))
    assert days == [CAMPAIGN_START, CAMPAIGN_START + timedelta(days=7), CAMPAIGN_START + timedelta(days=14),
                    CAMPAIGN_START + timedelta(days=16)]


# ---- area coverage and behind pace

POP = pd.DataFrame({"area": ["01", "01", "02", "03"], "age_band": [3, 1, 4, 5], "population": [100, 50, 200, 0]})
PEOPLE = pd.DataFrame({"area": ["01", "01", "02", "02", "03"], "milestone": [1, 1, 1, 2, 1],
                       "age_band": [3, 1, 4, 4, 5], "people": [120, 40, 50, 30, 5], "last7": [7, 1, 14, 3, 1]})


def test_area_coverage_per_group_keeps_areas_without_people_and_no_coverage_without_population():
    cov = area_coverage(PEOPLE, POP, "first", "18+").set_index("area")
    assert cov.loc["01", ["people", "population", "last7"]].tolist() == [120, 100, 7]
    assert cov.loc["01", "coverage"] == pytest.approx(1.2)   # above 100%: kept, not clipped
    assert cov.loc["02", "coverage"] == pytest.approx(0.25)
    assert pd.isna(cov.loc["03", "coverage"])                 # zero population
    full = area_coverage(PEOPLE, POP, "full", "total").set_index("area")
    assert full["people"].to_dict() == {"01": 0, "02": 30, "03": 0} and full.loc["01", "coverage"] == 0.0


def test_area_coverage_with_no_people_yet():
    cov = area_coverage(PEOPLE.iloc[0:0], POP, "first", "total").set_index("area")
    assert cov["people"].tolist() == [0, 0, 0] and cov["population"].tolist() == [150, 200, 0]


def test_behind_pace_compares_the_last_week_with_the_rate_the_gap_needs():
    cov = pd.DataFrame({"area": ["a", "b", "c", "d"], "people": [50, 50, 80, 0], "population": [100, 100, 100, 0],
                        "last7": [70, 63, 0, 0]})
    # goal 70 each (0 for d); 20 to go over 2 days: 10 a day. a gains 10 a day, b 9, c is past the goal.
    behind = behind_pace(cov, 0.7, D + timedelta(days=2), D)
    assert behind.tolist() == [False, True, False, False]


def test_behind_pace_after_the_deadline_needs_the_whole_gap_in_a_day_and_no_target_is_never_behind():
    cov = pd.DataFrame({"area": ["a", "b"], "people": [50, 50], "population": [100, 100], "last7": [140, 139]})
    assert behind_pace(cov, 0.7, D - timedelta(days=5), D).tolist() == [False, True]
    assert behind_pace(cov, None, None, D).tolist() == [False, False]


# ---- series

def test_cumulative_people_fills_missing_days_and_runs_to_until():
    daily = pd.DataFrame({"day": [D, D + timedelta(days=2), D], "milestone": [1, 1, 2], "age_band": [3, 4, 3],
                          "people": [5, 7, 100]})
    cum = cumulative_people(daily, "first", "18+", D + timedelta(days=3))
    assert cum.tolist() == [5, 5, 12, 12] and cum.index[0] == D
    assert cumulative_people(daily, "booster", "18+").empty
    assert coverage_share(cum, 0).tolist() == [0.0] * 4
    assert coverage_share(cum, 10).tolist() == pytest.approx([0.5, 0.5, 1.2, 1.2])


def test_population_of_sums_the_group_bands_with_missing_birth_dates_in_the_total():
    pop = pd.DataFrame({"area": ["01"] * 3, "age_band": [-1, 2, 3], "population": [5, 20, 100]})
    assert population_of(pop, "total").to_dict() == {"01": 125}
    assert population_of(pop, "18+").to_dict() == {"01": 100}
    assert population_of(pop, "12-17").to_dict() == {"01": 20}


def test_doses_series_and_the_day_figures():
    daily = pd.DataFrame({"day": [D, D + timedelta(days=2)], "doses": [10, 40]})
    s = doses_series(daily, D + timedelta(days=3))
    assert s["doses"].tolist() == [10, 0, 40, 0]
    assert s["avg7"].tolist() == pytest.approx([10, 5, 50 / 3, 12.5])
    assert doses_upto(s, D + timedelta(days=2)) == {"total": 50, "on_day": 40, "avg7": pytest.approx(50 / 3)}
    assert doses_upto(s, D - timedelta(days=1)) == {"total": 0, "on_day": 0, "avg7": 0.0}  # before any data
    empty = doses_series(daily.iloc[0:0])
    assert empty.empty and doses_upto(empty, D) == {"total": 0, "on_day": 0, "avg7": 0.0}


def test_target_lines_skip_targets_without_people_or_population_and_tabulate_by_day():
    from dashboard.measures.coverage import target_lines, target_lines_table
    deadline = CAMPAIGN_START + timedelta(days=10)
    target = pd.Series({"threshold": 0.5, "deadline": deadline})
    views = {"a": (target, None, series(CAMPAIGN_START, [10, 20]), 100),
             "b": (target, None, series(CAMPAIGN_START + timedelta(days=1), [30]), 200),
             "zero_pop": (target, None, series(CAMPAIGN_START, [10]), 0),
             "no_data": (target, None, pd.Series(dtype="int64"), 100)}
    lines = target_lines(views)
    assert [line["id"] for line in lines] == ["a", "b"]
    assert lines[0]["path_days"] == [CAMPAIGN_START, CAMPAIGN_START + timedelta(days=7), deadline]
    assert lines[0]["path"] == pytest.approx([0.0, 0.35, 0.5])
    table = target_lines_table(lines)
    assert table["day"].tolist() == [str(CAMPAIGN_START), str(CAMPAIGN_START + timedelta(days=1))]
    assert table["a"].tolist() == [0.1, 0.2] and pd.isna(table["b"].iloc[0]) and table["b"].iloc[1] == 0.15
    assert target_lines_table([]).empty


def test_doses_between_subtracts_the_day_before_the_period():
    by_end = pd.DataFrame({"area": ["79", "01", "02"], "doses": [100, 5, 9]})
    before = pd.DataFrame({"area": ["79", "02"], "doses": [40, 9]})   # 01 started in the period, 02 gave none
    assert doses_between(by_end, before).to_dict() == {"01": 5, "02": 0, "79": 60}
    empty = pd.DataFrame(columns=["area", "doses"])
    assert doses_between(empty, empty).empty                          # no data yet


def test_target_views_measure_every_target_on_the_area_given():
    targets = pd.DataFrame({"id": ["t1", "t2"], "population_group": ["total", "18+"], "milestone": ["first", "full"],
                            "threshold": [0.5, 0.7], "deadline": [date(2021, 12, 31)] * 2})
    people = pd.DataFrame({"day": [D, D], "milestone": [1, 2], "age_band": [3, 3], "people": [30, 10]})
    pop = pd.DataFrame({"area": ["79", "79"], "age_band": [2, 3], "population": [40, 60]})
    views = target_views(targets, people, pop, D)
    assert list(views) == ["t1", "t2"]
    assert (views["t1"].population, views["t1"].status.people) == (100, 30)
    assert (views["t2"].population, views["t2"].status.people) == (60, 10)
    zero = target_views(targets, people, pop.assign(population=0), D)         # zero population
    assert zero["t1"].status.coverage == 0.0 and zero["t1"].status.status != "reached"
    early = target_views(targets, people, pop, CAMPAIGN_START - timedelta(days=1))  # a day before the campaign
    assert early["t1"].status.people == 0 and early["t1"].status.coverage == 0.0
    assert target_views(targets.iloc[:0], people, pop, D) == {}                # no targets
