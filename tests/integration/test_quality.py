"""The data-quality page: every check quiet on clean data, firing on a fault planted in the platform, and its
figures equal to SQL written here against the platform's own tables (platform -> ETL -> page)."""

from __future__ import annotations

import statistics
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from common.settings import Settings
from dashboard.app import create_app
from etl.pipeline import run
from etl.simulator.engine import simulate
from tests import faults
from tests.conftest import rows, scalar
from tests.faults import DOSES
from tests.integration.test_dashboard import find, render, text_of
from tests.signin import add_accounts

AS_OF = date(2021, 10, 24)                     # a Sunday: the week 18/10 - 24/10/2021
START = AS_OF - timedelta(days=6)
PROVINCE = "79"            # every fault but the report's is planted in a district of this province
REPORTING = "01"           # the province whose hand report is planted
PROVINCE_STORE_FAULT = "001"  # a district of Hà Nội (01): its province store issues from an empty shelf
SETTINGS = Settings(pseudonym_key="k")


@pytest.fixture(scope="module")
def clean_template(make_database):
    """A clean platform (every dose entered on its day, no faults), through the ETL: only ever copied."""
    engine = make_database()
    simulate(engine, scale=0.002, seed=23, until="2021-10-31", perfect=True)
    with engine.begin() as conn:  # the simulator leaves ID numbers missing even then (children, old ID cards)
        conn.execute(sa.text("UPDATE platform.person SET citizen_id = lpad(id::text, 12, '0') "
                             "WHERE citizen_id IS NULL OR citizen_id !~ '^[0-9]{12}$'"))
    etl(engine)
    add_accounts(engine)
    return engine


@pytest.fixture(scope="module")
def platform(clean_template, make_database):
    """The clean platform, its own copy: the faults are planted in another."""
    return make_database(template=clean_template)


@pytest.fixture(scope="module")
def faulty(clean_template, make_database):
    """Another copy of the clean platform, which `planted` plants its faults in."""
    return make_database(template=clean_template)


def etl(engine: sa.Engine) -> None:
    run(SETTINGS, engine, engine.url.render_as_string(hide_password=False))


def scorecard(engine: sa.Engine, tmp_path, area: str | None = None, lang: str = "vi", as_of: date = AS_OF):
    """The page's scorecard rows by area (a new app each time: no cache from before a plant)."""
    app = create_app(Settings(database_url=engine.url.render_as_string(hide_password=False), data_dir=tmp_path,
                              warm_cache=False))
    try:
        tree = render(app, "pages.quality", area=area, date=as_of.isoformat(), lang=lang)
    finally:  # each call's app has its own pool: closed now, not when collected (the server's clients are few)
        app.server.config["DATA"].engine.dispose()
    grid = find(tree, {"type": "grid", "index": "dq-scorecard"})
    assert grid is not None, text_of(tree)
    key = "day" if area and len(area) == 3 else "area"
    return {r[key]: r for r in grid["props"]["rowData"]}, tree


def districts_with_doses(engine, n: int) -> list[str]:
    return [r[0] for r in rows(engine, f"""
        SELECT district FROM ({DOSES}) x JOIN ref.district d ON d.code = x.district
        WHERE d.province_code = :p AND x.day BETWEEN :s AND :e GROUP BY district HAVING count(*) >= 40
        ORDER BY count(*) DESC LIMIT :n""", p=PROVINCE, s=START, e=AS_OF, n=n)]


