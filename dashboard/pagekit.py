"""What the pages with a drill-down share: rendering with its error pages, the area in the URL, the breadcrumb."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
from dash import dcc, html

from dashboard.auth import current_role, may_open
from dashboard.components.panels import message
from dashboard.context import BadParameter, OutOfScope, cached_page, data, error_page, scope
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
