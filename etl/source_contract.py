"""The source contract (sql/platform/schema.sql): checking that a platform has its tables and columns."""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import psycopg2
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
def platform_cursor(platform_url: str | None, cur):
    """A read-only cursor on the platform at `platform_url`, or `cur` itself (None: the same database)."""
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
    with platform_cursor(platform_url, cur) as pcur:
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
