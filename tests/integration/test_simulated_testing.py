"""The simulator's testing model and the ETL's testing marts (issue 13, items 1 and 3), against the platform rows.

Uses the session's platforms: `simulated` (scale 0.002, seed 7, to 2021-12-31, with faults), `perfect`, and a
loaded reporting database (scale 0.002, seed 23, to 2021-10-31).
"""

from __future__ import annotations

import pytest

from tests.conftest import rows, scalar

VN_DAY = "((%s AT TIME ZONE 'UTC') + interval '7 hours')::date"
# The samples the ETL must load: collected at a vaccination site, sent to a laboratory, resulted (if at all)
# after their collection; the others are the planted faults.
CLEAN = """
    FROM platform.test_sample s
    JOIN platform.facility f ON f.id = s.site_id AND f.kind = 'site'
    JOIN platform.facility l ON l.id = s.lab_id AND l.kind = 'lab'
    WHERE (s.resulted_at IS NULL OR s.resulted_at >= s.collected_at)"""


@pytest.fixture(scope="module")
def loaded(loaded_database):
    return loaded_database(0.002, 23, "2021-10-31")


def test_laboratories_fall_behind_in_the_southern_wave(simulated):
    """PCR turnaround stretches where the wave outran a laboratory, and only then: the slowest of Hồ Chí
    Minh's laboratories is days behind in August 2021, none is in April, and some never fall behind."""
    p90 = rows(simulated, f"""
        SELECT to_char({VN_DAY % 's.collected_at'}, 'YYYY-MM') AS month, s.lab_id,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM s.resulted_at - s.collected_at) / 3600)
        FROM platform.test_sample s JOIN platform.facility l ON l.id = s.lab_id
        WHERE s.method = 'rt_pcr' AND l.province_code = '79' AND s.resulted_at >= s.collected_at
        GROUP BY 1, 2""")
    worst = {m: max(h for month, _, h in p90 if month == m) for m in {r[0] for r in p90}}
    assert worst["2021-08"] > 48 and worst["2021-04"] < 30, worst
    best_in_august = min(h for month, _, h in p90 if month == "2021-08")
    assert best_in_august < 0.6 * worst["2021-08"]


def test_rapid_tests_take_minutes_and_a_few_results_never_come(simulated):
    rapid_worst = scalar(simulated, """
        SELECT max(resulted_at - collected_at) FROM platform.test_sample
        WHERE method = 'rapid_antigen' AND resulted_at >= collected_at""")
    assert rapid_worst.total_seconds() <= 40 * 60
    never, total = rows(simulated, """
        SELECT count(*) FILTER (WHERE resulted_at IS NULL), count(*) FROM platform.test_sample
        WHERE collected_at < '2021-12-01'""")[0]
    assert 0 < never < 0.005 * total


def test_faults_are_planted_and_none_in_a_perfect_run(simulated, perfect):
    early, at_store = rows(simulated, """
        SELECT count(*) FILTER (WHERE s.resulted_at < s.collected_at), count(*) FILTER (WHERE f.kind <> 'site')
        FROM platform.test_sample s JOIN platform.facility f ON f.id = s.site_id""")[0]
    assert early > 0 and at_store > 0
    assert scalar(perfect, """
        SELECT count(*) FROM platform.test_sample s JOIN platform.facility f ON f.id = s.site_id
        WHERE s.resulted_at < s.collected_at OR f.kind <> 'site'""") == 0


def test_each_fault_is_quarantined_by_its_rule_and_only_it(loaded):
    planted = set(rows(loaded, """
        SELECT s.id, CASE WHEN s.resulted_at < s.collected_at THEN 'T02_result_before_collection'
                          ELSE 'T03_not_collection_point' END
        FROM platform.test_sample s JOIN platform.facility f ON f.id = s.site_id
        WHERE s.resulted_at < s.collected_at OR f.kind <> 'site'"""))
    quarantined = set(rows(loaded, "SELECT source_id, rule_id FROM etl.quarantine WHERE source = 'test_sample'"))
    assert planted and quarantined == planted


