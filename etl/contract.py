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
REFRESH = CONTRACT.parent.parent / "etl" / "refresh_reference.sql"
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
    with _platform_cursor(None if same_database else platform_url, cur) as pcur:
        for name, q in queries.items():
            pcur.execute(q)
            data[name] = pcur.fetchall()
    for name in ("province", "district", "commune", "product"):
        cur.execute(f"CREATE TEMP TABLE _ref_{name} (LIKE ref.{name}) ON COMMIT DROP")
    cur.execute("CREATE TEMP TABLE _ref_pop (commune_code text, age_band text, population bigint) ON COMMIT DROP")
    for name, rows in data.items():
        psycopg2.extras.execute_values(cur, f"INSERT INTO _ref_{name} VALUES %s", rows, page_size=5000)
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
