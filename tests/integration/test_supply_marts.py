"""The supply marts (issue 12, item 2): exact against the platform's own rows, additive, incremental = rebuild,
and a bad allocation quarantined with its reason."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from common.settings import Settings
from etl.pipeline import run
from etl.simulator.engine import simulate
from tests import faults
from tests.conftest import rows, scalar

SUPPLY_MARTS = ("stock_lot_daily", "stock_daily", "stock_balance", "stock_facility_balance", "stock_lot_balance",
                "stock_facility_lot_balance", "stock_province_daily", "allocation_daily")
VN_DAY = "((%s AT TIME ZONE 'UTC') + interval '7 hours')::date"


def etl(engine: sa.Engine, **kw):
    return run(Settings(pseudonym_key="k"), engine, engine.url.render_as_string(hide_password=False), **kw)


def snapshot(engine: sa.Engine) -> dict[str, str]:
    return {m: scalar(engine, f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM mart.{m} t")
            for m in SUPPLY_MARTS}


@pytest.fixture(scope="module")
def supply(make_database):
    """Simulated in two steps with an ETL run after each, then changed on the platform and run again."""
    engine = make_database()
    for until in ("2021-08-31", "2021-09-20"):
        simulate(engine, scale=0.002, seed=5, until=until)
        etl(engine)
    return engine


def flows_from_platform(engine: sa.Engine) -> dict[tuple, tuple]:
    """Per facility, lot and day: the flows, written here from the platform's movements and dose records."""
    out: dict[tuple, list[int]] = {}
    for f, lot, day, *v in rows(engine, f"""
        SELECT e.facility_id, m.lot_id, {VN_DAY % 'm.moved_at'} AS day,
               sum(m.doses) FILTER (WHERE e.side = 'to' AND m.kind IN ('receipt', 'transfer')),
               sum(m.doses) FILTER (WHERE e.side = 'from' AND m.kind = 'transfer'),
               sum(m.doses) FILTER (WHERE m.kind = 'wastage' AND m.reason = 'expiry'),
               sum(m.doses) FILTER (WHERE m.kind = 'wastage' AND m.reason = 'open_vial'),
               sum(m.doses) FILTER (WHERE m.kind = 'wastage' AND m.reason = 'breakage'),
               sum(m.doses) FILTER (WHERE m.kind = 'wastage' AND m.reason = 'cold_chain'),
               sum(CASE WHEN e.side = 'to' THEN m.doses ELSE -m.doses END) FILTER (WHERE m.kind = 'adjustment')
        FROM platform.stock_movement m
        CROSS JOIN LATERAL (VALUES ('to', m.to_facility_id), ('from', m.from_facility_id)) e (side, facility_id)
        WHERE e.facility_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM etl.quarantine q WHERE q.source = 'stock_movement' AND q.source_id = m.id)
        GROUP BY 1, 2, 3"""):
        out[(f, lot, day)] = [x or 0 for x in v[:2]] + [0] + [x or 0 for x in v[2:]]
    for f, lot, day, n in rows(engine, f"""
        SELECT r.site_id, l.id, {VN_DAY % 'r.injected_at'}, count(*)
        FROM platform.dose_record r JOIN platform.vaccine_lot l ON l.lot_code = r.lot_code
        WHERE r.status = 'valid'
          AND NOT EXISTS (SELECT 1 FROM etl.quarantine q WHERE q.source = 'dose_record' AND q.source_id = r.id)
        GROUP BY 1, 2, 3"""):
        out.setdefault((f, lot, day), [0] * 8)[2] += n
    return {k: tuple(v) for k, v in out.items() if any(v)}


def flows_in_mart(engine: sa.Engine) -> dict[tuple, tuple]:
    return {(f, lot, day): tuple(v) for f, lot, day, *v in rows(engine, """
        SELECT facility_id, lot_id, day, received, issued, administered, wasted_expiry, wasted_open_vial,
               wasted_breakage, wasted_cold_chain, adjusted FROM mart.stock_lot_daily""")}


