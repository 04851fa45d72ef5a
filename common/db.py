"""Database connections: URL normalisation, the embedded PostgreSQL, and clear connection errors."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from common.settings import Settings

log = logging.getLogger(__name__)


class DatabaseUnavailable(RuntimeError):
    """A database could not be reached; the message is one line naming the host and the cause."""


def normalise_url(url: str) -> str:
    """SQLAlchemy 2.1 maps a bare postgresql:// URL to psycopg 3; this project ships psycopg2."""
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix):]
    return url


def embedded_url(pgdata: Path, database: str | None = None) -> str:
    """Start (or reuse) the project's own PostgreSQL in `pgdata`; it keeps running between commands."""
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR on servers
        import pgserver  # imported here: only needed when no DATABASE_URL is given

        server = pgserver.get_server(pgdata, cleanup_mode=None)
    return normalise_url(server.get_uri(database))


def reporting_url(settings: Settings) -> str:
    if settings.database_url:
        return normalise_url(settings.database_url)
    return embedded_url(settings.data_dir / "pg")


def platform_url(settings: Settings) -> str:
    if settings.platform_database_url:
        return normalise_url(settings.platform_database_url)
    return reporting_url(settings)


def describe(url: str | URL) -> str:
    """Where a URL points, without its password: host:port/database (or the socket folder)."""
    u = make_url(url) if isinstance(url, str) else url
    host = u.host or u.query.get("host") or "localhost"
    port = f":{u.port}" if u.port else ""
    return f"{host}{port}/{u.database or ''}"


def connect(url: str, **engine_kwargs) -> Engine:
    """An engine whose database has answered once; else DatabaseUnavailable with one clear line."""
    engine = sa.create_engine(url, pool_pre_ping=True, **engine_kwargs)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:  # unreachable host, refused, bad password, no database
        engine.dispose()
        cause = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
        raise DatabaseUnavailable(f"cannot connect to PostgreSQL at {describe(url)}: {cause}") from None
    except sa.exc.ArgumentError as exc:
        raise DatabaseUnavailable(f"invalid database URL {describe(url)}: {exc}") from None
    return engine