def test_clean_data_raises_no_flag(platform, tmp_path):
    nation, _ = scorecard(platform, tmp_path)
    assert len(nation) == 63
    for code, row in nation.items():
        if row["doses"] == 0:
            continue
        assert row["fields"] == 1 and row["timeliness"] == 1, code
        assert row["stock_bad"] == 0 and row["dropout_bad"] == 0 and row["quarantined"] == 0, code
        assert row["report"] in (1, None), code
    # doses of the week per province equal the platform's
    truth = dict(rows(platform, f"""SELECT d.province_code, count(*) FROM ({DOSES}) x
                                    JOIN ref.district d ON d.code = x.district
                                    WHERE x.day BETWEEN :s AND :e GROUP BY 1""", s=START, e=AS_OF))
    assert {k: v["doses"] for k, v in nation.items() if v["doses"]} == truth
    ranks = sorted(r["rank"] for r in nation.values())
    assert ranks[0] == 1 and ranks[-1] <= 63


@pytest.fixture(scope="module")
def planted(faulty, tmp_path_factory):
    """One fault of each kind planted in its own district of province 79, then an incremental ETL run."""
    before, _ = scorecard(faulty, tmp_path_factory.mktemp("before"), area=PROVINCE)
    fields, late, stock, dropout, spike, dupes, overdrawn, emptied = districts_with_doses(faulty, 8)
    spike_day = AS_OF - timedelta(days=1)
    with faults.district_faults(faulty) as conn:
        faults.drop_person_fields(conn, fields, START, AS_OF)
        faults.enter_late(conn, late, START, AS_OF)
        faults.overstate_report(conn, REPORTING, AS_OF - timedelta(days=2))  # another province's hand report
        faults.shrink_deliveries(conn, stock)
        faults.void_first_doses(conn, dropout)
        faults.pile_onto_one_day(conn, spike, spike_day)
        faults.enter_twice(conn, dupes, START, AS_OF, 20)  # quarantine
        site = faults.give_from_a_lot_never_received(conn, overdrawn, START, AS_OF)
        store = faults.issue_from_an_empty_store(conn, emptied, AS_OF - timedelta(days=3))
        province_store = faults.issue_from_an_empty_store(conn, PROVINCE_STORE_FAULT, AS_OF - timedelta(days=2),
                                                          "province")
    etl(faulty)
    after, tree = scorecard(faulty, tmp_path_factory.mktemp("after"), area=PROVINCE)
    return {"before": before, "after": after, "tree": tree, "fields": fields, "late": late, "stock": stock,
            "dropout": dropout, "spike": spike, "dupes": dupes, "spike_day": spike_day, "overdrawn": overdrawn,
            "emptied": emptied, "site": site, "store": store, "province_store": province_store}


def test_required_fields_check_fires_and_counts_what_the_platform_holds(planted, faulty):
    d = planted["fields"]
    assert planted["before"][d]["fields"] == 1
    row = planted["after"][d]
    counts = rows(faulty, f"""
        SELECT count(*), count(*) FILTER (WHERE p.birth_date IS NULL),
               count(*) FILTER (WHERE p.residence_commune IS NULL),
               count(*) FILTER (WHERE id_bad),
               count(*) FILTER (WHERE p.birth_date IS NULL OR p.residence_commune IS NULL OR id_bad)
        FROM ({DOSES}) x JOIN platform.person p ON p.id = x.person_id,
        LATERAL (SELECT (nullif(p.citizen_id, '') IS NOT NULL AND p.citizen_id !~ '^[0-9]{{12}}$')
                        OR (nullif(p.citizen_id, '') IS NULL AND (p.birth_date IS NULL
                                                     OR age(x.day, p.birth_date) >= interval '18 years')) AS id_bad) b
        WHERE x.district = :d AND x.day BETWEEN :s AND :e""", d=d, s=START, e=AS_OF)[0]
    total, birth, home, ident, incomplete = counts
    assert birth > 0 and home > 0 and ident > 0
    assert (row["birth_missing"], row["residence_missing"], row["id_bad"]) == (birth, home, ident)
    assert row["fields"] == pytest.approx((total - incomplete) / total)
    others = [r for k, r in planted["after"].items() if k != d and r["doses"]]
    assert all(r["fields"] == 1 for r in others)


