"""Reference data: the platform's administrative units, vaccine products and population, refreshed into ref.*."""

from __future__ import annotations

from pathlib import Path

import psycopg2.extras
from psycopg2 import sql

from etl.source_contract import ContractError, platform_cursor

REFRESH = Path(__file__).resolve().parent.parent / "sql" / "etl" / "refresh_reference.sql"


def refresh(platform_url: str, same_database: bool, cur) -> None:
    """Bring the administrative units, products and population of ref.* in line with the platform's."""
    queries = {
        "province": "SELECT code, name, name_with_type, kind FROM platform.province",
        "district": "SELECT code, province_code, name, name_with_type, kind FROM platform.district",
        "commune": "SELECT code, district_code, name, name_with_type, kind FROM platform.commune",
        "product": "SELECT code, name, manufacturer, primary_doses, min_interval_days, doses_per_vial, min_age_years"
                   " FROM platform.vaccine_product",
        "pop": "SELECT commune_code, age_band, sum(population)::bigint FROM platform.population GROUP BY 1, 2",
    }
    data = {}
    with platform_cursor(None if same_database else platform_url, cur) as pcur:
        for name, q in queries.items():
            pcur.execute(q)
            data[name] = pcur.fetchall()
    for name in ("province", "district", "commune", "product"):
        cur.execute(sql.SQL("CREATE TEMP TABLE {} (LIKE {}) ON COMMIT DROP").format(
            sql.Identifier(f"_ref_{name}"), sql.Identifier("ref", name)))
    cur.execute("CREATE TEMP TABLE _ref_pop (commune_code text, age_band text, population bigint) ON COMMIT DROP")
    for name, rows in data.items():
        insert = sql.SQL("INSERT INTO {} VALUES %s").format(sql.Identifier(f"_ref_{name}")).as_string(cur)
        psycopg2.extras.execute_values(cur, insert, rows, page_size=5000)
    cur.execute(_ORPHANED_ACCOUNTS)
    orphaned = cur.fetchall()
    if orphaned:
        raise ContractError("reference: " + "; ".join(
            f"province {code} ({name}) is no longer on the platform but accounts are tied to it: {who}"
            for code, name, who in orphaned) + " (ref.province keeps it until they are removed from auth.user)")
    cur.execute(REFRESH.read_text(encoding="utf-8"))


# A province that vanished from the platform cannot leave ref.province while an account points at it.
_ORPHANED_ACCOUNTS = """
    SELECT p.code, p.name, string_agg(u.username, ', ' ORDER BY u.username)
    FROM ref.province p JOIN auth."user" u ON u.province_code = p.code
    WHERE NOT EXISTS (SELECT 1 FROM _ref_province n WHERE n.code = p.code)
    GROUP BY 1, 2 ORDER BY 1"""
