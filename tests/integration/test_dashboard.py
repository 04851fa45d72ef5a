"""Pages and callbacks against a real PostgreSQL loaded by the ETL: the figures equal what the data says."""

from __future__ import annotations

import base64
import json
import sys
from datetime import date

import numpy as np
import plotly
import pytest

from common.settings import Settings
from dashboard.app import create_app
from dashboard.i18n import fmt_int, fmt_pct
from etl.pipeline import run
from etl.simulator.engine import simulate
from tests.conftest import rows, scalar
from tests.signin import add_accounts


def as_json(tree):
    """A page as the JSON structure Dash sends (cached pages already are one)."""
    return json.loads(json.dumps(tree, cls=plotly.utils.PlotlyJSONEncoder))


def find(tree, component_id):
    """The component with this id in a page (as JSON), or None."""
    node = as_json(tree) if not isinstance(tree, dict | list) else tree
    if isinstance(node, list):
        for item in node:
            hit = find(item, component_id)
            if hit is not None:
                return hit
        return None
    if not isinstance(node, dict) or "props" not in node:
        return None
    if node["props"].get("id") == component_id:
        return node
    return find(node["props"].get("children"), component_id) if node["props"].get("children") is not None else None


def text_of(tree) -> str:
    node = as_json(tree) if not isinstance(tree, dict | list | str | int | float) else tree
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list):
        return " ".join(text_of(c) for c in node)
    if isinstance(node, dict) and "props" in node and node["props"].get("children") is not None:
        return text_of(node["props"]["children"])
    return ""


