"""Quản trị (administration), for administrators only: the accounts and the audit log, newest first.

Not cached: it is read live, and only administrators (checked here, whatever the URL or callback) see it.
Accounts are changed with `python -m dashboard users ...`, not here.
"""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import pandas as pd
import sqlalchemy as sa
from dash import html

from dashboard.access import data
from dashboard.auth import current_role, may_open
from dashboard.components.frame import shell
from dashboard.components.panels import GRID_COLUMNS, message
from dashboard.i18n import t
from dashboard.params import lang_of
from dashboard.reads import admin as reads

dash.register_page(__name__, path="/admin", name="Quản trị", title="Quản trị — chiến dịch tiêm chủng")

PATH = "/admin"
USERS_GRID, AUDIT_GRID = "admin-users", "admin-audit"
USER_FIELDS = (("username", "col_username"), ("role", "col_role"), ("province", "col_province"),
               ("disabled", "col_disabled"), ("created_at", "col_created"))
AUDIT_FIELDS = (("at", "col_at"), ("username", "col_username"), ("address", "col_address"), ("action", "col_action"),
                ("scope", "col_scope"), ("detail", "col_detail"))


def layout(lang: str | None = None, **_) -> html.Div:
    lang = lang_of(lang)
    if not may_open(PATH, current_role()):
        return shell(lang, PATH, message(t("not_allowed", lang)), "", {"lang": lang})
    dx = data()
    try:
        accounts, log = reads.accounts(dx), reads.audit_log(dx)
    except (sa.exc.OperationalError, sa.exc.InterfaceError):
        return shell(lang, PATH, message(t("db_down", lang)), "", {"lang": lang})
    return shell(lang, PATH, [
        html.H2(t("nav_admin", lang)),
        html.Section([html.H3(t("users_title", lang)), _grid(USERS_GRID, _account_rows(accounts, lang), USER_FIELDS,
                                                             lang)], className="panel"),
        html.Section([html.H3(t("audit_title", lang)), _grid(AUDIT_GRID, _audit_rows(log), AUDIT_FIELDS, lang)],
                     className="panel", style={"marginTop": "14px"}),
    ], "", {"lang": lang})


def _account_rows(accounts: list[dict], lang: str) -> list[dict]:
    for row in accounts:
        row["role"] = t(f"role_{row['role']}", lang)
        row["province"] = f"{row.pop('province_code') or ''} {row.pop('province_name') or ''}".strip()
        row["created_at"] = row["created_at"].isoformat(timespec="seconds")
    return accounts


def _audit_rows(log: pd.DataFrame) -> list[dict]:
    return log.assign(at=log["at"].map(lambda v: v.isoformat(timespec="seconds"))).to_dict("records")


def _grid(grid_id: str, rows: list[dict], fields: tuple[tuple[str, str], ...], lang: str) -> dag.AgGrid:
    """A plain grid (its id the string itself: nothing on this page downloads or clicks through)."""
    return dag.AgGrid(id=grid_id, rowData=rows,
                      columnDefs=[{"field": f, "headerName": t(label, lang)} for f, label in fields],
                      defaultColDef=dict(GRID_COLUMNS), dashGridOptions={"animateRows": False},
                      style={"height": "420px"}, className="ag-theme-alpine")
