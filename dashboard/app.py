"""App factory. A placeholder page until the dashboard issue lands: it shows what the platform holds."""

from __future__ import annotations

import dash
import sqlalchemy as sa
from dash import html

from etl import db
from etl.settings import Settings


def platform_summary(settings: Settings) -> list[tuple[str, int]] | str:
    """Row counts of the simulated platform, or one line saying why they cannot be read."""
    try:
        engine = db.connect(db.platform_url(settings))
    except db.DatabaseUnavailable as exc:
        return str(exc)
    try:
        with engine.connect() as conn:
            if not conn.execute(sa.text("SELECT to_regclass('platform.dose_record') IS NOT NULL")).scalar():
                return "Chưa có dữ liệu: hãy chạy `python -m etl demo`."
            return [(name, conn.execute(sa.text(f"SELECT count(*) FROM platform.{name}")).scalar())
                    for name in ("person", "dose_record", "stock_movement", "test_sample",
                                 "identity_verification", "citizen_feedback")]
    finally:
        engine.dispose()


def create_app(settings: Settings | None = None) -> dash.Dash:
    settings = settings or Settings.from_env()
    app = dash.Dash(__name__, title="Chiến dịch tiêm chủng COVID-19", compress=False)

    def layout():
        summary = platform_summary(settings)
        body = (html.P(summary, className="error") if isinstance(summary, str) else
                html.Table([html.Tr([html.Td(name), html.Td(f"{n:,}".replace(",", "."))]) for name, n in summary]))
        return html.Main([
            html.H1("Bảng điều hành chiến dịch tiêm chủng COVID-19"),
            html.P("Bảng điều hành đang được xây dựng. Dữ liệu nền tảng mô phỏng hiện có:"),
            body,
        ])

    app.layout = layout
    return app
