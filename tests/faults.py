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


def give_from_a_lot_never_received(conn: sa.Connection, district: str, start: date, end: date) -> int:
    """A site of the district gives 5 of its doses of the week from a lot of the same product, in date, that it
    never received: its stock of that lot goes below zero. Returns the site's id."""
    site = conn.execute(sa.text("""
        SELECT d.site_id FROM (""" + DOSES + """) x JOIN platform.dose_record d ON d.id = x.id
        WHERE x.district = :d AND x.day BETWEEN :s AND :e GROUP BY d.site_id ORDER BY count(*) DESC, d.site_id
        LIMIT 1"""), {"d": district, "s": start, "e": end}).scalar_one()
    _run(conn, """
        WITH given AS (SELECT d.id, d.product_code FROM (""" + DOSES + """) x JOIN platform.dose_record d ON d.id = x.id
                       WHERE d.site_id = :site AND x.day BETWEEN :s AND :e ORDER BY d.id LIMIT 5),
        other AS (SELECT DISTINCT ON (l.product_code) l.product_code, l.lot_code FROM platform.vaccine_lot l
                  WHERE l.expiry_date > :e AND l.id NOT IN (SELECT lot_id FROM platform.stock_movement
                                                            WHERE to_facility_id = :site)
                  ORDER BY l.product_code, l.id)
        UPDATE platform.dose_record r SET lot_code = o.lot_code, updated_at = """ + LATER + """
        FROM given g JOIN other o ON o.product_code = g.product_code WHERE r.id = g.id""",
         site=site, s=start, e=end)
    return site


def issue_from_an_empty_store(conn: sa.Connection, district: str, day: date, level: str = "district") -> int:
    """The district's store (level "district") or its province's store (level "province") sends 10 doses of a
    lot it never held down to a facility below it in the district. Returns the store's id."""
    store = conn.execute(sa.text(
        "SELECT id FROM platform.facility WHERE kind = 'district_store' AND district_code = :d" if level == "district"
        else "SELECT id FROM platform.facility WHERE kind = 'province_store' AND province_code = "
             "(SELECT province_code FROM platform.district WHERE code = :d)"), {"d": district}).scalar_one()
    below = "site" if level == "district" else "district_store"
    _run(conn, """
        INSERT INTO platform.stock_movement (id, lot_id, from_facility_id, to_facility_id, doses, kind, moved_at,
                                             recorded_at, updated_at)
        SELECT (SELECT max(id) + 1 FROM platform.stock_movement),
               (SELECT min(id) FROM platform.vaccine_lot WHERE id NOT IN (
                    SELECT lot_id FROM platform.stock_movement WHERE to_facility_id = :store)),
               :store, (SELECT min(id) FROM platform.facility WHERE kind = :below AND district_code = :d), 10,
               'transfer', CAST(:day AS timestamp) + interval '3 hours', CAST(:day AS timestamp) + interval '4 hours',
               """ + LATER, store=store, below=below, d=district, day=day)
    return store


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


# ------------------------------------------------------- any platform row (tests/integration/test_etl_hardening.py)
# Values are bound: a timestamp may be a datetime or PostgreSQL's text for one ('infinity', '1900-01-01').
PLATFORM_TABLES = ("person", "dose_record", "stock_movement", "vaccine_allocation", "province_daily_report",
                   "test_sample", "identity_verification", "citizen_feedback")


def _table(name: str, *columns: str) -> sa.TableClause:
    if name not in PLATFORM_TABLES:
        raise ValueError(f"not a platform table with rows to change: {name}")
    return sa.table(name, *(sa.column(c) for c in columns), schema="platform")


def change_row(conn: sa.Connection, table: str, row_id: int, **values) -> None:
    """Platform row `row_id` of `table` with new `values`, stamped LATER unless `updated_at` is one of them."""
    values.setdefault("updated_at", sa.literal_column(LATER))
    t = _table(table, "id", *values)
    conn.execute(sa.update(t).where(t.c.id == row_id).values(**values))


def change_report(conn: sa.Connection, province: str, day: date, doses: int,
                  updated_at: datetime | str | None = None) -> None:
    t = _table("province_daily_report", "province_code", "report_date", "doses_reported", "updated_at")
    stamp = sa.literal_column(LATER) if updated_at is None else updated_at
    conn.execute(sa.update(t).where(t.c.province_code == province, t.c.report_date == day)
                 .values(doses_reported=doses, updated_at=stamp))


def add_report(conn: sa.Connection, province: str, day: date | str, doses: int) -> None:
    """A hand report for `day` (a date, or PostgreSQL's text for one: 'infinity')."""
    _run(conn, "INSERT INTO platform.province_daily_report VALUES (:p, CAST(:day AS date), :doses, now(), now())",
         p=province, day=day, doses=doses)


