"""The drill-down of the pages that have one: the area in the URL (nation, province, district) and the
breadcrumb back up."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from dashboard.components.frame import href
from dashboard.data import Scope
from dashboard.i18n import t
from dashboard.params import BadParameter, OutOfScope


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
