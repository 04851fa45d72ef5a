"""The frame of every page: title, navigation, data freshness, language switch. URLs carry the state."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from dash import dcc, html

from common.vocabulary import VN_TZ
from dashboard.auth import current_role
from dashboard.auth.roles import may_open
from dashboard.i18n import fmt_date, t

PAGES = (("/", "nav_overview"), ("/coverage", "nav_coverage"), ("/lag", "nav_lag"),
         ("/verification", "nav_verification"), ("/quality", "nav_quality"), ("/supply", "nav_supply"),
         ("/testing", "nav_testing"), ("/report", "nav_report"),
         ("/admin", "nav_admin"))


def nav_pages(role: str | None) -> list[str]:
    """The pages a role sees in the navigation (and may open)."""
    return [path for path, _ in PAGES if may_open(path, role)]


def href(path: str, **query) -> str:
    """A link to a page with its state in the query string (empty values left out)."""
    q = {k: v for k, v in query.items() if v not in (None, "", "vi") or (k == "lang" and v == "en")}
    q = {k: v for k, v in q.items() if not (k == "lang" and v == "vi")}
    return path + ("?" + urlencode(q) if q else "")


def freshness(last_day, published_at: datetime | None, lang: str) -> str:
    if last_day is None:
        return t("no_data", lang)
    when = published_at.astimezone(VN_TZ).strftime("%H:%M") if published_at else "–"
    return t("freshness", lang, day=fmt_date(last_day, lang), time=when)


def shell(lang: str, active: str, content, fresh: str, query: dict) -> html.Div:
    """`query` is the page's state, so the language switch keeps the view."""
    other = "en" if lang != "en" else "vi"
    visible = nav_pages(current_role())
    nav = [dcc.Link(t(key, lang), href=href(path, lang=lang), className="nav-link active" if path == active
                    else "nav-link") for path, key in PAGES if path in visible]
    return html.Div([
        html.Header([
            html.Div([html.Span("VN", className="logo"), html.H1(t("app_title", lang))], className="brand"),
            html.Nav(nav),
            html.Div(fresh, className="freshness", id="freshness"),
            dcc.Link(t("language", lang), href=href(active, **{**query, "lang": other}), id="lang-switch",
                     className="lang-switch"),
            html.Div(id="user-box", className="user-box"),  # filled per user by dashboard.auth.web
        ], className="topbar"),
        html.Main(content, className="content", lang=lang),
    ])