def add_receipt(conn: sa.Connection, movement_id: int, store: int, doses: int, at: datetime | str,
                updated_at: datetime | str | None = None) -> None:
    """A receipt of `doses` from the first lot into `store`, moved and entered at `at`."""
    _run(conn, "INSERT INTO platform.stock_movement (id, lot_id, from_facility_id, to_facility_id, doses, kind, "
               "moved_at, recorded_at, updated_at) SELECT :id, (SELECT min(id) FROM platform.vaccine_lot), NULL, "
               ":store, :doses, 'receipt', CAST(:at AS timestamptz), CAST(:at AS timestamptz) + interval '1 hour', "
               "coalesce(CAST(:stamp AS timestamptz), " + LATER + ")",
         id=movement_id, store=store, doses=doses, at=at, stamp=updated_at)


def add_allocation(conn: sa.Connection, allocation_id: int, province: str, product: str, doses: int,
                   day: date | str, decision_no: str = "9999/QĐ-BYT") -> None:
    """An allocation decision of `doses` of `product` for `province` on `day` (a date, or text: '1900-01-01')."""
    _run(conn, "INSERT INTO platform.vaccine_allocation VALUES (:id, :no, CAST(:day AS date), :p, :product, :doses, "
               + LATER + ")", id=allocation_id, no=decision_no, day=day, p=province, product=product, doses=doses)


def read_rows(engine: sa.Engine, table: str, ids: list[int]) -> list[sa.Row]:
    t = _table(table, "id")
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.text("*")).select_from(t).where(t.c.id.in_(ids))).all()


def put_back(conn: sa.Connection, table: str, saved: list[sa.Row]) -> None:
    """Platform rows as they were when read (SELECT *), whatever was changed in them since."""
    for r in saved:
        t = _table(table, *r._fields)
        conn.execute(sa.delete(t).where(t.c.id == r.id))
        conn.execute(sa.insert(t).values(**r._mapping))


def drop_keys_to_person(conn: sa.Connection, *tables: str) -> None:
    """A platform that does not enforce the person key (a view, a replica, a late table)."""
    names = conn.execute(sa.text(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE confrelid = 'platform.person'::regclass"
        " AND conrelid::regclass::text = ANY(:t)"), {"t": [f"platform.{_table(t).name}" for t in tables]}).all()
    for table, name in names:
        # identifiers from the catalog, quoted by PostgreSQL's own rules
        conn.execute(sa.text(f"ALTER TABLE {table} DROP CONSTRAINT "
                             + conn.dialect.identifier_preparer.quote_identifier(name)))


def copy_person(conn: sa.Connection, new_id: int, like: int, residence: bool = True,
                updated_at: datetime | str | None = None) -> None:
    """A new person, a copy of person `like` (without a residence commune unless `residence`), stamped
    `updated_at` (default: their creation, in the past)."""
    _run(conn, "INSERT INTO platform.person SELECT :new, full_name, citizen_id, birth_date, sex, phone, "
               "CASE WHEN :residence THEN residence_commune END, created_at, "
               "coalesce(CAST(:stamp AS timestamptz), created_at) FROM platform.person WHERE id = :like",
         new=new_id, like=like, residence=residence, stamp=updated_at)


def copy_first_dose(conn: sa.Connection, new_id: int, person_id: int, like_person: int,
                    updated_at: datetime | str | None = None) -> None:
    """Person `person_id` given the earliest valid dose of `like_person` again, as a first dose, under `new_id`,
    stamped `updated_at` (default: when it was entered)."""
    _run(conn, "INSERT INTO platform.dose_record SELECT :new, :person, site_id, lot_code, product_code, 1, "
               "injected_at, recorded_at, coalesce(CAST(:stamp AS timestamptz), recorded_at), 'valid', false "
               "FROM platform.dose_record WHERE person_id = :like AND status = 'valid' ORDER BY injected_at, id "
               "LIMIT 1", new=new_id, person=person_id, like=like_person, stamp=updated_at)


def copy_check(conn: sa.Connection, new_id: int, person_id: int, like_person: int | None = None,
               updated_at: datetime | str | None = None) -> None:
    """An identity check of `person_id`, a copy of the first check of `like_person` (or the first of all)."""
    _run(conn, "INSERT INTO platform.identity_verification SELECT :new, :person, checked_at, outcome, "
               "mismatched_fields, coalesce(CAST(:stamp AS timestamptz), updated_at) "
               "FROM platform.identity_verification WHERE :like IS NULL OR person_id = :like ORDER BY id LIMIT 1",
         new=new_id, person=person_id, like=like_person, stamp=updated_at)


def copy_feedback(conn: sa.Connection, new_id: int, person_id: int) -> None:
    """A feedback item of `person_id` on no dose record, a copy of the first of all."""
    _run(conn, "INSERT INTO platform.citizen_feedback SELECT :new, :person, NULL, category, received_at, "
               "resolved_at, status, updated_at FROM platform.citizen_feedback ORDER BY id LIMIT 1",
         new=new_id, person=person_id)
