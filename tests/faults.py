"""Faults planted in a simulated platform: small functions, each one fault, every value a bound parameter.

A fault is written to look as the platform would hold it: `LATER` stamps the change an hour after the
platform's newest change, so that an incremental ETL run reads it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import sqlalchemy as sa

LATER = "(SELECT max(updated_at) + interval '1 hour' FROM platform.dose_record)"

# Platform doses as the ETL counts them, by Vietnam day and the site's district.
DOSES = """
    SELECT f.district_code AS district, ((d.injected_at AT TIME ZONE 'UTC') + interval '7 hours')::date AS day,
           d.id, d.person_id, d.dose_number, d.product_code, d.injected_at, d.recorded_at
    FROM platform.dose_record d JOIN platform.facility f ON f.id = d.site_id
    WHERE d.status = 'valid' AND NOT EXISTS (SELECT 1 FROM etl.quarantine q WHERE q.source = 'dose_record'
                                             AND q.source_id = d.id)"""


def _run(conn: sa.Connection, sql: str, **params) -> None:
    conn.execute(sa.text(sql), params)


# ---------------------------------------------------------------- one dose record (tests/integration/test_etl.py)

def duplicate_dose(conn: sa.Connection, dose_id: int, new_id: int) -> None:
    """The dose entered a second time an hour later, under `new_id`."""
    _run(conn, "INSERT INTO platform.dose_record SELECT :new_id, person_id, site_id, lot_code, product_code, "
               "dose_number, injected_at, recorded_at + interval '1 hour', " + LATER + ", status, "
               "certificate_issued FROM platform.dose_record WHERE id = :id", id=dose_id, new_id=new_id)


def move_injection(conn: sa.Connection, dose_id: int, days: int, after: int | None = None) -> None:
    """The dose's injection moved `days` days from its own (or from dose `after`'s) injection."""
    _run(conn, "UPDATE platform.dose_record SET injected_at = (SELECT injected_at + make_interval(days => :days) "
               "FROM platform.dose_record WHERE id = :base), updated_at = " + LATER + " WHERE id = :id",
         id=dose_id, base=dose_id if after is None else after, days=days)


def set_injection(conn: sa.Connection, dose_id: int, at: datetime) -> None:
    _run(conn, "UPDATE platform.dose_record SET injected_at = :at, updated_at = " + LATER + " WHERE id = :id",
         id=dose_id, at=at)


def record_before_injection(conn: sa.Connection, dose_id: int, hours: int) -> None:
    _run(conn, "UPDATE platform.dose_record SET recorded_at = injected_at - make_interval(hours => :hours), "
               "updated_at = " + LATER + " WHERE id = :id", id=dose_id, hours=hours)


def set_lot(conn: sa.Connection, dose_id: int, lot_code: str) -> None:
    _run(conn, "UPDATE platform.dose_record SET lot_code = :lot, updated_at = " + LATER + " WHERE id = :id",
         id=dose_id, lot=lot_code)


def inject_after_expiry(conn: sa.Connection, dose_id: int, lot_code: str, days: int) -> None:
    """The dose given from `lot_code` `days` days after the lot expired (and entered two hours later)."""
    _run(conn, "UPDATE platform.dose_record SET lot_code = :lot, "
               "injected_at = (SELECT (expiry_date + :days)::timestamptz FROM platform.vaccine_lot "
               "WHERE lot_code = :lot), "
               "recorded_at = (SELECT (expiry_date + :days)::timestamptz + interval '2 hours' "
               "FROM platform.vaccine_lot WHERE lot_code = :lot), updated_at = " + LATER + " WHERE id = :id",
         id=dose_id, lot=lot_code, days=days)


def void_dose(conn: sa.Connection, dose_id: int) -> None:
    _run(conn, "UPDATE platform.dose_record SET status = 'voided', updated_at = " + LATER + " WHERE id = :id",
         id=dose_id)


# ---------------------------------------------------------------- a district's week (tests/integration/test_quality.py)
# These read the doses through a temporary view `dose_day` (DOSES), which `district_faults` creates.

@contextmanager
def district_faults(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A transaction on the platform with the view `dose_day` (DOSES) to pick the doses to spoil."""
    with engine.begin() as conn:
        _run(conn, "CREATE TEMPORARY VIEW dose_day AS " + DOSES)
        yield conn
        _run(conn, "DROP VIEW dose_day")


