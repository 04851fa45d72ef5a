"""The testing page against SQL written here on the platform's own tables (platform -> ETL -> page): samples,
people, positivity, turnaround shares and percentiles, the backlog by laboratory and age, the sub-areas, the
coverage beside positivity, at nation, a province, a district and a laboratory; a province account that sees its
province only; bad parameters; the callbacks' URLs."""

from __future__ import annotations

import json
import re
import sys
from datetime import date, timedelta

import numpy as np
import pytest

from common.vocabulary import CAMPAIGN_START
from dashboard.i18n import fmt_dec, fmt_int, fmt_pct
from tests.conftest import rows, scalar
from tests.integration.test_dashboard import (  # noqa: F401 (fixtures)
    _call,
    app,
    as_json,
    find,
    render,
    reporting,
    text_of,
)

AS_OF = date(2021, 8, 15)  # the southern wave: positivity far above 5%, laboratories days behind
START = max(CAMPAIGN_START, AS_OF - timedelta(days=180))  # the page's charts over time begin here
VN_DAY = "((%s AT TIME ZONE 'UTC') + interval '7 hours')::date"

# Every sample as the platform holds it, without what the ETL quarantines: a collecting site that is not a
# collection point, a laboratory that is not one, a result before its collection, an impossible time.
SAMPLES = f"""
    SELECT s.id, s.lab_id, s.pooled_count AS people, s.result, f.province_code AS province,
           f.district_code AS district, {VN_DAY % 's.collected_at'} AS day, {VN_DAY % 's.resulted_at'} AS result_day,
           extract(epoch FROM s.resulted_at - s.collected_at) / 3600.0 AS hours
    FROM platform.test_sample s
    JOIN platform.facility f ON f.id = s.site_id AND f.kind = 'site'
    JOIN platform.facility l ON l.id = s.lab_id AND l.kind = 'lab'
    WHERE (s.resulted_at IS NULL OR s.resulted_at >= s.collected_at)
      AND s.collected_at >= '2000-01-01' AND s.collected_at < '2100-01-01'
      AND (s.resulted_at IS NULL OR s.resulted_at < '2100-01-01')"""
WEEK = "day > CAST(:as_of AS date) - 7 AND day <= :as_of"
AREA = {"nation": "true", "province": "province = :code", "district": "district = :code",
        "lab": "province = :code AND lab_id = :lab"}
# the turnaround buckets by their definition: an hour wide to 72 h, a day wide to 168 h, then one
BUCKET = "CASE WHEN hours < 72 THEN floor(hours) WHEN hours < 168 THEN 72 + 24 * floor((hours - 72) / 24) ELSE 168 END"


def where(level: str) -> str:
    return AREA[level]


def truth(engine, level: str, places: dict) -> dict:
    """The 7 days' figures and the backlog at the end of AS_OF, from the platform's samples."""
    params = {"as_of": AS_OF, "code": places["province"] if level == "lab" else places.get(level),
              "lab": places["lab"]}
    (samples, people, positives, valid, people_valid, within_24, within_48, resulted) = rows(engine, f"""
        SELECT count(*), coalesce(sum(people), 0), count(*) FILTER (WHERE result = 'positive'),
               count(*) FILTER (WHERE result IN ('positive', 'negative')),
               coalesce(sum(people) FILTER (WHERE result IN ('positive', 'negative')), 0),
               count(*) FILTER (WHERE hours < 24), count(*) FILTER (WHERE hours < 48),
               count(*) FILTER (WHERE result IS NOT NULL)
        FROM ({SAMPLES}) x WHERE {WEEK} AND {where(level)}""", **params)[0]
    hours = [h for (h,) in rows(engine, f"SELECT hours FROM ({SAMPLES}) x WHERE {WEEK} AND {where(level)} "
                                        "AND result IS NOT NULL", **params)]
    backlog, backlog_people = rows(engine, f"""
        SELECT count(*), coalesce(sum(people), 0) FROM ({SAMPLES}) x
        WHERE day <= :as_of AND (result_day IS NULL OR result_day > :as_of) AND {where(level)}""", **params)[0]
    return {"samples": samples, "people": people, "positives": positives, "valid": valid,
            "people_valid": people_valid, "within_24": within_24 / resulted, "within_48": within_48 / resulted,
            "hours": np.array(hours, dtype=float), "backlog": backlog, "backlog_people": backlog_people}