def test_the_lot_flows_equal_the_platform_s_rows_and_roll_up_exactly(supply):
    mart = flows_in_mart(supply)
    assert len(mart) > 1000
    assert mart == flows_from_platform(supply)
    # the area roll-up and its wastage total are the lot flows summed, nothing lost in the joins
    lot_totals = rows(supply, """SELECT sum(received), sum(issued), sum(administered), sum(wasted_expiry
        + wasted_open_vial + wasted_breakage + wasted_cold_chain), sum(adjusted) FROM mart.stock_lot_daily""")
    area_totals = rows(supply, "SELECT sum(received), sum(issued), sum(administered), sum(wasted), sum(adjusted)"
                               " FROM mart.stock_daily")
    assert lot_totals == area_totals
    assert scalar(supply, "SELECT count(*) FROM mart.stock_daily WHERE wasted <> wasted_expiry + wasted_open_vial"
                          " + wasted_breakage + wasted_cold_chain") == 0


def test_the_ledgers_are_the_running_sums_of_the_flows(supply):
    """Each ledger row is the state at the end of its day, written here as running sums over mart.stock_lot_daily,
    and stands until the next day with flows."""
    flows = """SELECT {key}, s.day, sum(s.received) AS r, sum(s.issued) AS i, sum(s.administered) AS a,
                      sum(s.wasted_expiry + s.wasted_open_vial + s.wasted_breakage + s.wasted_cold_chain) AS w,
                      sum(s.adjusted) AS j, bool_or(s.administered > 0 OR (f.level <> 'site' AND s.issued > 0)) AS used
               FROM mart.stock_lot_daily s JOIN ref.lot l ON l.id = s.lot_id JOIN ref.facility f ON f.id = s.facility_id
               JOIN ref.facility_area fa ON fa.id = s.facility_id GROUP BY {group}, s.day"""
    running = """SELECT {key}, day, lead(day) OVER w, sum(r) OVER w, sum(i) OVER w, sum(a) OVER w, sum(w) OVER w,
                        sum(j) OVER w, sum(r - i - a - w + j) OVER w, max(day) FILTER (WHERE used) OVER w
                 FROM ({flows}) f WINDOW w AS (PARTITION BY {key} ORDER BY day)"""
    area = "fa.area, fa.level, l.product_code"
    truth = rows(supply, running.format(key="area, level, product_code", flows=flows.format(key=area, group=area)))
    got = rows(supply, "SELECT area, level, product_code, day, until, received, issued, administered,"
                       " wasted_expiry + wasted_open_vial + wasted_breakage + wasted_cold_chain, adjusted, on_hand"
                       " FROM mart.stock_balance")
    assert len(got) > 1000
    assert sorted(got) == sorted(tuple(t[:11]) for t in truth)
    province = "coalesce(f.province_code::text, 'VN')"
    truth = rows(supply, running.format(key="province, level, lot_id",
                                        flows=flows.format(key=f"{province} AS province, f.level, s.lot_id",
                                                           group=f"{province}, f.level, s.lot_id")))
    got = rows(supply, "SELECT province, level, lot_id, day, until, received, issued, administered,"
                       " wasted_expiry + wasted_open_vial + wasted_breakage + wasted_cold_chain, adjusted, on_hand"
                       " FROM mart.stock_lot_balance")
    assert sorted(got) == sorted(tuple(t[:11]) for t in truth)
    # the provinces' day by day: the flows summed
    daily = "SELECT province, level, day, sum(r - i - a - w + j), sum(r - i), sum(a), sum(w) FROM ({flows}) f" \
            " GROUP BY 1, 2, 3"
    truth = rows(supply, daily.format(flows=flows.format(key=f"{province} AS province, f.level",
                                                         group=f"{province}, f.level")))
    got = rows(supply, "SELECT province, level, day, net, delivered, administered, wasted"
                       " FROM mart.stock_province_daily")
    assert sorted(got) == sorted(truth)
    truth = rows(supply, running.format(key="facility_id, product_code",
                                        flows=flows.format(key="s.facility_id, l.product_code",
                                                           group="s.facility_id, l.product_code")))
    got = rows(supply, "SELECT facility_id, product_code, day, until, received, issued, administered, wasted,"
                       " adjusted, on_hand, last_used FROM mart.stock_facility_balance")
    assert sorted(got) == sorted(truth)
    truth = rows(supply, running.format(key="facility_id, lot_id",
                                        flows=flows.format(key="s.facility_id, s.lot_id",
                                                           group="s.facility_id, s.lot_id")))
    got = rows(supply, "SELECT facility_id, lot_id, day, until, on_hand FROM mart.stock_facility_lot_balance")
    assert sorted(got) == sorted((*t[:4], t[9]) for t in truth)
    # out_since: the first day of the last run of days that ended without stock, up to the row's day
    ledgers: dict[tuple, list] = {}
    for f, p, day, on_hand, out_since in rows(supply, "SELECT facility_id, product_code, day, on_hand, out_since"
                                                      " FROM mart.stock_facility_balance ORDER BY 1, 2, 3"):
        ledgers.setdefault((f, p), []).append((day, on_hand, out_since))
    empty_runs = 0
    for days in ledgers.values():
        since = None
        for day, on_hand, out_since in days:
            since = None if on_hand > 0 else (since or day)
            assert out_since == since
            empty_runs += since == day
    assert empty_runs > 100


