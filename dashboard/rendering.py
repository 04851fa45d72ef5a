"""How a page is rendered: only where Dash may show it, its parameters checked, inside the frame, cached by its
URL, scope and data version, or as an error page (never cached) when the data or a parameter is wrong."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable
from datetime import date

import dash
import flask
import pandas as pd
import plotly
from dash import html

from dashboard.access import data, scope
from dashboard.auth import current_account, current_role, may_open
from dashboard.components.frame import freshness, nav_pages, shell
from dashboard.components.panels import message
from dashboard.data import DataUnavailable, code_version
from dashboard.i18n import t
from dashboard.params import BadParameter, OutOfScope, check_query, lang_of

log = logging.getLogger(__name__)


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


def error_page(tree):
    """Marks a page that shows an error: it is not cached, so it disappears as soon as the cause does."""
    tree.error_page = True
    return tree


def cached_page(page: str, query: dict, render: Callable[[], object]):
    """A page's layout is a pure function of its URL, the user's scope and the data version: keep its JSON.

    A cached page is returned as the JSON structure of its components (what Dash sends anyway), which is
    ten times faster than rebuilding or unpickling the component objects. Error pages are not kept.
    """
    dx = data()
    try:
        version = dx.data_version()
    except DataUnavailable:
        return render()
    # The scope decides the data; the pages in the navigation (which depend on the role) the frame.
    raw = json.dumps([page, sorted((k, v) for k, v in query.items() if v not in (None, "")), scope().province,
                      nav_pages(current_role()), version, code_version()])
    key = "page:" + hashlib.sha1(raw.encode()).hexdigest()
    cache = dx.cache
    if cache is not None:
        try:
            hit = cache.get(key)
            if hit is not None:
                return json.loads(hit)
        except Exception as exc:  # a broken cache must not break the page
            log.warning("page cache read failed (%s)", exc)
    tree = render()
    if cache is not None and not getattr(tree, "error_page", False):
        try:
            cache.set(key, json.dumps(tree, cls=plotly.utils.PlotlyJSONEncoder))
        except Exception as exc:
            log.warning("page cache write failed (%s)", exc)
    return tree


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