@pytest.fixture(scope="module")
def places(reporting) -> dict:  # noqa: F811
    """The province with the most samples in the week to AS_OF, its district and its laboratory with the most."""
    province, district = rows(reporting, f"""
        SELECT province, district FROM ({SAMPLES}) x WHERE {WEEK}
        GROUP BY 1, 2 ORDER BY sum(count(*)) OVER (PARTITION BY province) DESC, count(*) DESC, 2 LIMIT 1""",
                              as_of=AS_OF)[0]
    lab = scalar(reporting, f"SELECT lab_id FROM ({SAMPLES}) x WHERE {WEEK} AND province = :p GROUP BY 1 "
                            "ORDER BY count(*) DESC, 1 LIMIT 1", as_of=AS_OF, p=province)
    return {"nation": None, "province": province, "district": district, "lab": lab}


def page(app, places: dict, level: str, **extra):  # noqa: F811
    query = {"date": AS_OF.isoformat(), **extra}
    if level in ("province", "district"):
        query["area"] = places[level]
    if level == "lab":
        query.update(area=places["province"], lab=str(places["lab"]))
    return render(app, "pages.testing", **query)


def hours_of(text: str) -> tuple[float, bool]:
    """A turnaround as the page writes it: "88,8 giờ" or "≥ 168 giờ"."""
    number = re.search(r"(≥ )?([\d.]+(?:,\d+)?) giờ", text)
    return float(number.group(2).replace(".", "").replace(",", ".")), bool(number.group(1))


def assert_percentile(shown: tuple[float, bool], raw: np.ndarray, q: float) -> None:
    """The page's percentile lies in the bucket of the exact one (the smallest value with q of them at or
    below it): within the bucket's width; "≥ 168" when that bucket is the open one."""
    exact = float(np.percentile(raw, 100 * q, method="inverted_cdf"))
    if exact >= 168:
        assert shown == (168.0, True)
        return
    width = 1 if exact < 72 else 24
    assert not shown[1] and abs(shown[0] - exact) <= width + 0.05, (shown, exact)  # the page rounds to 0.1 h


@pytest.mark.parametrize("level", ["nation", "province", "district", "lab"])
def test_cards_equal_the_platform(app, reporting, places, level):  # noqa: F811
    tree = page(app, places, level)
    want = truth(reporting, level, places)
    assert want["samples"] > 0 and want["backlog"] > 0
    assert text_of(find(tree, "testing-card-samples")) == fmt_int(want["samples"], "vi")
    assert text_of(find(tree, "testing-card-positivity")) == fmt_pct(want["positives"] / want["valid"], "vi")
    assert text_of(find(tree, "testing-card-within")) == fmt_pct(want["within_24"], "vi")
    assert text_of(find(tree, "testing-card-backlog")) == fmt_int(want["backlog"], "vi")
    cards = text_of(find(tree, "testing-cards"))
    assert f"{fmt_int(want['people'], 'vi')} người được xét nghiệm" in cards
    assert f"Theo người: {fmt_pct(want['positives'] / want['people_valid'], 'vi')}" in cards
    assert f"Trong 48 giờ: {fmt_pct(want['within_48'], 'vi')}" in cards
    assert f"{fmt_int(want['backlog_people'], 'vi')} người;" in cards
    assert_percentile(hours_of(text_of(find(tree, "testing-card-median"))), want["hours"], 0.5)
    assert_percentile(hours_of(cards.split("Phân vị 90:")[1]), want["hours"], 0.9)