def test_people_without_residence_are_counted_where_vaccinated(planted, faulty):
    """A missing residence commune moves the person to the site's district, and loses no one."""
    people = scalar(faulty, "SELECT count(DISTINCT person_id) FROM platform.dose_record d WHERE status = 'valid' "
                              "AND NOT EXISTS (SELECT 1 FROM etl.quarantine q WHERE q.source = 'dose_record' "
                              "AND q.source_id = d.id)")
    assert scalar(faulty, "SELECT count(*) FROM staging.person_milestone") == people
    assert scalar(faulty, "SELECT count(*) FROM staging.person_milestone WHERE residence_district = '' OR "
                            "residence_district NOT IN (SELECT code FROM ref.district)") == 0
    unknown_age = scalar(faulty, "SELECT count(*) FROM staging.person_milestone WHERE age_band = -1")
    assert unknown_age > 0
    assert unknown_age == scalar(faulty, f"SELECT count(DISTINCT x.person_id) FROM ({DOSES}) x "
                                           "JOIN platform.person p ON p.id = x.person_id WHERE p.birth_date IS NULL")


def test_timeliness_check_fires(planted, faulty):
    d = planted["late"]
    total, within = rows(faulty, f"""
        SELECT count(*), count(*) FILTER (WHERE ((recorded_at AT TIME ZONE 'UTC') + interval '7 hours')::date
                                                - day <= 1)
        FROM ({DOSES}) x WHERE x.district = :d AND x.day BETWEEN :s AND :e""", d=d, s=START, e=AS_OF)[0]
    assert planted["before"][d]["timeliness"] == 1
    assert planted["after"][d]["timeliness"] == pytest.approx(within / total)
    assert within / total < 0.7


def test_report_check_fires_for_the_province(planted, faulty, tmp_path):
    nation, _ = scorecard(faulty, tmp_path)
    assert nation[REPORTING]["report_off_days"] == 1
    assert nation[REPORTING]["report"] == pytest.approx(6 / 7)
    assert all(r["report"] in (1, None) for k, r in nation.items() if k not in (REPORTING, PROVINCE))
    platform_doses, reported = rows(faulty, """
        SELECT (SELECT count(*) FROM platform.dose_record d JOIN platform.facility f ON f.id = d.site_id
                WHERE f.province_code = :p AND d.status = 'valid'
                  AND ((d.injected_at AT TIME ZONE 'UTC') + interval '7 hours')::date BETWEEN :s AND :e
                  AND NOT EXISTS (SELECT 1 FROM etl.quarantine q
                                  WHERE q.source = 'dose_record' AND q.source_id = d.id)),
               (SELECT sum(doses_reported) FROM platform.province_daily_report WHERE province_code = :p
                AND report_date BETWEEN :s AND :e)""", p=REPORTING, s=START, e=AS_OF)[0]
    assert nation[REPORTING]["report_ratio"] == pytest.approx(platform_doses / reported)


def test_stock_check_fires_when_administered_exceeds_delivered(planted, faulty):
    d = planted["stock"]
    assert planted["before"][d]["stock_bad"] == 0
    assert planted["after"][d]["stock_bad"] == 1
    delivered, administered = rows(faulty, f"""
        WITH area AS (SELECT id FROM platform.facility WHERE district_code = :d AND kind IN ('district_store', 'site')),
        moves AS (SELECT * FROM platform.stock_movement
                  WHERE kind = 'transfer' AND ((moved_at AT TIME ZONE 'UTC') + interval '7 hours')::date <= :e)
        SELECT (SELECT coalesce(sum(doses), 0) FROM moves WHERE to_facility_id IN (SELECT id FROM area)
                  AND from_facility_id NOT IN (SELECT id FROM area))
               - (SELECT coalesce(sum(doses), 0) FROM moves WHERE from_facility_id IN (SELECT id FROM area)
                  AND to_facility_id NOT IN (SELECT id FROM area)),
               (SELECT count(*) FROM ({DOSES}) x WHERE x.district = :d AND x.day <= :e)""", d=d, e=AS_OF)[0]
    row = planted["after"][d]
    assert (row["delivered"], row["administered"]) == (delivered, administered)
    stock_faults = {d, planted["overdrawn"], planted["emptied"]}
    assert sum(r["stock_bad"] for k, r in planted["after"].items() if k not in stock_faults) == 0


