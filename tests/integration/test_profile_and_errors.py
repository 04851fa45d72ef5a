"""Replaying a profile exactly; refusing a malformed one; clear errors for unreachable databases."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from common.settings import PROJECT_ROOT
from etl.simulator.engine import simulate
from etl.simulator.series import ProfileError
from tests.conftest import rows


def test_profile_is_replayed_exactly(make_database, tmp_path):
    rng = np.random.default_rng(3)
    days = np.arange(np.datetime64("2021-07-01"), np.datetime64("2021-08-15"))
    lines = ["date,province_code,doses"]
    expected = {}
    for day in days:
        for code in ("01", "79", "96", "11"):
            doses = int(rng.integers(0, 400))
            lines.append(f"{day},{code},{doses}")
            expected[(str(day), code)] = doses
    profile = tmp_path / "profile.csv"
    profile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine = make_database()
    # a profile holds real doses: replay it on the real-size population (scale 1)
    report = simulate(engine, scale=1.0, seed=1, until="2021-08-14", profile=profile, perfect=True)
    assert report.shortfall["first"] == 0

    reported = {(str(d), c): n for d, c, n in rows(
        engine, "SELECT report_date, province_code, doses_reported FROM platform.province_daily_report "
                "WHERE doses_reported > 0")}
    assert reported == {k: v for k, v in expected.items() if v}
    on_platform = {(str(d), c): n for d, c, n in rows(engine, """
        SELECT (d.injected_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, f.province_code, count(*)
        FROM platform.dose_record d JOIN platform.facility f ON f.id = d.site_id GROUP BY 1, 2""")}
    assert on_platform == {k: v for k, v in expected.items() if v}


@pytest.mark.parametrize("content, line, words", [
    ("date,province_code,doses\n2021-07-01,01,10\n2021-07-02,01,ten\n", 3, "whole number"),
    ("date,province_code,doses\n2021-07-01,99,10\n", 2, "unknown province"),
    ("date,province_code,doses\n2021-07-01,01,10\n01/07/2021,01,5\n", 3, "not a date"),
    ("date,province_code,doses\n2021-07-01,01\n", 2, "expected 3 fields"),
    ("day,province,doses\n2021-07-01,01,3\n", 1, "header"),
    ("date,province_code,doses\n2021-07-01,01,3\n2021-07-01,1,4\n", 3, "second row"),
    ("date,province_code,doses\n2020-07-01,01,3\n", 2, "before the campaign"),
])
def test_malformed_profile_is_refused_naming_the_line(make_database, tmp_path, content, line, words):
    profile = tmp_path / "bad.csv"
    profile.write_text(content, encoding="utf-8")
    with pytest.raises(ProfileError, match=f"bad.csv:{line}: .*{words}"):
        simulate(make_database(), scale=0.01, seed=1, until="2021-07-10", profile=profile)


def test_cli_refuses_a_malformed_profile_in_one_line(tmp_path, server_url):
    profile = tmp_path / "bad.csv"
    profile.write_text("date,province_code,doses\n2021-07-01,01,-5\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "etl", "simulate", "--profile", str(profile), "--until",
                          "2021-07-10"], capture_output=True, text=True, cwd=PROJECT_ROOT,
                         env={"DATABASE_URL": server_url, "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0
    assert "bad.csv:2:" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("url, shown", [
    ("postgresql://someone:secret@127.0.0.1:1/platform", "127.0.0.1:1/platform"),
    ("postgresql://someone@no-such-host.invalid:5432/x", "no-such-host.invalid:5432/x"),
])
def test_unreachable_database_gives_one_clear_line(url, shown):
    out = subprocess.run([sys.executable, "-m", "etl", "simulate", "--until", "2021-07-10"],
                         capture_output=True, text=True, cwd=PROJECT_ROOT,
                         env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"}, timeout=60)
    assert out.returncode == 2
    line = out.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith("error: cannot connect to PostgreSQL at " + shown)
    assert "secret" not in line
