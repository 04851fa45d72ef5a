"""The source contract (sql/platform/schema.sql): checking a platform against it, and its reference rows."""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import psycopg2
import psycopg2.extras
import sqlalchemy as sa

CONTRACT = Path(__file__).resolve().parent.parent / "sql" / "platform" / "schema.sql"
_NOT_COLUMNS = {"CHECK", "PRIMARY", "UNIQUE", "FOREIGN", "CONSTRAINT"}


class ContractError(RuntimeError):
    """The platform does not match the source contract; the message names the table and column."""


@cache
def required_columns() -> dict[str, list[str]]:
    """{table: [columns]} as declared by the contract's CREATE TABLE statements."""
    text = CONTRACT.read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    for m in re.finditer(r"CREATE TABLE platform\.(\w+) \((.*?)\n\);", text, re.S):
        cols = []
        for line in m.group(2).splitlines():
            word = line.strip().split(" ", 1)[0].rstrip(",")
            if word and not word.startswith("--") and word.upper() not in _NOT_COLUMNS and re.match(r"^[a-z_]+$", word):
                cols.append(word)
        out[m.group(1)] = cols
    return out


@contextmanager
def _platform_cursor(platform_url: str | None, cur):
    if platform_url is None:
        yield cur
        return
    conn = psycopg2.connect(sa.engine.make_url(platform_url).render_as_string(hide_password=False)
                            .replace("postgresql+psycopg2://", "postgresql://"))
    try:
        conn.set_session(readonly=True)
        with conn.cursor() as pcur:
            yield pcur
    finally:
        conn.close()


def check(platform_url: str | None, cur) -> None:
    """Raise ContractError naming the first table or column the platform lacks."""
    with _platform_cursor(platform_url, cur) as pcur:
        pcur.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'platform'")
        present: dict[str, set[str]] = {}
        for table, column in pcur.fetchall():
            present.setdefault(table, set()).add(column)
        # The extract reads changes by transaction id (xmin), which only a table has.
        pcur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'platform'"
                     " AND table_type <> 'BASE TABLE'")
        not_tables = {r[0] for r in pcur.fetchall()}
    for table, columns in required_columns().items():
        if table not in present:
            raise ContractError(f"source contract: the platform has no table platform.{table} "
                                f"(see sql/platform/schema.sql)")
        if table in not_tables:
            raise ContractError(f"source contract: platform.{table} is a view, not a table: changes are read by "
                                "transaction id (xmin), which a view does not have")
        for column in columns:
            if column not in present[table]:
                raise ContractError(f"source contract: platform.{table} has no column {column} "
                                    f"(see sql/platform/schema.sql)")


def refresh_reference(platform_url: str, same_database: bool, cur) -> None:
    """Replace the administrative units, products and population of ref.* with the platform's."""
    queries = {
        "province": "SELECT code, name, name_with_type, kind FROM platform.province",
        "district": "SELECT code, province_code, name, name_with_type, kind FROM platform.district",
        "commune": "SELECT code, district_code, name, name_with_type, kind FROM platform.commune",
        "product": "SELECT code, name, manufacturer, primary_doses, min_interval_days, doses_per_vial, min_age_years"
                   " FROM platform.vaccine_product",
        "population": "SELECT commune_code, age_band, sum(population)::bigint FROM platform.population GROUP BY 1, 2",
    }
    data = {}
    with _platform_cursor(None if same_database else platform_url, cur) as pcur:
        for name, q in queries.items():
            pcur.execute(q)
            data[name] = pcur.fetchall()
    cur.execute("DELETE FROM ref.population; DELETE FROM ref.commune; DELETE FROM ref.district;"
                " DELETE FROM ref.province; DELETE FROM ref.product")
    psycopg2.extras.execute_values(cur, "INSERT INTO ref.province VALUES %s", data["province"])
    psycopg2.extras.execute_values(cur, "INSERT INTO ref.district VALUES %s", data["district"])
    psycopg2.extras.execute_values(cur, "INSERT INTO ref.commune VALUES %s", data["commune"], page_size=2000)
    psycopg2.extras.execute_values(cur, "INSERT INTO ref.product VALUES %s", data["product"])
    cur.execute("CREATE TEMP TABLE _pop (commune_code text, age_band text, population bigint) ON COMMIT DROP")
    psycopg2.extras.execute_values(cur, "INSERT INTO _pop VALUES %s", data["population"], page_size=5000)
    cur.execute("""
        INSERT INTO ref.population (level, area_code, age_band, population)
        SELECT level, area, b.id, sum(p.population)
        FROM _pop p JOIN ref.age_band b ON b.label = p.age_band
        JOIN ref.commune c ON c.code = p.commune_code JOIN ref.district d ON d.code = c.district_code
        CROSS JOIN LATERAL (VALUES ('commune', c.code::text), ('district', d.code::text),
                                   ('province', d.province_code::text), ('nation', 'VN')) v(level, area)
        GROUP BY 1, 2, 3""")
