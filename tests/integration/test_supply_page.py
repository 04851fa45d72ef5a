"""The supply page against SQL written here on the platform's own tables (platform -> ETL -> page): on hand,
days of supply, expiry, utilisation, wastage, allocation, stock-outs and a lot's journey at nation, a province,
a district and a site; and a province account that never receives the national store's figures."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest

from dashboard.i18n import fmt_int, fmt_pct
from tests.conftest import rows, scalar
from tests.integration.test_dashboard import app, as_json, find, render, reporting, text_of  # noqa: F401 (fixtures)

AS_OF = date(2021, 8, 4)
VN_DAY = "((%s AT TIME ZONE 'UTC') + interval '7 hours')::date"

# Every flow of a lot at a facility as the platform holds it (quarantined rows left out, as the ETL does).
FLOWS = f"""
    WITH moves AS (
        SELECT m.* FROM platform.stock_movement m
        WHERE NOT EXISTS (SELECT 1 FROM etl.quarantine q WHERE q.source = 'stock_movement' AND q.source_id = m.id)),
    flows AS (
        SELECT to_facility_id AS facility, lot_id AS lot, {VN_DAY % 'moved_at'} AS day, doses AS delta,
               CASE WHEN kind IN ('receipt', 'transfer') THEN doses ELSE 0 END AS received, 0 AS issued,
               0 AS administered, 0 AS wasted
        FROM moves WHERE to_facility_id IS NOT NULL
        UNION ALL
        SELECT from_facility_id, lot_id, {VN_DAY % 'moved_at'}, -doses,
               0, CASE WHEN kind = 'transfer' THEN doses ELSE 0 END, 0,
               CASE WHEN kind = 'wastage' THEN doses ELSE 0 END
        FROM moves WHERE from_facility_id IS NOT NULL
        UNION ALL
        SELECT d.site_id, l.id, {VN_DAY % 'd.injected_at'}, -1, 0, 0, 1, 0
        FROM platform.dose_record d JOIN platform.vaccine_lot l ON l.lot_code = d.lot_code
        WHERE d.status = 'valid'
          AND NOT EXISTS (SELECT 1 FROM etl.quarantine q WHERE q.source = 'dose_record' AND q.source_id = d.id))
    SELECT f.*, fac.kind AS facility_kind, fac.province_code, fac.district_code, l.product_code, l.expiry_date
    FROM flows f JOIN platform.facility fac ON fac.id = f.facility JOIN platform.vaccine_lot l ON l.id = f.lot
    WHERE f.day <= :as_of"""

AREA = {"nation": "true", "province": "province_code = :code", "district": "district_code = :code",
        "site": "facility = CAST(:code AS integer)"}


def platform_figures(engine, level: str, code: str | None) -> dict:
    where = AREA[level]
    (on_hand, exp30, admin, admin7, received, issued, wasted) = rows(engine, f"""
        SELECT sum(delta),
               coalesce(sum(delta) FILTER (WHERE expiry_date BETWEEN :as_of AND CAST(:as_of AS date) + 30), 0),
               sum(administered), coalesce(sum(administered) FILTER (WHERE day > CAST(:as_of AS date) - 7), 0),
               sum(received), sum(issued), sum(wasted)
        FROM ({FLOWS}) x WHERE {where}""", as_of=AS_OF, code=code)[0]
    return {"on_hand": on_hand, "expiring_30": exp30, "administered": admin, "administered_7d": admin7,
            "delivered": received - issued, "wasted": wasted}


@pytest.fixture(scope="module")
def places(reporting) -> dict:  # noqa: F811
    """A province, one of its districts and the district's site with the most doses by AS_OF."""
    site, district, province = rows(reporting, f"""
        SELECT d.site_id, f.district_code, f.province_code FROM platform.dose_record d
        JOIN platform.facility f ON f.id = d.site_id WHERE {VN_DAY % 'd.injected_at'} <= :as_of
        GROUP BY 1, 2, 3 ORDER BY count(*) DESC LIMIT 1""", as_of=AS_OF)[0]
    return {"nation": None, "province": province, "district": district, "site": str(site)}


