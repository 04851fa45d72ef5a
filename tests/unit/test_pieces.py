"""Pure functions of the simulator and the settings (no database)."""

from __future__ import annotations

import re

import numpy as np

from common.db import describe, normalise_url
from common.settings import Settings
from etl.simulator.geography import split_exact
from etl.simulator.model import expand_ranges
from etl.simulator.population import digits
from etl.simulator.series import national_series


def test_split_exact_sums_and_is_proportional():
    parts = split_exact(1001, np.array([1.0, 2.0, 0.0, 7.0]))
    assert parts.sum() == 1001 and parts[2] == 0
    assert np.abs(parts - 1001 * np.array([0.1, 0.2, 0, 0.7])).max() < 1


def test_digits_and_ranges():
    assert list(digits(np.array([7, 123456789012]), 12)) == [b"000000000007", b"123456789012"]
    assert list(expand_ranges(np.array([10, 50]), np.array([3, 2]))) == [10, 11, 12, 50, 51]


def test_national_series_is_the_reference():
    s = national_series()
    # cumulative doses on 16/10/2021 and 30/12/2021, as published
    t1 = (np.datetime64("2021-10-16") - np.datetime64("2021-03-08")).astype(int)
    t2 = (np.datetime64("2021-12-30") - np.datetime64("2021-03-08")).astype(int)
    assert round(s.doses[: t1 + 1].sum()) == 61_919_937
    assert round(s.doses[: t2 + 1].sum()) == 150_935_915
    assert round(s.first[: t2 + 1].sum()) == 77_555_511
    assert (s.first >= 0).all() and (s.boosters >= 0).all()


def test_settings_and_urls():
    s = Settings.from_env({"DATABASE_URL": "postgresql://u:p@db:5433/rep", "PORT": "9000"})
    assert s.database_url.endswith("/rep") and s.port == 9000 and s.platform_database_url is None
    assert normalise_url("postgresql://u@h/d") == "postgresql+psycopg2://u@h/d"
    assert describe("postgresql+psycopg2://u:secret@h:1/d") == "h:1/d"
    assert describe("postgresql+psycopg2://postgres:@/postgres?host=/tmp/pg") == "/tmp/pg/postgres"


def test_the_etl_sql_is_plain_sql_with_one_parameter_style():
    """No text macro (the former IN_SCOPE(...)) and no formatting: what is in sql/etl/ runs as it reads."""
    from etl.pipeline import SQL

    for path in SQL.rglob("*.sql"):
        text = path.read_text(encoding="utf-8")
        assert "IN_SCOPE" not in text and "%(all)s" not in text, path
        bare = re.sub(r"%\(\w+\)s|%%|::\w+|'[^']*'|--.*", "", text)  # pyformat, escapes, casts, literals, comments
        assert not re.search(r"%[sd]|\{\w*\}|(?<![\w:]):\w", bare), path  # no other placeholder style


def test_every_mart_has_one_model_stating_its_grain_and_what_it_reads():
    from etl.marts import MARTS, MODELS

    assert sorted(p.stem for p in MODELS.glob("*.sql")) == sorted(m.name for m in MARTS)
    for i, mart in enumerate(MARTS):
        header = [line for line in mart.select.splitlines() if line.startswith("--")]
        assert header[0].startswith(f"-- mart.{mart.name}: "), mart.name
        assert f"-- grain: {', '.join(mart.grain)}" in header, mart.name
        assert f"-- reads: {', '.join(mart.reads)}; slice: {mart.slice} ({', '.join(mart.slice_key)})" in header
        # a mart comes after the marts it reads
        assert all(t.removeprefix("mart.") in [m.name for m in MARTS[:i]] for t in mart.reads if t.startswith("mart."))


def test_a_fresh_worker_serves_the_bundles_another_worker_s_page_asks_for(tmp_path):
    """gunicorn runs several workers: the JS bundles must not depend on which one rendered the index."""
    import re

    from dashboard.app import create_app
    from dashboard.auth import User

    def signed_in(app):
        """A client with a signed-in national user (no database here: the account is loaded from memory)."""
        user = User(1, "bo_yte", "x", "national", None, False)
        app.server.login_manager.user_loader(lambda session_id: user)
        client = app.server.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
        return client

    settings = Settings(database_url="postgresql://nobody@127.0.0.1:1/none", data_dir=tmp_path)
    page = signed_in(create_app(settings)).get("/").get_data(as_text=True)
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', page)
    assert len(scripts) > 3
    other_worker = signed_in(create_app(settings))
    for src in scripts:
        assert other_worker.get(src).status_code == 200, src
