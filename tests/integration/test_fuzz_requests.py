"""Property-based requests (hypothesis, derandomized so CI sees the same examples): random query strings on
every page, as the page HTML and as the page callback, and random callback bodies on every callback, signed
in. No answer is a 500 or shows a traceback; each is bounded in size and time."""

from __future__ import annotations

import time
from datetime import date
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.settings import Settings
from dashboard.app import create_app
from tests.integration.test_access_control import open_page, reporting  # noqa: F401  (a fixture)
from tests.signin import sign_in

PAGES = ("/", "/coverage", "/lag", "/verification", "/quality", "/testing", "/report", "/admin", "/no-such-page")
KEYS = ("area", "date", "date_from", "date_to", "lang", "metric", "group", "milestone", "product", "dose", "next",
        "lab")
MAX_BYTES, MAX_SECONDS = 2_000_000, 10.0
FUZZ = settings(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def client(reporting, tmp_path_factory):  # noqa: F811
    app = create_app(Settings(database_url=reporting.url.render_as_string(hide_password=False),
                              data_dir=tmp_path_factory.mktemp("data"), warm_cache=False))
    client = app.server.test_client()
    assert sign_in(client, "hcm").status_code == 302  # a province user: the narrowest scope
    return client


def bounded(response, started: float, what) -> None:
    elapsed = time.monotonic() - started
    body = response.get_data()
    assert response.status_code < 500, (what, response.status_code, body[:300])
    assert b"Traceback" not in body and b"File \"/" not in body, what
    assert len(body) < MAX_BYTES, (what, len(body))
    assert elapsed < MAX_SECONDS, (what, elapsed)


values = st.one_of(
    st.dates(date(1800, 1, 1), date(2200, 12, 31)).map(date.isoformat),
    st.sampled_from(["", "79", "01", "760", "99", "VN", "en", "vi", "18+", "first", "adults_full", "1", "-1",
                     "2021-02-30", "2021-08-01T00:00", "' OR 1=1 --", "../../etc/passwd", "%0d%0a", "\r\nX: y",
                     "9" * 400]),
    st.text(max_size=30),
)
pairs = st.lists(st.tuples(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), values), max_size=5)
raw = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)


@settings(FUZZ, max_examples=150)
@given(path=st.sampled_from(PAGES), query=pairs, junk=raw)
def test_random_query_strings_on_every_page(client, path, query, junk):
    for search in ("?" + urlencode(query), "?" + quote(junk, safe="=&%+"), "?" + junk):
        started = time.monotonic()
        bounded(client.get(path + search, headers={"Accept": "text/html"}), started, (path, search))
        started = time.monotonic()
        bounded(open_page(client, path, search), started, ("callback", path, search))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12)
click = st.fixed_dictionaries({"points": st.lists(st.fixed_dictionaries({"customdata": json_values}), max_size=2)})


@pytest.fixture(scope="module")
def callbacks(client) -> list[dict]:
    deps = client.get("/_dash-dependencies").get_json()
    return [d for d in deps if not d.get("clientside_function")]


def _body(callback: dict, value_for, shape: str):
    items = [{"id": _id(i["id"]), "property": i["property"], "value": value_for(i["property"])}
             for i in callback["inputs"]]
    states = [{"id": _id(s["id"]), "property": s["property"], "value": value_for(s["property"])}
              for s in callback["state"]]
    body = {"output": callback["output"], "outputs": _outputs(callback["output"]), "inputs": items,
            "state": states, "changedPropIds": [f"{callback['inputs'][0]['id']}.{callback['inputs'][0]['property']}"]}
    if shape == "drop input":
        body["inputs"] = items[1:]
    elif shape == "no state":
        body.pop("state")
    elif shape == "output typo":
        body["output"] = callback["output"] + "x"
    elif shape == "other outputs":
        body["outputs"] = {"id": "url", "property": "href"}
    elif shape == "inputs as dict":
        body["inputs"] = {"a": items}
    return body


def _outputs(output: str):
    """The outputs as Dash's renderer names them: "id.property", or "..a.b...c.d.." for several."""
    def one(spec):
        component, prop = spec.rsplit(".", 1)
        return {"id": _id(component), "property": prop}

    if output.startswith(".."):
        return [one(spec) for spec in output[2:-2].split("...")]
    return one(output)


def _id(value: str):
    import json

    return json.loads(value) if value.startswith("{") else value


@settings(FUZZ, max_examples=300)
@given(data=st.data(), shape=st.sampled_from(["as sent", "as sent", "as sent", "drop input", "no state",
                                              "output typo", "other outputs", "inputs as dict"]))
def test_random_callback_bodies(client, callbacks, data, shape):
    callback = data.draw(st.sampled_from(callbacks))
    # mostly values of the property's own type (so that the callbacks run), sometimes anything at all
    text = st.none() | values
    fitting = {"clickData": click, "cellClicked": st.dictionaries(st.sampled_from(["value", "colId", "data"]),
                                                                  json_values, max_size=3),
               "data": st.dictionaries(st.sampled_from(["lang", "area", "date", "metric", "id"]), text | json_values,
                                       max_size=4),
               "value": text | st.integers(), "n_clicks": st.none() | st.integers(0, 5),
               "n_intervals": st.none() | st.integers(0, 5)}

    def value_for(prop):
        return data.draw(st.one_of(fitting.get(prop, text), fitting.get(prop, text), json_values))

    started = time.monotonic()
    body = _body(callback, value_for, shape)
    bounded(client.post("/_dash-update-component", json=body), started, body)


@settings(FUZZ, max_examples=40)
@given(body=json_values)
def test_random_json_as_a_callback_body(client, body):
    started = time.monotonic()
    bounded(client.post("/_dash-update-component", json=body), started, body)


def test_the_requests_of_the_issue_get_a_message_not_a_500(client):
    """Dates outside the data (a 7-27 MB page in 27-94 s; a 500), repeated parameters, a forged callback,
    an unknown bundle path, a `next=` holding a newline."""
    import json

    for path, search in (("/", "?date=2099-01-01"), ("/verification", "?date=1900-01-01"),
                         ("/coverage", "?date=2021-03-07"), ("/lag", "?date_from=1900-01-01"),
                         ("/lag", "?date_to=2099-01-01"), ("/quality", "?date=2099-01-01"),
                         ("/testing", "?date=2099-01-01"), ("/testing", "?lab=99999"),
                         ("/coverage", "?area=79&area=01")):
        started = time.monotonic()
        response = open_page(client, path, search)
        bounded(response, started, (path, search))
        body = json.dumps(response.get_json(), ensure_ascii=False)
        assert response.status_code == 200 and "Tham số không hợp lệ" in body and len(body) < 20_000, search
        assert time.monotonic() - started < 2, search
    for url in ("/coverage?area=79&area=01", "/?date=2021-08-01&date=2021-08-02", "/login?next=%0d%0aSet-Cookie:x",
                "/_dash-component-suites/nothing/x.js", "/_dash-component-suites/dash/../../setup.py"):
        response = client.get(url, headers={"Accept": "text/html"})
        assert response.status_code == 400 and "Invalid parameter" in response.get_data(as_text=True), url
    forged = {"output": "user-box.children", "outputs": {"id": "user-box", "property": "children"},
              "inputs": [{"id": "url", "property": "search", "value": {"not": "text"}}], "state": [],
              "changedPropIds": ["url.search"]}
    for body in (forged, {**forged, "inputs": "x"}, {**forged, "output": "nothing.children"}, [1, 2], "x"):
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 400 and "Invalid parameter" in response.get_json()["error"], body