def page(app, places: dict, level: str, **extra):  # noqa: F811
    query = {"date": AS_OF.isoformat(), **extra}
    if level in ("province", "district"):
        query["area"] = places[level]
    if level == "site":
        query.update(area=places["district"], site=places["site"])
    return render(app, "pages.supply", **query)


@pytest.mark.parametrize("level", ["nation", "province", "district", "site"])
def test_cards_equal_the_platform(app, reporting, places, level):  # noqa: F811
    tree = page(app, places, level)
    truth = platform_figures(reporting, level, places[level])
    assert truth["administered"] > 0
    assert text_of(find(tree, "supply-card-on-hand")) == fmt_int(truth["on_hand"], "vi")
    assert text_of(find(tree, "supply-card-expiring")) == fmt_int(truth["expiring_30"], "vi")
    assert text_of(find(tree, "supply-card-utilisation")) == fmt_pct(truth["administered"] / truth["delivered"], "vi")
    assert text_of(find(tree, "supply-card-wastage")) == fmt_pct(
        truth["wasted"] / (truth["wasted"] + truth["administered"]), "vi")
    days = text_of(find(tree, "supply-card-days"))
    if truth["administered_7d"]:
        assert days == fmt_int(round(truth["on_hand"] / (truth["administered_7d"] / 7)), "vi")
    else:
        assert days == "—"


def test_nation_delivered_is_what_the_national_store_received(reporting):  # noqa: F811
    receipts = scalar(reporting, f"SELECT sum(doses) FROM platform.stock_movement WHERE kind = 'receipt' "
                                 f"AND {VN_DAY % 'moved_at'} <= :as_of", as_of=AS_OF)
    assert platform_figures(reporting, "nation", None)["delivered"] == receipts


def test_allocation_table_equals_the_decisions_and_the_flows(app, reporting, places):  # noqa: F811
    grid = find(page(app, places, "nation"), {"type": "grid", "index": "supply-allocation"})
    shown = {r["province"]: r for r in grid["props"]["rowData"]}
    allocated = dict(rows(reporting, """
        SELECT province_code, sum(doses) FROM platform.vaccine_allocation a WHERE decision_date <= :as_of
          AND NOT EXISTS (SELECT 1 FROM etl.quarantine q WHERE q.source = 'vaccine_allocation' AND q.source_id = a.id)
        GROUP BY 1""", as_of=AS_OF))
    assert allocated and {p: r["allocated"] for p, r in shown.items() if r["allocated"]} == allocated
    province = places["province"]
    truth = platform_figures(reporting, "province", province)
    assert (shown[province]["delivered"], shown[province]["administered"]) == (truth["delivered"],
                                                                               truth["administered"])
    used = [r["used_share"] for r in grid["props"]["rowData"] if r["used_share"] is not None]
    assert used == sorted(used)  # the lowest use first