# Per facility and lot, the stock at the end of each day, from the platform's movements and valid doses.
LEDGER = """
    WITH flows AS (
        SELECT to_facility_id AS facility, lot_id AS lot, moved_at AS at, doses FROM platform.stock_movement
        WHERE to_facility_id IS NOT NULL
        UNION ALL
        SELECT from_facility_id, lot_id, moved_at, -doses FROM platform.stock_movement
        WHERE from_facility_id IS NOT NULL
        UNION ALL
        SELECT d.site_id, l.id, d.injected_at, -1
        FROM platform.dose_record d JOIN platform.vaccine_lot l ON l.lot_code = d.lot_code
        WHERE d.status = 'valid' AND NOT EXISTS (SELECT 1 FROM etl.quarantine q WHERE q.source = 'dose_record'
                                                 AND q.source_id = d.id)),
    daily AS (SELECT facility, lot, ((at AT TIME ZONE 'UTC') + interval '7 hours')::date AS day, sum(doses) AS net
              FROM flows GROUP BY 1, 2, 3)
    SELECT facility, lot, day, sum(net) OVER (PARTITION BY facility, lot ORDER BY day) AS on_hand FROM daily"""


@pytest.mark.parametrize("fault", ["overdrawn", "emptied"])
def test_stock_check_fires_where_a_ledger_goes_below_zero_and_only_there(planted, faulty, fault):
    d = planted[fault]
    short = dict(rows(faulty, f"""SELECT DISTINCT x.facility, f.district_code FROM ({LEDGER}) x
                                  JOIN platform.facility f ON f.id = x.facility WHERE on_hand < 0 AND day <= :e""",
                      e=AS_OF))
    # the faults are in the platform's own rows, and nothing is short but in the districts of stock faults
    assert short[planted["site"]] == planted["overdrawn"] and short[planted["store"]] == planted["emptied"]
    assert {v for k, v in short.items() if k != planted["province_store"]} <= {
        planted["stock"], planted["overdrawn"], planted["emptied"]}
    assert planted["before"][d]["stock_bad"] == 0
    row = planted["after"][d]
    assert (row["stock_bad"], row["stock"], row["short_ledgers"]) == (1, 0, 1)
    # the ledger is short, not the district's totals: delivered still covers administered
    assert row["delivered"] >= row["administered"]


def test_negative_dropout_is_flagged(planted, faulty):
    d = planted["dropout"]
    assert planted["before"][d]["dropout_bad"] == 0
    first, second = rows(faulty, f"""
        SELECT count(*) FILTER (WHERE x.dose_number = 1 AND x.day <= CAST(:e AS date) - p.min_interval_days),
               count(*) FILTER (WHERE x.dose_number = 2)
        FROM ({DOSES}) x JOIN platform.vaccine_product p ON p.code = x.product_code
        WHERE x.district = :d AND x.day <= :e AND p.primary_doses >= 2""", d=d, e=AS_OF)[0]
    row = planted["after"][d]
    assert second > first and row["dropout_bad"] == 1
    assert row["dropout_rate"] == pytest.approx((first - second) / first)
    assert sum(r["dropout_bad"] for k, r in planted["after"].items() if k != d) == 0


