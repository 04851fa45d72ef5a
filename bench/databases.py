"""Throw-away databases for the benchmarks: on TEST_DATABASE_URL's server, else the embedded PostgreSQL in
.data/pg-bench; every one is dropped at the end."""

from __future__ import annotations

import os
import time
import uuid

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from common import db
from common.settings import PROJECT_ROOT


class Databases:
    def __init__(self) -> None:
        server = os.environ.get("TEST_DATABASE_URL")
        self.server = db.normalise_url(server) if server else db.embedded_url(PROJECT_ROOT / ".data" / "pg-bench")
        self.admin = sa.create_engine(self.server, isolation_level="AUTOCOMMIT")
        self.names: list[str] = []

    def new(self) -> sa.Engine:
        name = f"vax_bench_{uuid.uuid4().hex[:8]}"
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        self.names.append(name)
        return sa.create_engine(make_url(self.server).set(database=name))

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.names:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def reporting_url(database_url: str | None, scale: float, until: str) -> tuple[str, Databases | None]:
    """The URL of a loaded reporting database: the one given, or a throw-away one simulated at `scale` to
    `until` and loaded by a rebuild (then also the Databases to drop at the end)."""
    if database_url:
        return db.normalise_url(database_url), None
    from common.settings import Settings
    from etl.pipeline import run
    from etl.simulator.engine import simulate

    dbs = Databases()
    engine = dbs.new()
    started = time.perf_counter()
    simulate(engine, scale, 1, until)
    url = engine.url.render_as_string(hide_password=False)
    run(Settings(pseudonym_key="bench"), engine, url, rebuild=True)
    print(f"simulated and loaded scale {scale} in {time.perf_counter() - started:.0f} s")
    engine.dispose()
    return url, dbs
