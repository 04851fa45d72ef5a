"""The simulator's planted stock faults (sim.stock_fault, its ground truth) each fire their check and only there:
a site giving doses it never received and a store issuing from an empty shelf fail the data-quality stock check
of their district and province, doses from an expired lot are quarantined by rule D08; and the check fails
nowhere but where the platform's own ledger (written here in SQL) goes below zero."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import rows, scalar
from tests.integration.test_quality import LEDGER, scorecard
from tests.signin import add_accounts

UNTIL = "2021-12-31"


@pytest.fixture(scope="module")
def loaded(loaded_database):
    engine = loaded_database(0.002, 31, UNTIL)
    add_accounts(engine)
    return engine


def _faults(engine, kinds: tuple[str, ...]) -> list[tuple]:
    """(kind, facility, level, province, district) of the planted faults of these kinds."""
    return rows(engine, """
        SELECT s.kind, s.facility_id, f.kind, f.province_code, f.district_code
        FROM sim.stock_fault s JOIN platform.facility f ON f.id = s.facility_id
        WHERE s.kind = ANY(:kinds)""", kinds=list(kinds))


def test_the_simulator_plants_every_kind_of_stock_fault(loaded):
    kinds = {k for (k,) in rows(loaded, "SELECT DISTINCT kind FROM sim.stock_fault")}
    assert {"site_overdraw", "empty_store", "expired_use"} <= kinds


def test_ledger_faults_fail_the_stock_check_of_their_area_and_only_where_the_ledger_is_short(loaded, tmp_path):
    as_of = scalar(loaded, "SELECT max(day) FROM mart.doses_daily")
    assert as_of >= date(2021, 12, 1)
    planted = _faults(loaded, ("site_overdraw", "empty_store"))
    assert planted
    # the platform's own ledgers below zero: the planted faults, and the doses the simulator entered on a wrong
    # day or at a wrong site (a dose before its lot reached the site is a fault of the data too)
    short = rows(loaded, f"""SELECT DISTINCT f.province_code, f.district_code FROM ({LEDGER}) x
                             JOIN platform.facility f ON f.id = x.facility WHERE x.on_hand < 0 AND x.day <= :e""",
                 e=as_of)
    nation, _ = scorecard(loaded, tmp_path, as_of=as_of)
    failing = {k for k, r in nation.items() if r["stock_bad"]}
    assert {p for _, _, level, p, _ in planted if level != "national_store"} <= failing
    assert failing == {p for p, _ in short}
    for province in sorted({p for _, _, _, p, _ in planted})[:3]:
        districts, _ = scorecard(loaded, tmp_path / province, area=province, as_of=as_of)
        failing = {k for k, r in districts.items() if r["stock_bad"]}
        assert {d for _, _, _, p, d in planted if p == province} <= failing, province
        assert failing == {d for p, d in short if p == province and d is not None}, province


def test_doses_from_an_expired_lot_are_quarantined_by_d08(loaded):
    planted = rows(loaded, "SELECT facility_id, lot_id, day, doses FROM sim.stock_fault WHERE kind = 'expired_use'")
    assert planted
    for site, lot, day, doses in planted:
        caught = scalar(loaded, """
            SELECT count(*) FROM platform.dose_record r
            JOIN platform.vaccine_lot l ON l.lot_code = r.lot_code
            JOIN etl.quarantine q ON q.source = 'dose_record' AND q.source_id = r.id AND q.rule_id = 'D08_lot_expired'
            WHERE r.site_id = :site AND l.id = :lot
              AND ((r.injected_at AT TIME ZONE 'UTC') + interval '7 hours')::date = :day""",
                        site=site, lot=lot, day=day)
        assert caught >= min(doses, 1), (site, lot, day)