def test_allocations_per_province_and_product_equal_the_decisions(supply):
    # the decisions the ETL quarantined (another test of this module plants some) count nowhere
    truth = rows(supply, """SELECT province_code::text, product_code, sum(doses)::bigint
                            FROM platform.vaccine_allocation a
                            WHERE NOT EXISTS (SELECT 1 FROM etl.quarantine q WHERE q.source = 'vaccine_allocation'
                                              AND q.source_id = a.id)
                            GROUP BY 1, 2 ORDER BY 1, 2""")
    assert len(truth) > 20
    got = rows(supply, "SELECT province, product_code, sum(allocated)::bigint FROM mart.allocation_daily"
                       " GROUP BY 1, 2 ORDER BY 1, 2")
    assert got == truth


def test_changes_on_the_platform_reach_the_marts_as_a_rebuild_computes_them(supply):
    move, wastage = (r[0] for r in rows(supply, """
        (SELECT id FROM platform.stock_movement WHERE kind = 'transfer' ORDER BY id LIMIT 1) UNION ALL
        (SELECT id FROM platform.stock_movement WHERE kind = 'wastage' ORDER BY id LIMIT 1)"""))
    dose = scalar(supply, "SELECT min(id) FROM platform.dose_record WHERE status = 'valid'")
    with supply.begin() as conn:
        faults.change_row(conn, "stock_movement", move, doses=7, moved_at=sa.literal_column(
            "moved_at + interval '3 days'"))
        faults.change_row(conn, "stock_movement", wastage, reason="breakage")
        faults.void_dose(conn, dose)
        faults.add_allocation(conn, 10_000_001, "01", "AZD", 5000, "2021-09-19")
        faults.add_allocation(conn, 10_000_002, "XX", "AZD", 5000, "2021-09-19")  # no such province
        faults.add_allocation(conn, 10_000_003, "79", "PFZ", 700, "1900-01-01")   # an impossible date
    before = scalar(supply, "SELECT sum(allocated) FROM mart.allocation_daily")
    etl(supply)
    incremental = snapshot(supply)
    assert scalar(supply, "SELECT sum(allocated) FROM mart.allocation_daily") == before + 5000
    assert scalar(supply, "SELECT sum(wasted_breakage) FROM mart.stock_lot_daily") > 0
    assert flows_in_mart(supply) == flows_from_platform(supply)
    quarantined = dict(rows(supply, "SELECT source_id, rule_id FROM etl.quarantine"
                                    " WHERE source = 'vaccine_allocation'"))
    assert quarantined == {10_000_002: "A01_unknown_province_or_product", 10_000_003: "A02_impossible_date"}
    last = scalar(supply, "SELECT counts->'vaccine_allocation' FROM etl.run ORDER BY id DESC LIMIT 1")
    assert last == {"extracted": 3, "loaded": 1, "quarantined": 2}
    etl(supply, rebuild=True)
    assert snapshot(supply) == incremental
