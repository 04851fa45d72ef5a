"""The campaign's vocabulary in Python (common/vocabulary.py) and in the reference tables that the SQL joins
(sql/reporting/014_vocabulary.sql) say the same, so that neither can change alone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from common import vocabulary as V
from etl.migrate import migrate
from tests.conftest import rows, scalar


@pytest.fixture(scope="module")
def reporting(make_database):
    engine = make_database()
    migrate(engine)
    return engine


def test_age_bands(reporting):
    assert rows(reporting, "SELECT id, label, min_age, max_age, child FROM ref.age_band ORDER BY id") == [
        (b.id, b.label, b.min_age, b.max_age, b.child) for b in (V.UNKNOWN_AGE, *V.AGE_BANDS)]


def test_etl_age_band_puts_every_age_in_its_band(reporting):
    # etl.age_band keeps the bands' bounds in its body (IMMUTABLE, called for every dose)
    def band(age: int) -> int:
        return next(b.id for b in V.AGE_BANDS if b.min_age <= age and (b.max_age is None or age <= b.max_age))

    got = dict(rows(reporting, "SELECT a, etl.age_band(a) FROM generate_series(0, 120) a"))
    assert got == {age: band(age) for age in range(121)}
    assert scalar(reporting, "SELECT etl.age_band(NULL)") == V.UNKNOWN_AGE.id


def test_population_groups_and_their_bands(reporting):
    assert rows(reporting, "SELECT code, min_age, max_age FROM ref.population_group ORDER BY code") == sorted(
        (g.code, g.min_age, g.max_age) for g in V.POPULATION_GROUPS)
    bands = rows(reporting, "SELECT population_group, array_agg(age_band ORDER BY age_band) "
                            "FROM ref.population_group_band GROUP BY 1")
    assert {g: tuple(b) for g, b in bands} == V.GROUP_BANDS


def test_milestones(reporting):
    assert rows(reporting, "SELECT id, code FROM ref.milestone ORDER BY id") == [(m.id, m.code) for m in V.MILESTONES]


def test_campaign_dates_and_vietnam_day(reporting):
    assert rows(reporting, "SELECT start_day, same_day_rule_day, utc_offset FROM ref.campaign") == [
        (V.CAMPAIGN_START, V.SAME_DAY_RULE, V.VN_UTC_OFFSET)]
    # etl.vn_day and etl.vn_minute keep the offset in their bodies (IMMUTABLE): they must shift by the same one
    for moment in (datetime(2021, 10, 19, 16, 59, tzinfo=UTC), datetime(2021, 10, 19, 17, 0, tzinfo=UTC)):
        assert scalar(reporting, "SELECT etl.vn_day(:t)", t=moment) == V.vn_day(moment)
        assert scalar(reporting, "SELECT etl.vn_minute(:t)", t=moment) == f"{moment.astimezone(V.VN_TZ):%Y-%m-%d %H:%M}"


def test_a_target_names_a_group_and_a_milestone_of_the_vocabulary(reporting):
    insert = ("INSERT INTO ref.target (id, population_group, milestone, threshold, deadline, label_vi, label_en) "
              "VALUES (:id, :g, :m, 0.5, '2021-12-31', '-', '-')")
    for group, milestone in (("adults", "full"), ("18+", "second")):
        with pytest.raises(sa.exc.IntegrityError), reporting.begin() as conn:
            conn.execute(sa.text(insert), {"id": "bad", "g": group, "m": milestone})
    with reporting.begin() as conn:
        conn.execute(sa.text(insert), {"id": "kids", "g": "12-17", "m": "booster"})