@pytest.mark.parametrize("level", ["nation", "province"])
def test_tests_per_thousand_divide_by_the_areas_population(app, reporting, places, level):  # noqa: F811
    want = truth(reporting, level, places)
    population = scalar(reporting, "SELECT sum(population) FROM ref.population WHERE level = :level AND "
                                   "(:code IS NULL OR area_code = :code)", level=level, code=places[level])
    cards = text_of(find(page(app, places, level), "testing-cards"))
    assert (f"Trên 1.000 dân: {fmt_dec(1000 * want['samples'] / population, 'vi')} mẫu, "
            f"{fmt_dec(1000 * want['people'] / population, 'vi')} người") in cards
    assert "1.000 dân" not in text_of(find(page(app, places, "lab"), "testing-cards"))  # a laboratory has none


def test_daily_samples_and_positivity_equal_the_platform(app, reporting, places):  # noqa: F811
    tree = page(app, places, "province")
    daily = {r["day"]: r for r in find(tree, {"type": "grid", "index": "testing-daily"})["props"]["rowData"]}
    positivity = {r["day"]: r for r in
                  find(tree, {"type": "grid", "index": "testing-positivity"})["props"]["rowData"]}
    want = {str(d): (n, p, pos, v) for d, n, p, pos, v in rows(reporting, f"""
        SELECT day, count(*), sum(people), count(*) FILTER (WHERE result = 'positive'),
               count(*) FILTER (WHERE result IN ('positive', 'negative'))
        FROM ({SAMPLES}) x WHERE province = :code AND day > CAST(:as_of AS date) - 60 AND day <= :as_of
        GROUP BY 1""", as_of=AS_OF, code=places["province"])}
    assert min(daily) == START.isoformat()
    assert max(daily) == AS_OF.isoformat()
    for day in (AS_OF - timedelta(days=i) for i in range(53)):
        n, p, pos, v = want.get(day.isoformat(), (0, 0, 0, 0))
        assert (daily[day.isoformat()]["samples"], daily[day.isoformat()]["people_tested"]) == (n, p), day
        assert (positivity[day.isoformat()]["positives"], positivity[day.isoformat()]["valid"]) == (pos, v), day
    week = [want.get((AS_OF - timedelta(days=i)).isoformat(), (0, 0, 0, 0)) for i in range(7)]
    assert daily[AS_OF.isoformat()]["samples_avg7"] == pytest.approx(sum(w[0] for w in week) / 7, abs=0.05)
    assert positivity[AS_OF.isoformat()]["positivity_avg7"] == pytest.approx(
        sum(w[2] for w in week) / sum(w[3] for w in week), abs=5e-5)


def test_laboratories_are_ranked_by_their_share_within_24_hours(app, reporting, places):  # noqa: F811
    shown = find(page(app, places, "province"), {"type": "grid", "index": "testing-labs"})["props"]["rowData"]
    want = {lab: (n, w24 / r, w48 / r) for lab, n, w24, w48, r in rows(reporting, f"""
        SELECT lab_id, count(*), count(*) FILTER (WHERE hours < 24), count(*) FILTER (WHERE hours < 48),
               count(*) FILTER (WHERE result IS NOT NULL)
        FROM ({SAMPLES}) x WHERE {WEEK} AND province = :code GROUP BY 1""", as_of=AS_OF, code=places["province"])}
    assert {r["lab_id"] for r in shown} == set(want)
    for r in shown:
        n, w24, w48 = want[r["lab_id"]]
        assert r["samples"] == n and (r["within_24"], r["within_48"]) == pytest.approx((w24, w48), abs=1e-4)
        raw = np.array([h for (h,) in rows(reporting, f"SELECT hours FROM ({SAMPLES}) x WHERE {WEEK} AND province = "
                                                      ":code AND lab_id = :lab AND result IS NOT NULL", as_of=AS_OF,
                                           code=places["province"], lab=r["lab_id"])])
        assert_percentile((r["median"], r["median_open"]), raw, 0.5)
        assert_percentile((r["p90"], r["p90_open"]), raw, 0.9)
    assert [r["within_24"] for r in shown] == sorted(r["within_24"] for r in shown)  # the slowest first
    names = dict(rows(reporting, "SELECT id, name FROM platform.facility WHERE kind = 'lab'"))
    assert all(r["name"] == names[r["lab_id"]] for r in shown)


