"""Versioned migrations of the reporting schema: sql/reporting/NNN_name.sql applied in order, once each."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

MIGRATIONS = Path(__file__).resolve().parent.parent / "sql" / "reporting"
LOCK_KEY = 7_2021_0001  # advisory lock: two processes never migrate at once


def available() -> list[tuple[int, str, Path]]:
    out = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        m = re.match(r"(\d+)_(.+)\.sql$", path.name)
        if m:
            out.append((int(m.group(1)), m.group(2), path))
    return out


def applied_version(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        exists = conn.execute(sa.text("SELECT to_regclass('etl.schema_migration') IS NOT NULL")).scalar()
        if not exists:
            return 0
        return conn.execute(sa.text("SELECT coalesce(max(version), 0) FROM etl.schema_migration")).scalar()


def migrate(engine: sa.Engine) -> list[str]:
    """Apply the migrations not applied yet, each in its own transaction; returns their names."""
    done: list[str] = []
    with engine.begin() as conn:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
        conn.execute(sa.text("CREATE SCHEMA IF NOT EXISTS etl"))
        conn.execute(sa.text("CREATE TABLE IF NOT EXISTS etl.schema_migration (version integer PRIMARY KEY,"
                             " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"))
        current = conn.execute(sa.text("SELECT coalesce(max(version), 0) FROM etl.schema_migration")).scalar()
        for version, name, path in available():
            if version <= current:
                continue
            with conn.connection.cursor() as cur:  # no parameters: '%' in the SQL's texts stays literal
                cur.execute(path.read_text(encoding="utf-8"))
            conn.execute(sa.text("INSERT INTO etl.schema_migration (version, name) VALUES (:v, :n)"),
                         {"v": version, "n": name})
            done.append(f"{version:03d}_{name}")
    return done
