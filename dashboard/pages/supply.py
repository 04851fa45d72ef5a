"""Cung ứng vắc xin (vaccine supply): stock on hand by store level, days of supply, doses near expiry,
utilisation, wastage against the allowed rate, allocation vs delivered vs given, stock-outs and a lot's
journey; nation -> province -> district -> site. The URL holds the view (area, site, date, lot)."""

from __future__ import annotations

from datetime import date, timedelta

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from common.vocabulary import CAMPAIGN_START
from dashboard.access import data, scope
from dashboard.charts import supply as charts
from dashboard.components.drilldown import breadcrumb, resolve_area
from dashboard.components.frame import href
from dashboard.components.panels import card, chart_panel, clicked_area, message
from dashboard.i18n import fmt_date, fmt_int, fmt_pct, t
from dashboard.measures import supply as M
from dashboard.metrics import CATALOGUE
from dashboard.params import BadParameter, day, lang_of
from dashboard.reads import supply as reads
from dashboard.rendering import newest, render_page

dash.register_page(__name__, path="/supply", name="Cung ứng vắc xin", title="Cung ứng vắc xin — chiến dịch tiêm chủng")

AREA_GRAPH, DATE_PICK, SITE_PICK, LOT_PICK, STATE = (
    "supply-areas",
    "supply-date",
    "supply-site",
    "supply-lot",
    "supply-state",
)
SHOWN_DAYS = 180  # the charts over time show the half year to the chosen day


def layout(
    lang: str | None = None,
    area: str | None = None,
    site: str | None = None,
    date: str | None = None,
    lot: str | None = None,
    **_,
) -> html.Div:
    lang = lang_of(lang)
    query = {"lang": lang, "area": area, "site": site, "date": date, "lot": lot}
    return render_page("supply", "/supply", lang, query, _content)


