"""Targets as data: the CLI sets, lists and deletes them, refuses bad ones, and bumps the data version."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from common.settings import PROJECT_ROOT
from etl.migrate import migrate
from tests.conftest import rows, scalar


def cli(engine, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", "targets", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=60,
                          env={"DATABASE_URL": engine.url.render_as_string(hide_password=False),
                               "PATH": "/usr/bin:/bin"})


@pytest.fixture()
def reporting(make_database):
    engine = make_database()
    migrate(engine)
    return engine


def test_the_2021_targets_are_seeded_and_listed(reporting):
    out = cli(reporting, "list", "--json")
    assert out.returncode == 0, out.stderr
    ids = {t["id"]: t for t in json.loads(out.stdout)}
    assert ids["adults_first_2021"]["threshold"] == 0.5 and ids["adults_first_2021"]["deadline"] == "2021-12-31"
    assert ids["population_full_q1_2022"]["threshold"] == 0.7


def test_set_and_delete_a_target_bump_the_data_version(reporting):
    version = scalar(reporting, "SELECT version FROM etl.data_version")
    out = cli(reporting, "set", "booster_hcm_2022", "--group", "18+", "--milestone", "booster", "--threshold",
              "60%", "--deadline", "2022-06-30", "--scope", "national")
    assert out.returncode == 0, out.stderr
    assert rows(reporting, "SELECT population_group, milestone, threshold::float, deadline::text FROM ref.target "
                           "WHERE id = 'booster_hcm_2022'") == [("18+", "booster", 0.6, "2022-06-30")]
    assert scalar(reporting, "SELECT version FROM etl.data_version") == version + 1
    assert cli(reporting, "delete", "booster_hcm_2022").returncode == 0
    assert scalar(reporting, "SELECT count(*) FROM ref.target WHERE id = 'booster_hcm_2022'") == 0


@pytest.mark.parametrize("args, words", [
    (["--group", "adults", "--milestone", "full", "--threshold", "0.5", "--deadline", "2021-12-31"], "group"),
    (["--group", "18+", "--milestone", "second", "--threshold", "0.5", "--deadline", "2021-12-31"], "milestone"),
    (["--group", "18+", "--milestone", "full", "--threshold", "150%", "--deadline", "2021-12-31"], "threshold"),
    (["--group", "18+", "--milestone", "full", "--threshold", "0.5", "--deadline", "31/12/2021"], "deadline"),
    (["--group", "18+", "--milestone", "full", "--threshold", "0.5", "--deadline", "2021-12-31", "--scope", "99"],
     "scope"),
])
def test_a_bad_target_is_refused_in_one_line(reporting, args, words):
    out = cli(reporting, "set", "bad_target", *args)
    assert out.returncode == 2
    assert out.stderr.startswith("error: ") and words in out.stderr and out.stderr.count("\n") == 1
    assert scalar(reporting, "SELECT count(*) FROM ref.target WHERE id = 'bad_target'") == 0