def test_the_marts_hold_every_clean_sample(loaded):
    """Samples, people, positives, invalid and the turnaround histogram per district and laboratory."""
    expected = set(rows(loaded, f"""
        SELECT f.district_code::text, s.lab_id, count(*), sum(s.pooled_count),
               count(*) FILTER (WHERE s.result = 'positive'), count(*) FILTER (WHERE s.result = 'invalid'),
               coalesce(sum(s.pooled_count) FILTER (WHERE s.result = 'invalid'), 0),
               count(*) FILTER (WHERE s.resulted_at IS NULL),
               count(*) FILTER (WHERE s.resulted_at - s.collected_at < interval '24 hours')
        {CLEAN} GROUP BY 1, 2"""))
    got = set(rows(loaded, """
        SELECT district, lab_id, sum(samples), sum(people_tested), sum(positives), sum(invalid), sum(people_invalid),
               coalesce(sum(samples) FILTER (WHERE tat_bucket = -1), 0),
               coalesce(sum(samples) FILTER (WHERE tat_bucket BETWEEN 0 AND 23), 0)
        FROM mart.tests_daily GROUP BY 1, 2"""))
    assert got == expected


def test_backlog_as_it_stood_at_the_end_of_past_days(loaded):
    """The backlog on day D: collected by the end of D, without a result by then (known today)."""
    for day in ("2021-08-20", "2021-09-05", "2021-10-31"):
        expected = set(rows(loaded, f"""
            SELECT s.lab_id, DATE '{day}' - {VN_DAY % 's.collected_at'} AS age, count(*)
            {CLEAN} AND {VN_DAY % 's.collected_at'} <= DATE '{day}'
              AND (s.resulted_at IS NULL OR {VN_DAY % 's.resulted_at'} > DATE '{day}')
            GROUP BY 1, 2"""))
        got = set(rows(loaded, f"""
            SELECT lab_id, DATE '{day}' - day, sum(samples) FROM mart.tests_backlog
            WHERE daterange(day, result_day) @> DATE '{day}' GROUP BY 1, 2"""))
        assert got == expected and got, day


def test_positivity_is_lower_where_more_people_had_a_first_dose(simulated):
    """The southern wave receded where vaccination advanced: in the southern provinces' districts where half the
    residents had a first dose by 15/09/2021, the month after's positivity is well below that of the districts
    where under a third had."""
    south = "('70', '72', '74', '75', '77', '79', '80', '82', '83', '84', '86', '87', '89', '91', '92', '93', '94', " \
            "'95', '96')"
    ahead, behind = rows(simulated, f"""
        WITH pop AS (SELECT c.district_code, sum(p.population) AS people FROM platform.population p
                     JOIN platform.commune c ON c.code = p.commune_code GROUP BY 1),
        first AS (SELECT c.district_code, count(DISTINCT d.person_id) AS people FROM platform.dose_record d
                  JOIN platform.person r ON r.id = d.person_id JOIN platform.commune c ON c.code = r.residence_commune
                  WHERE d.dose_number = 1 AND d.status = 'valid' AND d.injected_at < '2021-09-15' GROUP BY 1),
        pos AS (SELECT f.district_code, count(*) FILTER (WHERE s.result = 'positive') AS positives,
                       count(*) AS resulted
                FROM platform.test_sample s JOIN platform.facility f ON f.id = s.site_id
                WHERE s.collected_at >= '2021-09-15' AND s.collected_at < '2021-10-15' AND s.result IS NOT NULL
                  AND f.province_code IN {south} GROUP BY 1),
        covered AS (SELECT pos.*, first.people::float / pop.people AS coverage FROM pos
                    JOIN pop USING (district_code) JOIN first USING (district_code))
        SELECT sum(positives) FILTER (WHERE coverage >= 0.5)::float / sum(resulted) FILTER (WHERE coverage >= 0.5),
               sum(positives) FILTER (WHERE coverage < 0.3)::float / sum(resulted) FILTER (WHERE coverage < 0.3)
        FROM covered""")[0]
    assert ahead < 0.75 * behind, (ahead, behind)