def _int_param(value: str | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    if not value.isdigit() or len(value) > 9:
        raise BadParameter(f"{name}={value!r}")
    return int(value)


def _content(lang: str, q: dict) -> tuple[list, str]:
    dx, sc = data(), scope()
    last, fresh = newest(lang)
    as_of = day(q["date"], last)
    areas = dx.query("areas", {}, sc)
    names = dict(zip(areas["area"], areas["name"]))
    area, level, province = resolve_area(areas, q["area"], sc)
    district = area if level == "district" else None
    site, site_name, sites = _int_param(q["site"], "site"), None, None
    if site is not None:
        if district is None:
            raise BadParameter("site (without its district)")
        sites = reads.sites(dx, sc, district)
        if site not in set(sites["site"]):
            raise BadParameter(f"site={site}")
        site_name = sites.loc[sites["site"] == site, "name"].iloc[0]
    elif district is not None:
        sites = reads.sites(dx, sc, district)
    where = reads.Where(province, district, site)

    stock = reads.stock(dx, sc, where, as_of)
    total = M.totals(stock)
    allowance = reads.allowance(dx, sc)
    wastage = M.wastage_by_product(stock, allowance)
    trend = reads.trend(dx, sc, where, as_of)
    start = max(CAMPAIGN_START, as_of - timedelta(days=SHOWN_DAYS))
    series = M.on_hand_series(trend, start, as_of)
    weeks = M.weekly_flows(trend, start)

    panels = [
        chart_panel(
            "supply-stock",
            t("supply_stock_title", lang),
            charts.on_hand_chart(series, lang),
            CATALOGUE["supply_on_hand"],
            series.assign(day=series["day"].astype(str)),
            _cols(lang, list(series.columns)),
            lang,
            "supply-stock-graph",
        ),
        chart_panel(
            "supply-flows",
            t("supply_flows_title", lang),
            charts.flows_chart(weeks, lang),
            CATALOGUE["supply_on_hand"],
            weeks.assign(week=weeks["week"].astype(str)),
            _cols(lang, ["week", "delivered", "administered", "wasted"]),
            lang,
            "supply-flows-graph",
        ),
    ]
    if site is None:
        sub = M.by_area(
            reads.sub_areas(dx, sc, where, as_of),
            {**names, **({} if sites is None else dict(zip(sites["site"].astype(str), sites["name"])))},
        )
        columns = [
            "area",
            "name",
            "on_hand",
            "administered_7d",
            "days_of_supply",
            "delivered",
            "administered",
            "utilisation",
            "wasted",
            "wastage_rate",
        ]
        panels.append(
            chart_panel(
                "supply-areas",
                t("supply_areas_title", lang),
                charts.days_chart(sub, lang),
                CATALOGUE["supply_on_hand"],
                sub[columns].round(4),
                _cols(lang, columns),
                lang,
                AREA_GRAPH,
                row_id="area",
            )
        )
    if level in ("nation", "province"):
        ranked = M.allocation_ranked(reads.allocation(dx, sc, province, as_of), names)
        columns = [
            "province",
            "name",
            "allocated",
            "delivered",
            "administered",
            "delivered_share",
            "used_share",
            "unused",
        ]
        panels.append(
            chart_panel(
                "supply-allocation",
                t("supply_allocation_title", lang),
                charts.allocation_chart(ranked, lang),
                CATALOGUE["supply_utilisation"],
                ranked[columns].round(4),
                _cols(lang, columns),
                lang,
                "supply-allocation-graph",
                row_id="province",
            )
        )
    columns = ["product_code", "name", "administered", "wasted", *M.WASTED, "rate", "allowed_rate"]
    panels.append(
        chart_panel(
            "supply-wastage",
            t("supply_wastage_title", lang),
            charts.wastage_chart(wastage, lang),
            CATALOGUE["supply_wastage"],
            wastage[columns].round(4),
            _cols(lang, columns),
            lang,
            "supply-wastage-graph",
        )
    )
    panels.append(_stockout_panel(reads.stockouts(dx, sc, where, as_of), names, lang))

    lots = reads.lots(dx, sc, where, as_of)
    lot = _int_param(q["lot"], "lot")
    if lot is not None and lot not in set(lots["lot_id"]):
        raise BadParameter(f"lot={lot}")
    if lot is None and len(lots):
        lot = int(lots["lot_id"].iloc[0])
    journey_panel = _journey_panel(reads.lot_journey(dx, sc, where, as_of, lot) if lot is not None else None, lang)

    title = site_name or names.get(area, t("nation", lang))
    state = {
        "lang": lang,
        "area": area,
        "site": "" if site is None else str(site),
        "date": as_of.isoformat(),
        "lot": "" if q["lot"] in (None, "") else str(lot),
    }
    return [
        _breadcrumb(q, names, area, level, province, site_name, lang),
        html.H2(f"{t('nav_supply', lang)} — {title} ({fmt_date(as_of, lang)})", id="supply-title"),
        _controls(lang, as_of, last, sites, site, lots, lot, state),
        html.Div(_cards(stock, total, lang), className="cards"),
        *[html.Div(panels[i : i + 2], className="grid-2") for i in range(0, len(panels), 2)],
        journey_panel,
    ], fresh


def _breadcrumb(
    q: dict, names: dict, area: str, level: str, province: str | None, site_name: str | None, lang: str
) -> html.Nav:
    nav = breadcrumb(
        "/supply", {**q, "site": None, "lot": None}, names, area, level, province, lang, "supply-breadcrumb"
    )
    if site_name:  # the district becomes a link back up, the site the last crumb
        nav.children[-1] = dcc.Link(names[area], href=href("/supply", area=area, date=q["date"], lang=lang))
        nav.children += [html.Span("›"), html.Span(site_name)]
    return nav


def _controls(
    lang: str,
    as_of: date,
    last: date,
    sites: pd.DataFrame | None,
    site: int | None,
    lots: pd.DataFrame,
    lot: int | None,
    state: dict,
) -> html.Div:
    items = [
        html.Label(
            [
                t("as_of", lang),
                dcc.DatePickerSingle(
                    id=DATE_PICK,
                    date=as_of.isoformat(),
                    display_format="DD/MM/YYYY",
                    min_date_allowed=CAMPAIGN_START,
                    max_date_allowed=last,
                    first_day_of_week=1,
                ),
            ]
        )
    ]
    if sites is not None:
        items.append(
            html.Label(
                [
                    t("supply_site_pick", lang),
                    dcc.Dropdown(
                        id=SITE_PICK,
                        options=[{"label": n, "value": str(s)} for s, n in zip(sites["site"], sites["name"])],
                        value=None if site is None else str(site),
                        placeholder=t("all", lang),
                        clearable=True,
                        style={"minWidth": "260px"},
                    ),
                ]
            )
        )
    items.append(
        html.Label(
            [
                t("supply_lot", lang),
                dcc.Dropdown(
                    id=LOT_PICK,
                    options=[
                        {"label": f"{c} ({p}, {fmt_date(e, lang)})", "value": str(i)}
                        for i, c, p, e in zip(
                            lots["lot_id"], lots["lot_code"], lots["product_code"], lots["expiry_date"]
                        )
                    ],
                    value=None if lot is None else str(lot),
                    clearable=False,
                    style={"minWidth": "260px"},
                ),
            ]
        )
    )
    items.append(dcc.Store(id=STATE, data=state))
    return html.Div(items, className="controls")


def _cards(stock: pd.DataFrame, total: dict, lang: str) -> list:
    levels = M.by_level(stock)
    dos = total["days_of_supply"]
    return [
        card(
            t("supply_on_hand", lang),
            fmt_int(total["on_hand"], lang),
            [f"{t(f'level_{r.level}', lang)}: {fmt_int(r.on_hand, lang)}" for r in levels.itertuples()],
            lang=lang,
            card_id="supply-card-on-hand",
        ),
        card(
            t("supply_days", lang),
            "—" if dos is None else fmt_int(round(dos), lang),
            [t("supply_days_line", lang, n=fmt_int(round(total["administered_7d"] / M.DAYS_OF_USE), lang))],
            lang=lang,
            card_id="supply-card-days",
        ),
        card(
            t("supply_expiring", lang),
            fmt_int(total["expiring_30"], lang),
            [
                t("supply_expiring_60", lang, n=fmt_int(total["expiring_60"], lang)),
                t("supply_expired", lang, n=fmt_int(total["expired"], lang)),
            ],
            lang=lang,
            card_id="supply-card-expiring",
        ),
        card(
            t("supply_utilisation", lang),
            fmt_pct(total["utilisation"], lang),
            [
                t(
                    "supply_utilisation_line",
                    lang,
                    a=fmt_int(total["administered"], lang),
                    d=fmt_int(total["delivered"], lang),
                )
            ],
            lang=lang,
            card_id="supply-card-utilisation",
        ),
        card(
            t("supply_wastage_rate", lang),
            fmt_pct(total["wastage_rate"], lang),
            [
                t(
                    "supply_wasted_line",
                    lang,
                    w=fmt_int(total["wasted"], lang),
                    e=fmt_int(total["wasted_expiry"], lang),
                    o=fmt_int(total["wasted_open_vial"], lang),
                    b=fmt_int(total["wasted_breakage"], lang),
                    c=fmt_int(total["wasted_cold_chain"], lang),
                )
            ],
            lang=lang,
            card_id="supply-card-wastage",
        ),
    ]


def _stockout_panel(out: pd.DataFrame, names: dict, lang: str) -> html.Section:
    n = sum(M.stockouts_by_level(out).values())
    table = out.assign(
        level_name=[t(f"level_{lv}", lang) for lv in out["level"]],
        area_name=[
            names.get(d if isinstance(d, str) else p, "") for d, p in zip(out["district"], out["province"], strict=True)
        ],
        out_since=out["out_since"].astype(str),
    )
    columns = ["facility_id", "name", "level_name", "area_name", "product_code", "on_hand", "out_since", "days_out"]
    panel = chart_panel(
        "supply-stockouts",
        t("supply_stockouts_title", lang),
        charts.stockout_chart(out, lang),
        CATALOGUE["supply_stockouts"],
        table[columns],
        _cols(lang, columns),
        lang,
        "supply-stockouts-graph",
    )
    panel.children.insert(
        1,
        html.P(
            t("supply_stockouts_note", lang, n=fmt_int(n, lang), shown=fmt_int(len(out), lang)),
            id="supply-stockouts-count",
            className="note",
        ),
    )
    return panel


def _journey_panel(rows: pd.DataFrame | None, lang: str) -> html.Section:
    if rows is None or rows.empty:
        return html.Section([message(t("supply_no_lot", lang), "info")], className="panel", id="panel-supply-lot")
    j = M.journey(rows)
    head = rows.iloc[0]
    lines = [
        t(
            "supply_lot_ok",
            lang,
            d=fmt_int(j["delivered"], lang),
            u=fmt_int(j["used"], lang),
            h=fmt_int(j["on_hand"], lang),
            a=j["adjusted"],
            n=fmt_int(j["lot_doses"], lang),
        )
    ]
    for kind, n in j["problems"]:
        lines.append(t("supply_lot_short" if kind == "short" else "supply_lot_beyond", lang, n=fmt_int(n, lang)))
    levels = j["levels"].assign(level_name=lambda f: [t(f"level_{lv}", lang) for lv in f["level"]])
    columns = [
        "level_name",
        "received",
        "issued",
        "administered",
        *M.WASTED,
        "adjusted",
        "on_hand",
        "facilities",
        "short_facilities",
    ]
    panel = chart_panel(
        "supply-lot",
        t(
            "supply_lot_title",
            lang,
            lot=head["lot_code"],
            product=head["product_code"],
            expiry=fmt_date(head["expiry_date"], lang),
        ),
        charts.journey_chart(j["levels"], lang),
        CATALOGUE["supply_lot"],
        levels[columns],
        _cols(lang, columns),
        lang,
        "supply-lot-graph",
    )
    panel.children.insert(
        1,
        html.Div(
            [html.P(line) for line in lines],
            id="supply-lot-check",
            className="note" if j["adds_up"] else "message error",
        ),
    )
    return panel


def _cols(lang: str, fields: list[str]) -> list[dict]:
    header = {
        "day": t("day", lang),
        "week": t("week", lang),
        "area": "ID",
        "name": t("area", lang),
        "province": "GSO",
        "facility_id": "ID",
        "product_code": t("product", lang),
        "level_name": t("supply_level", lang),
        "area_name": t("area", lang),
        "days_out": t("supply_days_out", lang),
        "out_since": t("supply_out_since", lang),
        "days_of_supply": t("supply_days", lang),
        "administered_7d": t("supply_administered", lang) + " (7)",
        "utilisation": t("supply_utilisation", lang),
        "wastage_rate": t("supply_wastage_rate", lang),
        "rate": t("supply_wastage_rate", lang),
        "allowed_rate": t("supply_allowed_rate", lang),
        "facilities": t("facilities", lang),
        "short_facilities": t("dq_short_ledgers", lang),
        **{lv: t(f"level_{lv}", lang) for lv in M.LEVELS},
    }
    return [{"field": f, "headerName": header.get(f) or t(f"supply_{f}", lang)} for f in fields]


def validation_stub() -> list:
    return [
        dcc.Graph(id=AREA_GRAPH),
        dcc.DatePickerSingle(id=DATE_PICK),
        dcc.Dropdown(id=SITE_PICK),
        dcc.Dropdown(id=LOT_PICK),
        dcc.Store(id=STATE),
    ]


@callback(
    Output("url", "href", allow_duplicate=True),
    Input(AREA_GRAPH, "clickData"),
    Input(DATE_PICK, "date"),
    Input(LOT_PICK, "value"),
    State(STATE, "data"),
    prevent_initial_call=True,
)
def supply_navigate(click, date_value, lot, state):
    """A bar opens the area below (a site of a district); a new date or lot opens the same view with it."""
    state = state if isinstance(state, dict) else {}
    view = {k: state.get(k) for k in ("lang", "area", "site", "date", "lot")}
    trigger = dash.ctx.triggered_id
    if trigger == AREA_GRAPH:
        code = clicked_area(click)
        if code is None or not code.isdigit():
            return dash.no_update
        area = str(view.get("area") or "")
        if len(area) == 3:  # a district's bars are its sites
            view["site"] = code
        elif len(code) == (3 if area else 2):  # the provinces of the nation, the districts of a province
            view.update(area=code, site=None)
        else:
            return dash.no_update
        view["lot"] = None
    elif trigger == DATE_PICK:
        if (date_value or "")[:10] == view.get("date"):
            return dash.no_update
        view["date"] = (date_value or "")[:10]
    elif trigger == LOT_PICK:
        if not isinstance(lot, str) or lot == view.get("lot"):
            return dash.no_update
        view["lot"] = lot
    return href("/supply", **view)


@callback(
    Output("url", "href", allow_duplicate=True),
    Input(SITE_PICK, "value"),
    State(STATE, "data"),
    prevent_initial_call=True,
)
def supply_pick_site(site, state):
    state = state if isinstance(state, dict) else {}
    if site == (state.get("site") or None) or not (site is None or (isinstance(site, str) and site.isdigit())):
        return dash.no_update
    return href("/supply", lang=state.get("lang"), area=state.get("area"), site=site, date=state.get("date"))
