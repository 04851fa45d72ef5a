"""The supply measures on tiny frames whose answers are known by hand: days of supply, utilisation, wastage
against the allowed rate, on hand over time, the allocation ranking and a lot's journey."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.measures import supply as M

STOCK_COLUMNS = ["level", "product_code", "on_hand", "expiring_30", "expiring_60", "expired", "administered_7d",
                 "received", "issued", "administered", "wasted_expiry", "wasted_open_vial", "wasted_breakage",
                 "wasted_cold_chain", "adjusted"]


def stock(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=STOCK_COLUMNS)


def test_days_of_supply_is_on_hand_over_the_last_weeks_daily_pace_and_a_dash_without_one():
    assert M.days_of_supply(700, 70) == 70          # 10 a day
    assert M.days_of_supply(0, 70) == 0
    assert M.days_of_supply(500, 0) is None         # nothing given: no pace, not infinity


def test_totals_count_what_came_into_the_area_once_whatever_the_levels_it_went_through():
    s = stock(["province", "AZD", 100, 0, 0, 0, 0, 1000, 900, 0, 0, 0, 0, 0, 0],
              ["site", "AZD", 240, 40, 90, 5, 140, 900, 0, 600, 10, 40, 5, 5, 0],
              ["site", "PFZ", 60, 0, 0, 0, 70, 100, 0, 40, 0, 0, 0, 0, 0])
    total = M.totals(s)
    assert total["delivered"] == 1100                # 1000 + 900 + 100 - 900 passed down
    assert total["on_hand"] == 400 and total["administered"] == 640 and total["wasted"] == 60
    assert total["utilisation"] == pytest.approx(640 / 1100)
    assert total["wastage_rate"] == pytest.approx(60 / 700)
    assert total["days_of_supply"] == pytest.approx(400 / (210 / 7))
    assert (total["expiring_30"], total["expiring_60"], total["expired"]) == (40, 90, 5)
    levels = M.by_level(s)
    assert list(levels["level"]) == ["province", "site"]
    assert pd.isna(levels.loc[0, "days_of_supply"]) and levels.loc[1, "on_hand"] == 300


def test_an_area_without_any_stock_row_gives_dashes_not_errors():
    total = M.totals(stock())
    assert total["on_hand"] == 0 and total["utilisation"] is None and total["wastage_rate"] is None
    assert total["days_of_supply"] is None
    assert M.wastage_by_product(stock(), pd.DataFrame(columns=["product_code", "name", "allowed_rate"])).empty


def test_wastage_is_flagged_above_the_allowed_rate_of_its_product_only():
    s = stock(["site", "AZD", 0, 0, 0, 0, 0, 0, 0, 880, 0, 120, 0, 0, 0],   # 12% of 1000 > 10%
              ["site", "HYT", 0, 0, 0, 0, 0, 0, 0, 960, 0, 40, 0, 0, 0],    # 4% < 5%
              ["site", "VRO", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])       # not used: no row
    allowance = pd.DataFrame({"product_code": ["AZD", "HYT", "VRO"], "name": ["a", "h", "v"],
                              "allowed_rate": [0.10, 0.05, 0.05]})
    w = M.wastage_by_product(s, allowance).set_index("product_code")
    assert list(w.index) == ["AZD", "HYT"]
    assert w.loc["AZD", "rate"] == pytest.approx(0.12) and w.loc["AZD", "above"]
    assert w.loc["HYT", "rate"] == pytest.approx(0.04) and not w.loc["HYT", "above"]


def test_on_hand_series_runs_the_sums_from_before_the_window_and_fills_quiet_days():
    trend = pd.DataFrame({"day": [date(2021, 7, 1), date(2021, 7, 3), date(2021, 7, 3), date(2021, 7, 6)],
                          "level": ["site", "site", "province", "site"], "net": [100, -30, 50, -20],
                          "delivered": 0, "administered": 0, "wasted": 0})
    s = M.on_hand_series(trend, date(2021, 7, 2), date(2021, 7, 6)).set_index("day")
    assert list(s.columns) == ["province", "site"]
    assert list(s["site"]) == [100, 70, 70, 70, 50]
    assert list(s["province"]) == [0, 50, 50, 50, 50]


def test_allocation_ranking_puts_who_used_least_of_what_they_got_first():
    alloc = pd.DataFrame({"province": ["01", "01", "79", "02"], "product_code": ["AZD", "PFZ", "AZD", "AZD"],
                          "allocated": [1000, 500, 800, 300], "delivered": [400, 100, 800, 0],
                          "administered": [100, 50, 790, 0]})
    r = M.allocation_ranked(alloc, {"01": "Hà Nội", "79": "Hồ Chí Minh"})
    assert list(r["province"]) == ["01", "79", "02"]   # 30% used, then 98.75%, then nothing delivered
    first = r.iloc[0]
    assert (first["allocated"], first["delivered"], first["administered"], first["unused"]) == (1500, 500, 150, 350)
    assert first["delivered_share"] == pytest.approx(1 / 3) and first["name"] == "Hà Nội"
    assert pd.isna(r.iloc[2]["used_share"]) and r.iloc[2]["name"] == "02"


JOURNEY_COLUMNS = ["level", "lot_code", "product_code", "lot_doses", "expiry_date", "received", "issued",
                   "administered", "wasted_expiry", "wasted_open_vial", "wasted_breakage", "wasted_cold_chain",
                   "adjusted", "on_hand", "facilities", "short_facilities"]


def journey_rows(site_short: int = 0, site_given: int = 900) -> pd.DataFrame:
    return pd.DataFrame([["site", "AZ1", "AZD", 1000, date(2021, 9, 1), 1000, 0, site_given, 0, 50, 0, 0, 0,
                          50 + 900 - site_given, 3, site_short],
                         ["national", "AZ1", "AZD", 1000, date(2021, 9, 1), 1000, 1000, 0, 0, 0, 0, 0, 0, 0, 1, 0]],
                        columns=JOURNEY_COLUMNS)


def test_a_lot_adds_up_when_no_one_was_short_and_nothing_went_beyond_its_size():
    j = M.journey(journey_rows())
    assert j["adds_up"] and j["problems"] == []
    assert list(j["levels"]["level"]) == ["national", "site"]
    assert (j["delivered"], j["used"], j["on_hand"], j["lot_doses"]) == (1000, 950, 50, 1000)


def test_a_lot_with_a_short_site_or_beyond_its_size_is_a_data_quality_flag():
    assert M.journey(journey_rows(site_short=1))["problems"] == [("short", 1)]
    rows = journey_rows(site_given=990)
    rows.loc[0, "on_hand"] = 60  # 990 + 50 given and wasted + 60 on hand from a lot of 1000
    j = M.journey(rows)
    assert not j["adds_up"] and ("beyond_lot", 100) in j["problems"]


def test_a_periods_flows_are_the_difference_of_the_cumulative_sums_at_its_ends():
    before = stock(["site", "AZD", 100, 0, 0, 0, 0, 500, 0, 380, 20, 0, 0, 0, 0])
    after = stock(["site", "AZD", 150, 30, 30, 0, 70, 900, 0, 700, 30, 20, 0, 0, 0],
                  ["site", "PFZ", 10, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0])
    p = M.period(before, after).set_index("product_code")
    az = p.loc["AZD"]
    assert (az["opening"], az["received"], az["administered"], az["wasted"], az["closing"]) == (100, 400, 320, 30, 150)
    assert az["opening"] + az["received"] - az["issued"] - az["administered"] - az["wasted"] + az["adjusted"] == 150
    assert az["days_of_supply"] == pytest.approx(15) and az["wastage_rate"] == pytest.approx(30 / 350)
    assert (p.loc["PFZ", "opening"], p.loc["PFZ", "closing"]) == (0, 10) and pd.isna(p.loc["PFZ", "wastage_rate"])


def test_stockouts_by_level_are_the_querys_counts_over_all_of_them_not_the_rows_it_returned():
    counts = {"stockouts_national": 0, "stockouts_province": 0, "stockouts_district": 3, "stockouts_site": 250}
    out = pd.DataFrame([{"level": "site", **counts}, {"level": "site", **counts}])  # 2 of 253 rows returned
    assert M.stockouts_by_level(out) == {"district": 3, "site": 250}
    assert list(M.stockouts_by_level(out)) == ["district", "site"]  # in LEVELS order
    assert M.stockouts_by_level(out.iloc[:0]) == {}