WEEK = "SELECT person_id FROM dose_day d WHERE d.district = :d AND d.day BETWEEN :s AND :e"


def drop_person_fields(conn: sa.Connection, district: str, start: date, end: date) -> None:
    """Birth date, residence commune and ID number missing, each for a fifth of the people vaccinated there."""
    week = {"d": district, "s": start, "e": end}
    _run(conn, "UPDATE platform.person SET birth_date = NULL, updated_at = now() WHERE id IN (" + WEEK + ") "
               "AND id % 5 = 0", **week)
    _run(conn, "UPDATE platform.person SET residence_commune = NULL, updated_at = now() WHERE id IN (" + WEEK + ") "
               "AND id % 5 = 1", **week)
    _run(conn, "UPDATE platform.person SET citizen_id = NULL, updated_at = now() WHERE id IN (" + WEEK + ") "
               "AND id % 5 = 2", **week)


def enter_late(conn: sa.Connection, district: str, start: date, end: date) -> None:
    """Half the week's doses entered three days late."""
    _run(conn, "UPDATE platform.dose_record SET recorded_at = injected_at + interval '3 days', updated_at = now() "
               "WHERE id IN (SELECT id FROM dose_day d WHERE d.district = :d AND d.day BETWEEN :s AND :e) "
               "AND id % 2 = 0", d=district, s=start, e=end)


def overstate_report(conn: sa.Connection, province: str, day: date) -> None:
    """The province reports twice its doses (and ten more) on one day."""
    _run(conn, "UPDATE platform.province_daily_report SET doses_reported = 2 * doses_reported + 10, "
               "updated_at = now() WHERE province_code = :p AND report_date = :day", p=province, day=day)


def shrink_deliveries(conn: sa.Connection, district: str) -> None:
    """Every delivery into the district store shrinks to one dose."""
    _run(conn, "UPDATE platform.stock_movement m SET doses = 1, updated_at = now() FROM platform.facility f "
               "WHERE f.id = m.to_facility_id AND f.kind = 'district_store' AND f.district_code = :d "
               "AND m.kind = 'transfer'", d=district)


def void_first_doses(conn: sa.Connection, district: str) -> None:
    """First doses voided for the people whose second dose was given in the district."""
    _run(conn, """UPDATE platform.dose_record SET status = 'voided', updated_at = now()
                  WHERE dose_number = 1 AND person_id IN (SELECT person_id FROM dose_day d
                                                          WHERE d.district = :d AND d.dose_number = 2)""",
         d=district)


def pile_onto_one_day(conn: sa.Connection, district: str, day: date) -> None:
    """The doses of the eight days from ten to three days before `day` moved onto `day`."""
    _run(conn, """UPDATE platform.dose_record r SET
                    injected_at = r.injected_at + (:day - d.day) * interval '1 day',
                    recorded_at = r.recorded_at + (:day - d.day) * interval '1 day', updated_at = now()
                  FROM dose_day d WHERE d.id = r.id AND d.district = :d
                    AND d.day BETWEEN CAST(:day AS date) - 10 AND CAST(:day AS date) - 3""", d=district, day=day)


def enter_twice(conn: sa.Connection, district: str, start: date, end: date, count: int) -> None:
    """The first `count` doses of the district's week entered a second time."""
    _run(conn, """INSERT INTO platform.dose_record (id, person_id, site_id, lot_code, product_code,
                      dose_number, injected_at, recorded_at, updated_at, status)
                  SELECT (SELECT max(id) FROM platform.dose_record) + row_number() OVER (ORDER BY r.id),
                         r.person_id, r.site_id, r.lot_code, r.product_code, r.dose_number, r.injected_at,
                         r.recorded_at, now(), 'valid'
                  FROM platform.dose_record r
                  WHERE r.id IN (SELECT id FROM dose_day d WHERE d.district = :d
                                 AND d.day BETWEEN :s AND :e ORDER BY id LIMIT :n)""",
         d=district, s=start, e=end, n=count)
