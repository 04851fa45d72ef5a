"""Shared fixtures: a real PostgreSQL (embedded by default, TEST_DATABASE_URL for another server) with
throw-away databases, and simulated platforms at small scales."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from common import db
from common.settings import PROJECT_ROOT

# Background warming of the page cache would compete with the tests for the two cores; it has its own test.
os.environ["WARM_CACHE"] = "0"


@pytest.fixture(scope="module", autouse=True)
def close_idle_connections() -> Iterator[None]:
    """After each module, every engine's idle pooled connections are closed (an engine reconnects when next
    used): the apps a module made keep their pools until collected, and a whole run's worth of them used up
    the test server's 100 connections ("too many clients already")."""
    yield
    import gc

    for obj in gc.get_objects():
        if isinstance(obj, sa.Engine):
            obj.dispose(close=True)


@pytest.fixture(scope="session")
def server_url() -> str:
    """A URL of a PostgreSQL server where tests may create and drop databases."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return db.normalise_url(url)
    return db.embedded_url(Path(os.environ.get("TEST_PGDATA", PROJECT_ROOT / ".data" / "pg-test")))


@pytest.fixture(scope="session")
def make_database(server_url: str) -> Iterator[Callable[[], sa.Engine]]:
    """Factory of empty throw-away databases on the test server; all dropped at the end of the session."""
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    created: list[tuple[str, sa.Engine]] = []

    def make(template: sa.Engine | None = None) -> sa.Engine:
        """An empty database, or a copy of `template` (which must be left alone: nobody may be connected)."""
        name = f"vax_test_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            if template is None:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            else:
                template.dispose()
                conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template.url.database}"'))
        engine = sa.create_engine(make_url(server_url).set(database=name))
        created.append((name, engine))
        return engine

    yield make
    for name, engine in created:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def loaded_database(make_database) -> Callable[..., sa.Engine]:
    """Factory of reporting databases loaded by the ETL from a simulated platform (pseudonym key "k").

    `loaded_database(scale, seed, until, perfect=False)` simulates and runs the ETL once per set of arguments
    in the session, and hands every caller its own copy (CREATE DATABASE ... TEMPLATE, a file copy): a test
    module may add accounts, plant faults or load more days without another module seeing it."""
    from common.settings import Settings
    from etl.pipeline import run
    from etl.simulator.engine import simulate

    built: dict[tuple, sa.Engine] = {}

    def load(scale: float, seed: int, until: str, perfect: bool = False) -> sa.Engine:
        key = (scale, seed, until, perfect)
        if key not in built:
            engine = make_database()
            simulate(engine, scale=scale, seed=seed, until=until, perfect=perfect)
            run(Settings(pseudonym_key="k"), engine, engine.url.render_as_string(hide_password=False))
            built[key] = engine  # the template: only ever copied
        return make_database(template=built[key])

    return load


@pytest.fixture(scope="session")
def simulated(make_database) -> sa.Engine:
    """A platform simulated at scale 0.002 to the end of 2021, with faults and recording lag."""
    from etl.simulator.engine import simulate

    engine = make_database()
    simulate(engine, scale=0.002, seed=7, until="2021-12-31")
    return engine


@pytest.fixture(scope="session")
def perfect(make_database) -> sa.Engine:
    """A platform without faults or lag (every dose entered on its day), scale 0.002, to 2022-03-31."""
    from etl.simulator.engine import simulate

    engine = make_database()
    simulate(engine, scale=0.002, seed=11, until="2022-03-31", perfect=True)
    return engine


def scalar(engine: sa.Engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar()


def rows(engine: sa.Engine, sql: str, **params) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql), params)]