def test_a_laboratorys_histogram_equals_the_platforms_buckets(app, reporting, places):  # noqa: F811
    shown = find(page(app, places, "lab"), {"type": "grid", "index": "testing-histogram"})["props"]["rowData"]
    want = dict(rows(reporting, f"""
        SELECT {BUCKET}::int, count(*) FROM ({SAMPLES}) x
        WHERE {WEEK} AND province = :code AND lab_id = :lab AND result IS NOT NULL GROUP BY 1""",
                     as_of=AS_OF, code=places["province"], lab=places["lab"]))
    assert {r["bucket"]: r["samples"] for r in shown if r["samples"]} == want
    assert len(shown) == 77 and shown[-1]["cumulative"] == pytest.approx(1)


def test_backlog_by_laboratory_and_age_equals_the_platform(app, reporting, places):  # noqa: F811
    shown = find(page(app, places, "province"), {"type": "grid", "index": "testing-backlog"})["props"]["rowData"]
    band = "CASE WHEN age <= 2 THEN age::text WHEN age <= 6 THEN '3-6' ELSE '7+' END"
    want: dict = {}
    for lab, label, n in rows(reporting, f"""
            SELECT lab_id, {band}, count(*) FROM (SELECT lab_id, CAST(:as_of AS date) - day AS age FROM ({SAMPLES}) x
                WHERE province = :code AND day <= :as_of AND (result_day IS NULL OR result_day > :as_of)) a
            GROUP BY 1, 2""", as_of=AS_OF, code=places["province"]):
        want.setdefault(lab, {"0": 0, "1": 0, "2": 0, "3-6": 0, "7+": 0})[label] = n
    assert {r["lab_id"]: {k: r[k] for k in ("0", "1", "2", "3-6", "7+")} for r in shown} == want
    totals = [r["samples"] for r in shown]
    assert totals == sorted(totals, reverse=True)  # the largest backlog first
    lab = find(page(app, places, "lab"), {"type": "grid", "index": "testing-lab-backlog"})["props"]["rowData"]
    assert [r["samples"] for r in lab] == list(want[places["lab"]].values())


def test_provinces_are_ranked_by_positivity_and_open_on_click(app, reporting, places):  # noqa: F811
    shown = find(page(app, places, "nation"), {"type": "grid", "index": "testing-areas"})["props"]["rowData"]
    want = {p: (n, pos, v) for p, n, pos, v in rows(reporting, f"""
        SELECT province, count(*), count(*) FILTER (WHERE result = 'positive'),
               count(*) FILTER (WHERE result IN ('positive', 'negative'))
        FROM ({SAMPLES}) x WHERE {WEEK} GROUP BY 1""", as_of=AS_OF)}
    assert {r["area"] for r in shown} == set(want)
    for r in shown:
        n, pos, v = want[r["area"]]
        assert (r["samples"], r["positives"], r["valid"]) == (n, pos, v)
        assert r["positivity"] == (pytest.approx(pos / v, abs=1e-4) if v else None) and r["few"] == (v < 20)
    ranked = [r for r in shown if not r["few"]]
    assert ranked and [r["positivity"] for r in ranked] == sorted((r["positivity"] for r in ranked), reverse=True)
    assert shown[: len(ranked)] == ranked  # the few results after
    url = _call(sys.modules["pages.testing"].testing_drill, "testing-areas.clickData",
                {"points": [{"customdata": shown[0]["area"]}]}, None, {"lang": "vi", "area": "", "lab": "",
                                                                       "date": AS_OF.isoformat()})
    assert url == f"/testing?area={shown[0]['area']}&date={AS_OF.isoformat()}"


