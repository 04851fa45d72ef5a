"""What the pages with a drill-down share: rendering with its error pages, the area in the URL, the breadcrumb."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from dash import dcc, html

from dashboard.auth import current_role, may_open
from dashboard.components.panels import message
from dashboard.context import BadParameter, OutOfScope, cached_page, error_page
from dashboard.data import DataUnavailable, Scope
from dashboard.i18n import t
from dashboard.shell import href, shell


def render_page(name: str, path: str, lang: str, query: dict,
                content: Callable[[str, dict], tuple[list, str]]):
    """The cached page, or a page saying the database is down or a parameter is wrong (never cached)."""

    if not may_open(path, current_role()):
        return error_page(shell(lang, path, message(t("not_allowed", lang)), "", {}))

    def render():
        try:
            children, fresh = content(lang, query)
            return shell(lang, path, children, fresh, query)
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