def test_outlier_day_is_flagged_with_the_modified_z_score(planted, faulty):
    d, day = planted["spike"], planted["spike_day"]
    series = dict(rows(faulty, f"SELECT x.day, count(*) FROM ({DOSES}) x WHERE x.district = :d GROUP BY 1", d=d))
    history = [series.get(day - timedelta(days=k), 0) for k in range(56, 0, -1)]
    med = statistics.median(history)
    mad = statistics.median(abs(v - med) for v in history)
    z = 0.6745 * (series[day] - med) / mad if mad else (series[day] - med) / (
        1.253314 * statistics.fmean(abs(v - med) for v in history))
    assert z > 5
    assert planted["after"][d]["extreme_days"] >= 1
    # the district's own page shows the day with its z-score
    days = planted_days(faulty, d)
    assert days[day.isoformat()]["z"] == pytest.approx(z)


def planted_days(faulty, district):
    import tempfile
    from pathlib import Path

    rows_, _ = scorecard(faulty, Path(tempfile.mkdtemp()), area=district)
    return rows_


def test_quarantine_counts_rows_by_rule(planted, faulty):
    d = planted["dupes"]
    assert planted["before"][d]["quarantined"] == 0
    assert planted["after"][d]["quarantined"] == 20
    assert scalar(faulty, "SELECT count(*) FROM etl.quarantine WHERE rule_id = 'D01_duplicate'") >= 20
    table = {r["rule_id"]: r for r in find(planted["tree"], {"type": "grid", "index": "dq-quarantine"})["props"]
             ["rowData"]}
    assert table["D01_duplicate"]["text"].startswith("Mũi tiêm trùng lặp")
    assert table["D01_duplicate"]["rows"] == scalar(faulty, """
        SELECT count(*) FROM etl.quarantine q JOIN platform.dose_record d ON d.id = q.source_id
        JOIN platform.facility f ON f.id = d.site_id WHERE q.source = 'dose_record' AND q.rule_id = 'D01_duplicate'
        AND f.province_code = :p""", p=PROVINCE)
    assert {"F03_missing_birth_date", "F04_missing_residence"} <= set(table)  # every rule's text is listed


def test_composite_score_and_rank(planted):
    rows_ = list(planted["after"].values())
    checks = ("fields", "timeliness", "report", "stock", "dropout", "outliers", "quarantine")
    for r in rows_:
        values = [r[c] for c in checks if r[c] is not None]
        assert r["score"] == pytest.approx(100 * sum(values) / len(values))
    by_score = sorted(rows_, key=lambda r: -r["score"])
    assert [r["rank"] for r in by_score] == sorted(r["rank"] for r in rows_)
    for key in ("fields", "late", "stock", "dropout"):  # each planted fault costs its district score
        code = planted[key]
        assert planted["after"][code]["score"] < planted["before"][code]["score"]
    assert all(r["rank_change"] is not None for r in rows_)


def test_bad_date_and_area_are_refused(platform, tmp_path):
    app = create_app(Settings(database_url=platform.url.render_as_string(hide_password=False), data_dir=tmp_path,
                              warm_cache=False))
    for query in ({"date": "2021-13-01"}, {"date": "2020-01-01"}, {"area": "99"}, {"area": "x'; drop"}):
        assert "Tham số không hợp lệ" in text_of(render(app, "pages.quality", **query)), query


def test_a_province_store_short_of_stock_fails_its_province_and_no_district(planted, faulty, tmp_path):
    nation, _ = scorecard(faulty, tmp_path)
    assert nation["01"]["stock_bad"] == 1 and nation["01"]["short_ledgers"] == 1
    # Hà Nội's own districts are all clean: the store above them is short
    hanoi, _ = scorecard(faulty, tmp_path / "01", area="01")
    assert sum(r["stock_bad"] for r in hanoi.values()) == 0
    # in the nation, only province 79 (where the district faults are) and 01 fail the stock check
    assert {k for k, r in nation.items() if r["stock_bad"]} == {"79", "01"}
    short = rows(faulty, f"SELECT DISTINCT facility FROM ({LEDGER}) x WHERE on_hand < 0 AND day <= :e", e=AS_OF)
    assert (planted["province_store"],) in short