def array(value) -> list:
    """A figure array as Plotly sends it: a list, or typed-array bytes in base64."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return list(value)


def bars(graph) -> dict:
    trace = graph["props"]["figure"]["data"][0]
    return dict(zip(array(trace["customdata"]), array(trace["y"]), strict=True))


@pytest.fixture(scope="module")
def reporting(loaded_database):
    return loaded_database(0.002, 17, "2021-10-31")


@pytest.fixture(scope="module")
def app(reporting, tmp_path_factory):
    url = reporting.url.render_as_string(hide_password=False)
    add_accounts(reporting)
    return create_app(Settings(database_url=url, data_dir=tmp_path_factory.mktemp("data"), warm_cache=False))


def render(app, module: str, user: str = "bo_yte", **query):
    """A page as `user` (a national leader unless told) sees it."""
    from flask_login import login_user

    from dashboard.auth import users

    page = sys.modules[module]  # Dash imports the pages itself, as pages.<name>
    with app.server.test_request_context("/"):
        login_user(users.by_name(app.server.config["DATA"].engine, user))
        return page.layout(**query)


def test_overview_cards_equal_the_database(app, reporting):
    as_of = date(2021, 10, 16)
    tree = render(app, "pages.overview", date=as_of.isoformat())
    total = scalar(reporting, "SELECT count(*) FROM staging.dose WHERE status = 'valid' AND quarantine_rule IS NULL"
                              " AND injected_day <= :d", d=as_of)
    assert text_of(find(tree, "card-doses-total")) == fmt_int(total, "vi")
    # adults with at least one dose / adult population, written independently from the staging rows
    people = scalar(reporting, "SELECT count(*) FROM staging.person_milestone WHERE age_band >= 3 AND "
                               "first_day <= :d", d=as_of)
    adults = scalar(reporting, "SELECT sum(population) FROM ref.population WHERE level = 'nation' AND age_band >= 3")
    assert text_of(find(tree, "card-adults_first_2021")) == fmt_pct(people / adults, "vi")
    full = scalar(reporting, "SELECT count(*) FROM staging.person_milestone WHERE full_day <= :d", d=as_of)
    everyone = scalar(reporting, "SELECT sum(population) FROM ref.population WHERE level = 'nation'")
    assert text_of(find(tree, "card-population_full_q1_2022")) == fmt_pct(full / everyone, "vi")
    english = render(app, "pages.overview", date=as_of.isoformat(), lang="en")
    assert text_of(find(english, "card-doses-total")) == fmt_int(total, "en")
    assert "Overview" in text_of(english) and "Tổng quan" not in text_of(find(english, "card-doses-total"))


def test_province_view_lists_its_districts_with_their_coverage(app, reporting):
    tree = render(app, "pages.coverage", area="79", date="2021-10-16", group="18+", milestone="first")
    got = bars(find(tree, "coverage-areas"))
    districts = dict(rows(reporting, "SELECT code, name_with_type FROM ref.district WHERE province_code = '79'"))
    assert set(got) == set(districts)
    expected = dict(rows(reporting, """
        SELECT d.code, count(m.person_key)::float / nullif(p.population, 0)
        FROM ref.district d
        JOIN (SELECT area_code, sum(population) AS population FROM ref.population
              WHERE level = 'district' AND age_band >= 3 GROUP BY 1) p ON p.area_code = d.code
        LEFT JOIN staging.person_milestone m ON m.residence_district = d.code AND m.age_band >= 3
             AND m.first_day <= '2021-10-16'
        WHERE d.province_code = '79' GROUP BY d.code, p.population"""))
    for code, share in expected.items():
        assert got[code] == pytest.approx(share, abs=1e-9), code
    assert "Hồ Chí Minh" in text_of(find(tree, "breadcrumb"))


def test_district_view_shows_sites_with_their_doses(app, reporting):
    district = scalar(reporting, "SELECT code FROM ref.district WHERE province_code = '01' ORDER BY code LIMIT 1")
    tree = render(app, "pages.coverage", area=district, date="2021-10-31")
    drawn = bars(find(tree, "coverage-dose-areas"))
    expected = dict(rows(reporting, "SELECT site_id::text, count(*) FROM staging.dose WHERE site_district = :d AND "
                                    "status = 'valid' AND quarantine_rule IS NULL AND injected_day <= '2021-10-31' "
                                    "GROUP BY 1", d=district))
    assert drawn == expected


def _call(callback, trigger: str, *args):
    """Run a callback function as Dash would, with `trigger` as the input that fired."""
    from contextvars import copy_context

    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    def go():
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": trigger, "value": None}]))
        return callback(*args)

    return copy_context().run(go)


def test_drill_down_callbacks_build_urls_and_ignore_forged_input(app):
    import dash

    drill_down = sys.modules["pages.coverage"].drill_down
    drill_to_province = sys.modules["pages.overview"].drill_to_province

    url = _call(drill_to_province, "overview-map.clickData", {"points": [{"customdata": "79"}]}, None,
                {"lang": "en"}, "2021-10-16", "adults_full")
    assert url == "/coverage?area=79&group=18%2B&milestone=full&date=2021-10-16&lang=en"
    for forged in ({"points": [{"customdata": "79' OR 1=1"}]}, {"points": []}, "junk", None):
        assert _call(drill_to_province, "overview-map.clickData", forged, None, {}, None, "x") is dash.no_update
    state = {"lang": "vi", "area": "79"}
    url = _call(drill_down, "coverage-areas.clickData", {"points": [{"customdata": "760"}]}, None, None, state,
                "2021-10-16", "18+", "first", "", "")
    assert url == "/coverage?area=760&group=18%2B&milestone=first&date=2021-10-16"
    site = _call(drill_down, "coverage-dose-areas.clickData", None, {"points": [{"customdata": "1234"}]}, None,
                 state, None, "18+", "first", "", "")
    assert site is dash.no_update  # sites are the bottom of the drill-down
    # a site whose id has three digits is not a district: a district's view drills no further
    in_district = {"lang": "vi", "area": "769"}
    assert _call(drill_down, "coverage-dose-areas.clickData", None, {"points": [{"customdata": "785"}]}, None,
                 in_district, None, "18+", "first", "", "") is dash.no_update


def test_bad_parameters_and_a_database_down_give_clear_messages(app, tmp_path):
    tree = render(app, "pages.coverage", area="99")
    assert "Tham số không hợp lệ" in text_of(tree) and "area='99'" in text_of(tree)
    tree = render(app, "pages.overview", metric="DROP TABLE")
    assert "Tham số không hợp lệ" in text_of(tree)
    down = create_app(Settings(database_url="postgresql://nobody@127.0.0.1:1/none", data_dir=tmp_path))
    from flask_login import login_user

    from dashboard.auth import User

    with down.server.test_request_context("/"):
        login_user(User(1, "bo_yte", "x", "national", None, False))  # signed in before the database went down
        tree = sys.modules["pages.overview"].layout()
    assert "Không kết nối được cơ sở dữ liệu" in text_of(tree)
    client = down.server.test_client()
    assert client.get("/").status_code == 302  # to the sign-in page, which says the database is down
    assert client.get("/login").status_code == 200


def test_new_data_shows_without_a_restart(app, reporting):
    before = text_of(find(render(app, "pages.overview", date="2021-11-05"), "card-doses-total"))
    simulate(reporting, scale=0.002, seed=17, until="2021-11-06")
    run(Settings(pseudonym_key="k"), reporting, reporting.url.render_as_string(hide_password=False))
    app.server.config["DATA"]._version = None  # the 5-second look at the data version, skipped in a test
    after = text_of(find(render(app, "pages.overview", date="2021-11-05"), "card-doses-total"))
    total = scalar(reporting, "SELECT count(*) FROM staging.dose WHERE status = 'valid' AND quarantine_rule IS NULL"
                              " AND injected_day <= '2021-11-05'")
    assert after == fmt_int(total, "vi") and after != before


def test_every_query_applies_the_scope():
    from dashboard.data import QUERIES, sql_of

    names = [p.stem for p in QUERIES.glob("*.sql")]
    assert len(names) >= 10
    for name in names:
        assert ":scope_province" in sql_of(name)
    with pytest.raises(ValueError):
        sql_of("../etl/landing")


def test_scope_limits_rows(app, reporting):
    from dashboard.data import Scope

    data = app.server.config["DATA"]
    with app.server.test_request_context("/"):
        everything = data.query("people_by_province", {"as_of": date(2021, 10, 31)})
        one = data.query("people_by_province", {"as_of": date(2021, 10, 31)}, Scope("79"))
    assert set(one["area"]) == {"79"} and len(set(everything["area"])) > 50


def test_filters_open_a_new_view_only_when_they_change(app):
    import dash

    filters = sys.modules["pages.coverage"].filters_to_url
    shown = {"lang": "en", "area": "79", "date": "2021-10-16", "group": "18+", "milestone": "first",
             "product": "", "dose": ""}
    assert _call(filters, "cov-group.value", "2021-10-16", "18+", "first", "", "", shown) is dash.no_update
    url = _call(filters, "cov-group.value", "2021-10-16", "total", "first", "PFZ", "", shown)
    assert url == "/coverage?area=79&group=total&milestone=first&product=PFZ&date=2021-10-16&lang=en"


def test_a_failing_cache_falls_back_to_the_database(reporting):
    from dashboard.data import DataAccess

    class Broken:
        def get(self, key):
            raise ConnectionError("cache down")

        def set(self, key, value):
            raise ConnectionError("cache down")

    url = reporting.url.render_as_string(hide_password=False)
    frame = DataAccess(Settings(database_url=url), Broken()).query("targets", {"province": None})
    assert len(frame) == scalar(reporting, "SELECT count(*) FROM ref.target WHERE scope = 'national'")


def test_redis_cache_when_redis_url_is_set(reporting, tmp_path):
    """The production configuration: a shared Redis (the machine's own, on loopback)."""
    import redis

    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis is not answering on 127.0.0.1:6379 (this machine kind starts it)")
    url = reporting.url.render_as_string(hide_password=False)
    app = create_app(Settings(database_url=url, data_dir=tmp_path, redis_url="redis://127.0.0.1:6379/0"))
    data = app.server.config["DATA"]
    assert type(data.cache.cache).__name__ == "RedisCache"
    for key in client.scan_iter("vaxdash:q:*"):  # earlier runs may have cached the same query
        client.delete(key)
    with app.server.test_request_context("/"):
        frame = data.query("targets", {"province": None})
        again = data.query("targets", {"province": None})
    assert frame.equals(again)
    assert list(client.scan_iter("vaxdash:q:*"))


def test_lag_page_figures_equal_the_database(app, reporting):
    tree = render(app, "pages.lag", area="79", date_from="2021-07-01", date_to="2021-10-31")
    accepted = ("FROM staging.dose WHERE status = 'valid' AND quarantine_rule IS NULL AND site_province = '79' "
                "AND injected_day BETWEEN '2021-07-01' AND '2021-10-31'")
    total = scalar(reporting, "SELECT count(*) " + accepted)
    same_day = scalar(reporting, "SELECT count(*) " + accepted + " AND lag_days = 0")
    assert text_of(find(tree, "lag-card-share")).startswith(fmt_pct(same_day / total, "vi"))
    late_after_rule = scalar(reporting, "SELECT count(*) " + accepted + " AND lag_days > 0 "
                                        "AND injected_day >= '2021-10-20'")
    assert text_of(find(tree, "lag-card-violations")).startswith(fmt_int(late_after_rule, "vi"))
    # the median from the histogram is the bucket of the exact median
    lags = sorted(r[0] for r in rows(reporting, "SELECT lag_days " + accepted))
    exact = lags[(len(lags) - 1) // 2]
    bucket = max(b for b in (0, 1, 2, 3, 4, 8, 15, 31, 61) if b <= exact)
    from dashboard.i18n import lag_label

    assert text_of(find(tree, "lag-card-median")).startswith(lag_label(bucket, "vi"))
    # completeness over the last 7 days of the period: platform doses / the province's reports
    platform = scalar(reporting, "SELECT count(*) " + accepted.replace("'2021-07-01'", "'2021-10-25'"))
    reported = scalar(reporting, "SELECT sum(doses_reported) FROM staging.province_report WHERE province_code = '79'"
                                 " AND report_date BETWEEN '2021-10-25' AND '2021-10-31'")
    assert text_of(find(tree, "lag-card-completeness")).startswith(fmt_pct(platform / reported, "vi"))
    ranking = bars_h(find(tree, "lag-rank"))
    districts = [r[0] for r in rows(reporting, "SELECT code FROM ref.district WHERE province_code = '79'")]
    assert set(ranking) <= set(districts) and len(ranking) >= len(districts) - 2


def bars_h(graph) -> dict:
    trace = graph["props"]["figure"]["data"][0]
    return dict(zip(array(trace["customdata"]), array(trace["x"]), strict=True))


def test_verification_page_figures_equal_the_database(app, reporting):
    as_of = "2021-10-31"
    tree = render(app, "pages.verification", date=as_of)
    vaccinated = scalar(reporting, "SELECT count(*) FROM staging.person_milestone WHERE first_day <= :d", d=as_of)
    checked = scalar(reporting, "SELECT count(DISTINCT person_key) FROM staging.verification v "
                                "WHERE checked_day <= :d AND EXISTS (SELECT 1 FROM ref.district d "
                                "WHERE d.code = v.district)", d=as_of)
    assert text_of(find(tree, "verify-card-checked")).startswith(fmt_pct(checked / vaccinated, "vi"))
    for outcome in ("verified", "mismatch", "not_found", "missing_id"):
        n = scalar(reporting, "SELECT count(*) FROM staging.verification WHERE is_first AND checked_day <= :d "
                              "AND outcome = :o", d=as_of, o=outcome)
        assert text_of(find(tree, f"verify-card-{outcome}")).startswith(fmt_int(n, "vi")), outcome
    open_items = scalar(reporting, "SELECT count(*) FROM staging.feedback WHERE received_day <= :d AND "
                                   "(closed_day IS NULL OR closed_day > :d)", d=as_of)
    overdue = scalar(reporting, "SELECT count(*) FROM staging.feedback WHERE received_day <= :d AND "
                                "(closed_day IS NULL OR closed_day > :d) AND (received_day < '2021-10-25' OR "
                                "CAST(:d AS date) - received_day > 14)", d=as_of)
    assert text_of(find(tree, "verify-card-feedback")) == fmt_int(open_items, "vi")
    assert f"còn mở {fmt_int(open_items, 'vi')}; quá hạn {fmt_int(overdue, 'vi')}" in text_of(tree)


def test_lag_page_ranks_the_sites_of_a_district(app, reporting):
    district = scalar(reporting, "SELECT site_district FROM staging.dose WHERE site_province = '79' GROUP BY 1 "
                                 "ORDER BY count(DISTINCT site_id) DESC, 1 LIMIT 1")
    tree = render(app, "pages.lag", area=district, date_from="2021-07-01", date_to="2021-10-31")
    assert find(tree, "lag-rank") is None  # no district ranking below a district: its sites instead
    accepted = ("FROM staging.dose WHERE status = 'valid' AND quarantine_rule IS NULL AND site_district = :d "
                "AND injected_day BETWEEN '2021-07-01' AND '2021-10-31'")
    expected = {site: (n, within_1, median, p90) for site, n, within_1, median, p90 in rows(
        reporting, "SELECT site_id::text, count(*), avg(CASE WHEN lag_days <= 1 THEN 1.0 ELSE 0 END)::float, "
                   "percentile_disc(0.5) WITHIN GROUP (ORDER BY lag_days), "
                   "percentile_disc(0.9) WITHIN GROUP (ORDER BY lag_days) " + accepted + " GROUP BY 1", d=district)}
    assert len(expected) >= 3
    drawn = bars_h(find(tree, "lag-site-rank-graph"))
    assert set(drawn) == set(expected)
    for site, share in drawn.items():
        assert share == pytest.approx(expected[site][1], abs=1e-12), site
    # slowest at the top: Plotly draws the last bar of a horizontal chart at the top
    assert list(drawn.values()) == sorted(drawn.values(), reverse=True)
    from dashboard.i18n import lag_label
    from dashboard.measures.lag import LAG_BUCKETS

    def bucket(lag: int) -> int:
        return max(b for b in LAG_BUCKETS if b <= max(lag, 0))

    table = find(tree, {"type": "grid", "index": "lag-site-rank"})["props"]["rowData"]
    names = dict(rows(reporting, "SELECT id::text, name FROM ref.facility WHERE district_code = :d", d=district))
    assert {r["area"] for r in table} == set(expected)
    for r in table:
        n, _, median, p90 = expected[r["area"]]
        assert (r["name"], r["doses"]) == (names[r["area"]], n)
        assert (r["median"], r["p90"]) == (lag_label(bucket(median), "vi"), lag_label(bucket(p90), "vi")), r


def test_verification_mismatches_by_field_equal_the_database(app, reporting):
    as_of = "2021-10-31"
    for area, where in (("", "true"), ("79", "d.province_code = '79'")):
        tree = render(app, "pages.verification", area=area, date=as_of)
        checks = "FROM staging.verification v JOIN ref.district d ON d.code = v.district WHERE checked_day <= :a"
        by_field = dict(rows(reporting, f"SELECT f, count(*) {checks} AND {where} GROUP BY 1".replace(
            "WHERE", "CROSS JOIN LATERAL unnest(v.mismatched_fields) f WHERE"), a=as_of))
        mismatched = scalar(reporting, f"SELECT count(*) {checks} AND {where} AND outcome = 'mismatch'", a=as_of)
        assert by_field and mismatched
        graph = find(tree, "verify-fields-graph")["props"]["figure"]["data"][0]
        assert dict(zip(array(graph["customdata"]), array(graph["x"]), strict=True)) == by_field
        table = find(tree, {"type": "grid", "index": "verify-fields"})["props"]["rowData"]
        assert {r["field"]: (r["checks"], r["of_mismatches"]) for r in table} == {
            f: (n, round(n / mismatched, 4)) for f, n in by_field.items()}
        assert {r["field_name"] for r in table} <= {"Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân"}
    assert "Sai lệch theo trường thông tin" in text_of(tree)


def test_a_province_target_shows_on_that_province_only(app, reporting):
    import math
    from datetime import timedelta

    from dashboard.i18n import fmt_date, t
    from etl.targets import delete_target, set_target

    set_target(reporting, "hcm_adults_full_2021", "18+", "full", "99%", "2021-12-15", scope="79")
    app.server.config["DATA"]._version = None  # the 5-second look at the data version, skipped in a test
    try:
        as_of = date(2021, 10, 16)
        district = scalar(reporting, "SELECT code FROM ref.district WHERE province_code = '79' ORDER BY code LIMIT 1")
        for area, where in (("79", "d.province_code = '79'"), (district, "d.code = :area")):
            tree = render(app, "pages.coverage", area=area, date=as_of.isoformat())
            pop = scalar(reporting, "SELECT sum(population)::bigint FROM ref.population WHERE level = :level "
                                    "AND area_code = :area AND age_band >= 3",
                         level="province" if area == "79" else "district", area=area)

            def people(milestone: str, by: date, where=where, area=area) -> int:
                return scalar(reporting, f"SELECT count(*) FROM staging.person_milestone m JOIN ref.district d "
                                         f"ON d.code = m.residence_district WHERE m.age_band >= 3 "
                                         f"AND m.{milestone}_day <= :by AND {where}", by=by, area=area)

            full, week_ago = people("full", as_of), people("full", as_of - timedelta(days=7))
            gap = math.ceil(0.99 * pop - full)
            rate = gap / (date(2021, 12, 15) - as_of).days
            pace = (full - week_ago) / 7
            status = "on_track" if pace >= rate else "at_risk" if pace >= 0.75 * rate else "off_track"
            text = text_of(find(tree, "coverage-targets"))
            assert text_of(find(tree, "cov-target-hcm_adults_full_2021")) == fmt_pct(full / pop, "vi"), area
            assert f"Còn thiếu {fmt_int(gap, 'vi')} người; cần {fmt_int(rate, 'vi')} người/ngày" in text, area
            reach = as_of + timedelta(days=math.ceil(gap / pace)) if pace > 0 else None
            assert (t("reach_on", "vi", day=fmt_date(reach, "vi")) if reach else t("reach_never", "vi")) in text
            assert t(f"status_{status}", "vi") in text
            # the national targets are measured on the area too
            first = people("first", as_of)
            assert text_of(find(tree, "cov-target-adults_first_2021")) == fmt_pct(first / pop, "vi"), area
        for other in (render(app, "pages.coverage", area="01", date=as_of.isoformat()),
                      render(app, "pages.overview", date=as_of.isoformat())):
            assert find(other, "cov-target-hcm_adults_full_2021") is None
            assert find(other, "card-hcm_adults_full_2021") is None
            assert "(18+, full)" not in text_of(other)
        assert find(render(app, "pages.overview", date=as_of.isoformat()), "card-adults_first_2021") is not None
    finally:
        delete_target(reporting, "hcm_adults_full_2021")
        app.server.config["DATA"]._version = None


def test_warming_renders_every_province_once_per_version(reporting, tmp_path):
    from dashboard.app import WARM_PAGES, warm

    add_accounts(reporting)  # the pages are rendered as bo_yte
    url = reporting.url.render_as_string(hide_password=False)
    app = create_app(Settings(database_url=url, data_dir=tmp_path, warm_cache=False))
    before = len(list((tmp_path / "cache").iterdir()))
    warm(app, 1)
    pages = len(list((tmp_path / "cache").iterdir())) - before
    # the first pages, every province's drill-down and data-quality scorecard, each a cache entry (plus queries)
    assert pages >= 2 * 63 + 6
    # and the first visit after warming is served from the page cache: the page's JSON as kept, not a render
    # (a render returns Dash components; so does every visit when the page cache or the warming is off)
    for module, query in WARM_PAGES + (("pages.coverage", {"area": "79"}), ("pages.quality", {"area": "01"})):
        tree = render(app, module, **query)
        assert isinstance(tree, dict) and "props" in tree, (module, query, type(tree))
    started = __import__("time").perf_counter()
    warm(app, 1)  # the same version: claimed already, nothing to do
    assert __import__("time").perf_counter() - started < 0.5