def test_districts_coverage_beside_their_positivity(app, reporting, places):  # noqa: F811
    shown = find(page(app, places, "province"), {"type": "grid", "index": "testing-coverage"})["props"]["rowData"]
    tested = {d: (pos, v) for d, pos, v in rows(reporting, f"""
        SELECT district, count(*) FILTER (WHERE result = 'positive'),
               count(*) FILTER (WHERE result IN ('positive', 'negative'))
        FROM ({SAMPLES}) x WHERE {WEEK} AND province = :code GROUP BY 1""", as_of=AS_OF, code=places["province"])}
    coverage = dict(rows(reporting, """
        SELECT d.code, (SELECT count(*) FROM staging.person_milestone m WHERE m.residence_district = d.code
                          AND m.age_band >= 3 AND m.full_day <= :as_of)::float8 / sum(p.population)
        FROM ref.district d JOIN ref.population p ON p.level = 'district' AND p.area_code = d.code AND p.age_band >= 3
        WHERE d.province_code = :code GROUP BY d.code""", as_of=AS_OF, code=places["province"]))
    assert {r["district"] for r in shown} == {d for d, (_, v) in tested.items() if v}
    for r in shown:
        pos, v = tested[r["district"]]
        assert (r["positivity"], r["coverage"]) == pytest.approx((pos / v, coverage[r["district"]]), abs=1e-4)


def test_weekly_positivity_by_coverage_band_equals_the_platform(app, reporting, places):  # noqa: F811
    shown = find(page(app, places, "province"), {"type": "grid", "index": "testing-bands"})["props"]["rowData"]
    want = {(str(w), b): (n, pos, v) for w, b, n, pos, v in rows(reporting, f"""
        WITH weekly AS (
            SELECT district, date_trunc('week', day)::date AS week, count(*) FILTER (WHERE result = 'positive') AS pos,
                   count(*) FILTER (WHERE result IN ('positive', 'negative')) AS valid
            FROM ({SAMPLES}) x WHERE province = :code AND day <= :as_of
              AND day >= date_trunc('week', CAST(:start AS date)) GROUP BY 1, 2),
        covered AS (
            SELECT w.*, (SELECT count(*) FROM staging.person_milestone m WHERE m.residence_district = w.district
                           AND m.age_band >= 3 AND m.full_day <= least(w.week + 6, :as_of))::float8
                        / (SELECT sum(population) FROM ref.population p WHERE p.level = 'district'
                           AND p.area_code = w.district AND p.age_band >= 3) AS coverage
            FROM weekly w)
        SELECT week, CASE WHEN coverage < 0.25 THEN '<25%' WHEN coverage < 0.5 THEN '25-50%'
                          WHEN coverage < 0.75 THEN '50-75%' ELSE '≥75%' END, count(*), sum(pos), sum(valid)
        FROM covered GROUP BY 1, 2""", as_of=AS_OF, code=places["province"], start=START)}
    assert {(r["week"], r["band"]): (r["districts"], r["positives"], r["valid"]) for r in shown} == want


def test_a_province_account_sees_its_province_only(app, reporting):  # noqa: F811
    tree = render(app, "pages.testing", user="hcm", date=AS_OF.isoformat())
    sent = json.dumps(as_json(tree), ensure_ascii=False, default=str)
    others = [n for (n,) in rows(reporting, "SELECT name FROM ref.province WHERE code <> '79'")]
    assert not [n for n in others if n in sent]
    want = truth(reporting, "province", {"province": "79", "lab": None})
    assert text_of(find(tree, "testing-card-samples")) == fmt_int(want["samples"], "vi")
    hanoi_lab = scalar(reporting, "SELECT min(id) FROM platform.facility WHERE kind = 'lab' AND province_code = '01'")
    refused = render(app, "pages.testing", user="hcm", lab=str(hanoi_lab))
    assert "Tham số không hợp lệ" in text_of(refused) and "Hà Nội" not in json.dumps(as_json(refused),
                                                                                      ensure_ascii=False)
    assert "không thuộc phạm vi" in text_of(render(app, "pages.testing", user="hcm", area="01"))


