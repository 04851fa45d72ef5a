"""The data-quality measures: the outlier rule on series whose answer is known by hand, and the scorecard's
pieces on tiny frames (no data, a day before the campaign, a district without doses)."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from common.vocabulary import CAMPAIGN_START
from dashboard.measures import quality as Q
from dashboard.measures.quality import OUTLIER_HISTORY, modified_z
from dashboard.measures.weeks import Week, week_ending, week_start, week_starts


def test_modified_z_uses_the_mad_of_the_eight_weeks_before():
    history = np.array([10, 12] * (OUTLIER_HISTORY // 2), dtype=float)  # median 11, MAD 1
    z = modified_z(np.r_[history, 20.0], OUTLIER_HISTORY)
    assert z.shape == (1, 1)
    assert math.isclose(z[0, 0], 0.6745 * (20 - 11) / 1)


def test_a_flat_history_falls_back_to_the_mean_absolute_deviation():
    history = np.full(OUTLIER_HISTORY, 100.0)
    history[:4] = [0, 0, 0, 0]                   # MAD 0 (over half the days equal), mean |x - median| = 400/56
    z = modified_z(np.r_[history, 150.0], OUTLIER_HISTORY)[0, 0]
    assert math.isclose(z, (150 - 100) / (1.253314 * 400 / OUTLIER_HISTORY))


def test_no_spread_at_all_is_not_judged_and_short_histories_are_not_either():
    assert np.isnan(modified_z(np.r_[np.zeros(OUTLIER_HISTORY), 500.0], OUTLIER_HISTORY)[0, 0])
    assert np.isnan(modified_z(np.arange(10.0), 5)).all()


DAILY = ["district", "day", "doses", "within_1", "incomplete", "id_bad", "birth_missing", "residence_missing",
         "quarantined"]
STORES = pd.DataFrame(columns=["store", "province", "short", "short_before"])
AREAS = pd.DataFrame({"level": ["province", "district", "district", "province", "district"],
                      "area": ["79", "760", "761", "01", "001"], "province": ["79", "79", "79", "01", "01"]})


def test_weeks_start_on_monday_and_the_scorecard_week_ends_on_the_chosen_day():
    assert week_start(date(2021, 10, 24)) == date(2021, 10, 18)          # a Sunday
    assert week_start(date(2021, 10, 18)) == date(2021, 10, 18)          # a Monday is its own week's start
    assert week_start(CAMPAIGN_START - timedelta(days=1)) == date(2021, 3, 1)  # a day before the campaign
    assert list(week_starts(pd.Series([date(2021, 10, 17), date(2021, 10, 18)]))) == [date(2021, 10, 11),
                                                                                       date(2021, 10, 18)]
    assert week_starts(pd.Series([], dtype=object)).empty
    week = week_ending(date(2021, 10, 24))
    assert week == Week(date(2021, 10, 18), date(2021, 10, 24))
    assert week.before() == Week(date(2021, 10, 11), date(2021, 10, 17))
    assert Q.FIRST_WEEK_END == CAMPAIGN_START + timedelta(days=7)


def test_districts_in_view():
    assert set(Q.districts_in_view(AREAS, "nation", "", None)["code"]) == {"760", "761", "001"}
    assert set(Q.districts_in_view(AREAS, "province", "79", "79")["code"]) == {"760", "761"}
    assert list(Q.districts_in_view(AREAS, "district", "761", "79")["code"]) == ["761"]


def test_a_week_without_any_data_scores_nothing_and_flags_nothing():
    districts = Q.districts_in_view(AREAS, "province", "79", "79")
    empty = pd.DataFrame(columns=DAILY)
    report = pd.DataFrame(columns=["province", "day", "platform_doses", "reported_doses"])
    stock = pd.DataFrame(columns=["district", "delivered", "administered", "ledgers", "short_ledgers",
                                  "delivered_before", "administered_before", "ledgers_before",
                                  "short_ledgers_before"])
    drop = pd.DataFrame(columns=["district", "first_doses", "second_doses", "first_doses_before",
                                 "second_doses_before"])
    now, before = Q.week_counts(empty, report, stock, drop, STORES, districts, week_ending(date(2021, 10, 24)))
    assert len(now) == len(before) == 2 and (now["doses"] == 0).all()
    total = Q.area_total(now, "79")
    assert total["doses"] == 0 and pd.isna(total["fields"]) and pd.isna(total["timeliness"])
    assert total["stock"] == 1 and pd.isna(total["dropout_rate"]) and total["outlier_days"] == 0
    rows = Q.scorecard(now, before, "district", {"760": "A", "761": "B"})
    assert list(rows.columns[:2]) == ["area", "name"] and set(rows["name"]) == {"A", "B"}
    assert Q.outliers(empty[["district", "day", "doses"]], date(2021, 10, 18), date(2021, 10, 24)).empty


def test_a_store_short_of_stock_fails_the_stock_check_even_when_the_district_was_delivered_enough():
    districts = Q.districts_in_view(AREAS, "province", "79", "79")
    empty = pd.DataFrame(columns=DAILY)
    report = pd.DataFrame(columns=["province", "day", "platform_doses", "reported_doses"])
    # 760: enough delivered, but one of its 3 ledgers went below zero in this week; 761: clean.
    stock = pd.DataFrame({"district": ["760", "761"], "delivered": [500, 80], "administered": [400, 80],
                          "ledgers": [3, 2], "short_ledgers": [1, 0], "delivered_before": [400, 60],
                          "administered_before": [300, 60], "ledgers_before": [3, 2],
                          "short_ledgers_before": [0, 0]})
    drop = pd.DataFrame(columns=["district", "first_doses", "second_doses", "first_doses_before",
                                 "second_doses_before"])
    now, before = Q.week_counts(empty, report, stock, drop, STORES, districts, week_ending(date(2021, 10, 24)))
    rows = Q.scores(now, "district").set_index("area")
    assert rows.loc["760", "stock_bad"] == 1 and rows.loc["760", "stock"] == 0
    assert rows.loc["761", "stock_bad"] == 0 and rows.loc["761", "stock"] == 1
    total = Q.area_total(now, "79")
    assert (total["stock_bad"], total["stock"], total["ledgers"], total["short_ledgers"]) == (1, 0.5, 5, 1)
    assert Q.area_total(before, "79")["stock_bad"] == 0


def test_a_province_store_short_of_stock_counts_for_its_province_and_for_no_district():
    districts = Q.districts_in_view(AREAS, "nation", "", None)
    empty = pd.DataFrame(columns=DAILY)
    report = pd.DataFrame(columns=["province", "day", "platform_doses", "reported_doses"])
    stock = pd.DataFrame({"district": ["760", "761", "001"], "delivered": [9] * 3, "administered": [9] * 3,
                          "ledgers": [2] * 3, "short_ledgers": [0] * 3, "delivered_before": [9] * 3,
                          "administered_before": [9] * 3, "ledgers_before": [2] * 3, "short_ledgers_before": [0] * 3})
    stores = pd.DataFrame({"store": [1, 2, 3], "province": ["79", "01", None], "short": [True, False, False],
                           "short_before": [False, False, False]})
    drop = pd.DataFrame(columns=["district", "first_doses", "second_doses", "first_doses_before",
                                 "second_doses_before"])
    now, before = Q.week_counts(empty, report, stock, drop, stores, districts, week_ending(date(2021, 10, 24)))
    provinces = Q.scores(now, "province").set_index("area")
    assert provinces.loc["79", "stock_bad"] == 1 and provinces.loc["79", "stock"] == 2 / 3  # 2 districts, 1 store
    assert provinces.loc["01", "stock_bad"] == 0 and provinces.loc["01", "stock"] == 1
    assert set(Q.scores(now, "district")["area"]) == {"760", "761", "001"}
    assert Q.scores(now, "district")["stock_bad"].sum() == 0
    total = Q.area_total(now, "VN")
    assert (total["stock_bad"], total["ledgers"], total["short_ledgers"]) == (1, 9, 1)  # 3 x 2 + 3 stores
    assert Q.area_total(before, "VN")["stock_bad"] == 0


def test_district_days_leave_shares_out_on_a_day_without_doses():
    start, end = date(2021, 10, 18), date(2021, 10, 20)
    daily = pd.DataFrame([["760", date(2021, 10, 18), 10, 9, 1, 0, 0, 0, 0],
                          ["760", date(2021, 10, 20), 4, 4, 0, 0, 0, 0, 1]], columns=DAILY)
    report = pd.DataFrame({"province": ["79"], "day": [date(2021, 10, 18)], "platform_doses": [100],
                           "reported_doses": [0]})
    flagged = Q.outliers(daily[["district", "day", "doses"]], start, end)
    d = Q.district_days(daily, report, flagged, start, end)
    assert list(d["day"]) == [start, date(2021, 10, 19), end]
    assert list(d["doses"]) == [10, 0, 4] and d["fields"].iloc[0] == pytest.approx(0.9)
    assert pd.isna(d["fields"].iloc[1]) and pd.isna(d["timeliness"].iloc[1]) and pd.isna(d["quarantine"].iloc[1])
    assert pd.isna(d["report_ratio"].iloc[0])       # a hand report of 0 doses is no denominator
    assert d["quarantine"].iloc[2] == pytest.approx(4 / 5)
    history = Q.daily_history(daily, start, end)
    assert len(history) == OUTLIER_HISTORY + 3 and history.sum() == 14


def test_top_outliers_and_quarantine_by_rule():
    flagged = pd.DataFrame({"district": ["760", "761", "760"], "day": [date(2021, 10, 18)] * 3,
                            "doses": [1, 2, 3], "median": [1.0, 1.0, 1.0], "z": [4.0, -6.0, 1.0],
                            "flag": ["outlier", "extreme", ""]})
    top = Q.top_outliers(flagged, {"760": "A", "761": "B"})
    assert list(top["name"]) == ["B", "A"]
    rules = pd.DataFrame({"rule_id": ["D01", "D02"], "message_vi": ["a", "b"], "message_en": ["x", "y"],
                          "action": ["quarantine", "flag"]})
    weekly = pd.DataFrame({"week": [date(2021, 10, 18)] * 2, "rule_id": ["D01", "D01"], "rows": [2, 3]})
    table = Q.quarantine_by_rule(weekly, rules, "message_en")
    assert list(table["rows"]) == [5, 0] and list(table["text"]) == ["x", "y"]


def test_quarantine_weeks_start_on_monday_and_add_up_by_rule():
    daily = pd.DataFrame({"day": [date(2021, 10, 17), date(2021, 10, 18), date(2021, 10, 24), date(2021, 10, 18)],
                          "rule_id": ["D01", "D01", "D01", "D02"], "message_vi": ["a", "a", "a", "b"],
                          "message_en": ["x", "x", "x", "y"], "rows": [1, 2, 3, 4]})
    weekly = Q.quarantine_weekly(daily)
    assert weekly[["week", "rule_id", "rows"]].values.tolist() == [
        [date(2021, 10, 11), "D01", 1], [date(2021, 10, 18), "D01", 5], [date(2021, 10, 18), "D02", 4]]
    assert weekly["rows"].sum() == daily["rows"].sum()
    assert Q.quarantine_weekly(daily.iloc[:0]).empty  # no quarantine yet: an empty table, same columns
