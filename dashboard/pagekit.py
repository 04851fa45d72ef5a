"""What the pages with a drill-down share: rendering with its error pages, the area in the URL, the breadcrumb."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date

import dash
import flask
import pandas as pd
from dash import dcc, html

from dashboard.auth import current_account, current_role, may_open
from dashboard.components.panels import message
from dashboard.context import BadParameter, OutOfScope, cached_page, check_query, data, error_page, lang_of, scope
from dashboard.data import DataUnavailable, Scope
from dashboard.i18n import t
from dashboard.shell import freshness, href, shell


class NoData(Exception):
    """Nothing published yet (before the first ETL run): the page says so instead of drawing empty charts."""

    def __init__(self, fresh: str) -> None:
        super().__init__("no data")
        self.fresh = fresh


def newest(lang: str) -> tuple[date, str]:
    """The newest data day in the user's scope and the freshness line of the top bar; NoData when none."""
    row = data().query("freshness", {}, scope()).iloc[0]
    fresh = freshness(row["last_day"], row["published_at"], lang)
    if row["last_day"] is None or pd.isna(row["last_day"]):
        raise NoData(fresh)
    return row["last_day"], fresh


PAGE_CONTENT = "_pages_content"  # the id of dash.page_container's content: what Dash's page callback fills


def _in_page_callback() -> bool:
    """Whether this is Dash's page-routing callback, which only a signed-in request passes the gate to."""
    try:
        outputs = dash.ctx.outputs_list
    except Exception:  # no callback is running (Dash's own set-up, an HTML page, a route)
        return False
    outputs = outputs if isinstance(outputs, list) else [outputs]
    return any(isinstance(o, dict) and o.get("id") == PAGE_CONTENT for o in outputs)


def guarded(layout: Callable, path: str, stubs: Callable[[], list] | None) -> Callable:
    """A page's layout as Dash may call it: rendered only in the page callback of a signed-in request (or
    by code acting as an account, the cache warmer), with its URL parameters checked first. Anywhere else -
    Dash calls every layout in the first request a worker serves, to build a validation layout it then
    embeds in every page's HTML - it is the page's stubs: component ids and types, no data."""

    @functools.wraps(layout)
    def page(**query):
        if flask.g.get("acting") is None and not (current_account() is not None and _in_page_callback()):
            return html.Div(stubs() if stubs else [])
        try:
            check_query(query)
        except BadParameter as exc:
            lang = lang_of(query["lang"] if isinstance(query.get("lang"), str) else None)
            return error_page(shell(lang, path, message(t("bad_input", lang, detail=str(exc))), "", {"lang": lang}))
        return layout(**query)

    return page


def render_page(name: str, path: str, lang: str, query: dict,
                content: Callable[[str, dict], tuple[list, str]]):
    """The cached page, or a page saying the database is down or a parameter is wrong (never cached)."""

    if not may_open(path, current_role()):
        return error_page(shell(lang, path, message(t("not_allowed", lang)), "", {}))

    def render():
        try:
            children, fresh = content(lang, query)
            return shell(lang, path, children, fresh, query)
        except NoData as empty:
            return shell(lang, path, message(t("no_data", lang), "info"), empty.fresh, query)
        except DataUnavailable:
            return error_page(shell(lang, path, message(t("db_down", lang)), "", query))
        except OutOfScope:
            # the page's state (the URL's area among it) is not echoed back, not even in the language switch
            return error_page(shell(lang, path, message(t("not_in_scope", lang)), "", {"lang": lang}))
        except BadParameter as exc:
            return error_page(shell(lang, path, message(t("bad_input", lang, detail=str(exc))), "", query))

    return cached_page(name, query, render)


def resolve_area(areas: pd.DataFrame, requested: str | None, sc: Scope) -> tuple[str, str, str | None]:
    """(area, level, province) from the URL's area: '' the nation, 2 digits a province, 3 a district."""
    area = requested or (sc.province or "")
    if area and area not in set(areas["area"]):
        # `areas` holds the scope's areas only: for a province user an area of another province is unknown
        # here, and it is refused as such without telling whether it exists.
        if sc.province is not None:
            raise OutOfScope(sc.province)
        raise BadParameter(f"area={area!r}")
    if area == "":
        return area, "nation", None
    if len(area) == 2:
        return area, "province", area
    return area, "district", areas.loc[areas["area"] == area, "province"].iloc[0]


def breadcrumb(path: str, query: dict, names: dict, area: str, level: str, province: str | None, lang: str,
               nav_id: str) -> html.Nav:
    crumbs = [dcc.Link(t("breadcrumb_root", lang), href=href(path, **{**query, "area": None, "lang": lang}))]
    if province:
        crumbs += [html.Span("›"), dcc.Link(names[province], href=href(path, **{**query, "area": province,
                                                                                "lang": lang}))]
    if level == "district":
        crumbs += [html.Span("›"), html.Span(names[area])]
    return html.Nav(crumbs, className="breadcrumb", id=nav_id)