def test_bad_parameters_give_a_message(app, reporting, places):  # noqa: F811
    other = scalar(reporting, "SELECT min(id) FROM platform.facility WHERE kind = 'lab' AND province_code <> :p",
                   p=places["province"])
    for query in ({"lab": "abc"}, {"lab": "99999999"}, {"lab": "1" * 12}, {"lab": str(other), "area":
                  places["province"]}, {"date": "2099-01-01"}, {"date": "2021-02-30"}, {"area": "99"}):
        tree = render(app, "pages.testing", **query)
        assert "Tham số không hợp lệ" in text_of(tree), query


def test_the_english_switch_keeps_the_view(app, reporting, places):  # noqa: F811
    tree = page(app, places, "lab", lang="en")
    want = truth(reporting, "lab", places)
    assert text_of(find(tree, "testing-card-samples")) == fmt_int(want["samples"], "en")
    assert text_of(find(tree, "testing-card-positivity")) == fmt_pct(want["positives"] / want["valid"], "en")
    assert "Testing" in text_of(find(tree, "testing-title"))
    link = find(tree, "lang-switch")["props"]["href"]
    assert f"lab={places['lab']}" in link and f"area={places['province']}" in link and "lang" not in link


def test_callbacks_build_urls_and_ignore_forged_input(app):  # noqa: F811
    import dash

    m = sys.modules["pages.testing"]
    state = {"lang": "en", "area": "79", "lab": "", "date": "2021-08-15"}
    assert _call(m.testing_drill, "testing-areas.clickData", {"points": [{"customdata": "760"}]}, None,
                 state) == "/testing?area=760&date=2021-08-15&lang=en"
    assert _call(m.testing_drill, '{"index":"testing-areas","type":"grid"}.cellClicked', None, {"rowId": "761"},
                 state) == "/testing?area=761&date=2021-08-15&lang=en"
    assert _call(m.testing_open_district, "testing-coverage.clickData", {"points": [{"customdata": "762"}]}, None,
                 state) == "/testing?area=762&date=2021-08-15&lang=en"
    assert _call(m.testing_open_lab, "testing-labs.clickData", {"points": [{"customdata": 12123}]}, None, None, None,
                 state) == "/testing?area=79&lab=12123&date=2021-08-15&lang=en"
    assert _call(m.testing_open_lab, '{"index":"testing-backlog","type":"grid"}.cellClicked', None, None, None,
                 {"rowId": "12124"}, state) == "/testing?area=79&lab=12124&date=2021-08-15&lang=en"
    assert _call(m.testing_pick_date, "testing-date.date", "2021-09-01T00:00:00", state) == (
        "/testing?area=79&date=2021-09-01&lang=en")
    assert _call(m.testing_pick_lab, "testing-lab.value", "12125", state) == (
        "/testing?area=79&lab=12125&date=2021-08-15&lang=en")
    assert _call(m.testing_pick_lab, "testing-lab.value", None, {**state, "lab": "12125"}) == (
        "/testing?area=79&date=2021-08-15&lang=en")
    forged = ({"points": [{"customdata": "79' OR 1=1"}]}, {"points": []}, "junk", None, {"points": [{}]},
              {"points": [{"customdata": "01"}]})  # the last: a province is no sub-area of a province
    for click in forged:
        assert _call(m.testing_drill, "testing-areas.clickData", click, None, state) is dash.no_update
        assert _call(m.testing_open_district, "testing-coverage.clickData", click, None, state) is dash.no_update
    for click in (*forged[:5], {"points": [{"customdata": "1" * 12}]}):
        assert _call(m.testing_open_lab, "testing-labs.clickData", click, None, None, None, state) is dash.no_update
    assert _call(m.testing_pick_lab, "testing-lab.value", {"x": 1}, state) is dash.no_update
    assert _call(m.testing_pick_date, "testing-date.date", "2021-08-15", state) is dash.no_update
    assert _call(m.testing_drill, "testing-areas.clickData", {"points": [{"customdata": "760"}]}, None,
                 "not a dict") is dash.no_update  # no area in the state: a district is no province