def test_stockouts_equal_the_platform(app, reporting, places):  # noqa: F811
    tree = page(app, places, "nation")
    grid = find(tree, {"type": "grid", "index": "supply-stockouts"})
    shown = {(r["facility_id"], r["product_code"]): r for r in grid["props"]["rowData"]}
    truth = rows(reporting, f"""
        WITH daily AS (SELECT facility, product_code, day, sum(delta) AS net,
                              -- a site uses a vaccine by giving it, a store by issuing it
                              sum(administered + CASE WHEN facility_kind = 'site' THEN 0 ELSE issued END) AS used
                       FROM ({FLOWS}) x GROUP BY 1, 2, 3),
        running AS (SELECT *, sum(net) OVER (PARTITION BY facility, product_code ORDER BY day) AS on_hand FROM daily),
        last AS (SELECT DISTINCT ON (facility, product_code) facility, product_code, on_hand FROM running
                 ORDER BY facility, product_code, day DESC)
        SELECT l.facility, l.product_code,
               (SELECT min(day) FROM running r WHERE r.facility = l.facility AND r.product_code = l.product_code
                  AND r.day > coalesce((SELECT max(day) FROM running r2 WHERE r2.facility = l.facility
                                          AND r2.product_code = l.product_code AND r2.on_hand > 0), '-infinity'))
        FROM last l
        WHERE l.on_hand <= 0 AND (SELECT sum(used) FROM running r WHERE r.facility = l.facility
                                    AND r.product_code = l.product_code AND r.day > CAST(:as_of AS date) - 14) > 0
        """, as_of=AS_OF)
    assert truth, "the demo data has stock-outs on this day"
    count = text_of(find(tree, "supply-stockouts-count"))
    assert fmt_int(len(truth), "vi") in count
    out_since = {(f, p): d for f, p, d in truth}
    for key, row in shown.items():
        assert key in out_since
        assert row["days_out"] == (AS_OF - out_since[key]).days + 1
    assert len(shown) == min(len(truth), 200)
    # the chart counts every stock-out by level, also those beyond the table's 200
    kinds = dict(rows(reporting, "SELECT id, kind FROM platform.facility"))
    by_kind = Counter(kinds[f] for f, _, _ in truth)
    level_name = {"national_store": "Kho quốc gia", "province_store": "Kho tỉnh",
                  "district_store": "Kho quận/huyện", "site": "Điểm tiêm"}
    bar = find(tree, "supply-stockouts-graph")["props"]["figure"]["data"][0]
    assert dict(zip(bar["x"], bar["y"], strict=True)) == {level_name[k]: n for k, n in by_kind.items()}


def test_a_lots_journey_equals_the_platform(app, reporting, places):  # noqa: F811
    tree = page(app, places, "province")
    grid = find(tree, {"type": "grid", "index": "supply-lot"})
    lot = int(find(tree, "supply-lot")["props"]["value"])
    truth = {kind: (r, i, a, w, h) for kind, r, i, a, w, h in rows(reporting, f"""
        SELECT facility_kind, sum(received), sum(issued), sum(administered), sum(wasted), sum(delta)
        FROM ({FLOWS}) x WHERE lot = :lot AND province_code = :code GROUP BY 1""",
        as_of=AS_OF, lot=lot, code=places["province"])}
    level_of = {"province_store": "Kho tỉnh", "district_store": "Kho quận/huyện", "site": "Điểm tiêm"}
    shown = {r["level_name"]: r for r in grid["props"]["rowData"]}
    assert set(shown) == {level_of[k] for k in truth}
    for kind, (received, issued, administered, wasted, on_hand) in truth.items():
        row = shown[level_of[kind]]
        assert (row["received"], row["issued"], row["administered"], row["on_hand"]) == (
            received, issued, administered, on_hand)
        assert sum(row[c] for c in ("wasted_expiry", "wasted_open_vial", "wasted_breakage",
                                    "wasted_cold_chain")) == wasted
    assert "Khớp" in text_of(find(tree, "supply-lot-check"))


def test_a_province_account_never_receives_the_national_store(app, reporting):  # noqa: F811
    tree = render(app, "pages.supply", user="hcm", date=AS_OF.isoformat())
    sent = json.dumps(as_json(tree), ensure_ascii=False, default=str)
    national = scalar(reporting, "SELECT name FROM platform.facility WHERE kind = 'national_store'")
    assert "Kho quốc gia" not in sent and national not in sent
    assert "Hà Nội" not in sent  # nor another province (the allocation table holds its own row only)
    truth = platform_figures(reporting, "province", "79")
    assert text_of(find(tree, "supply-card-on-hand")) == fmt_int(truth["on_hand"], "vi")
