"""App factory: `create_app(settings)` builds the Dash app; nothing is read or connected at import time."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import dash
from dash import MATCH, Input, Output, dcc, html
from flask_caching import Cache

from common.settings import PROJECT_ROOT, Settings
from dashboard import security
from dashboard.auth import acting_as, request_scope
from dashboard.auth import web as auth_web
from dashboard.data import DataAccess, Scope
from dashboard.rendering import guarded
from dashboard.report import routes as report_routes

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent


def make_cache(server, settings: Settings) -> Cache | None:
    """RedisCache when REDIS_URL is set (shared by every host), else a FileSystemCache shared by the workers."""
    if settings.redis_url:
        config = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings.redis_url, "CACHE_DEFAULT_TIMEOUT": 3600,
                  "CACHE_KEY_PREFIX": "vaxdash:"}
    else:
        folder = settings.data_dir / "cache"
        folder.mkdir(parents=True, exist_ok=True)
        config = {"CACHE_TYPE": "FileSystemCache", "CACHE_DIR": str(folder), "CACHE_DEFAULT_TIMEOUT": 3600,
                  "CACHE_THRESHOLD": 5000}
    try:
        return Cache(server, config=config)
    except Exception as exc:  # the database still answers without a cache
        log.warning("cache unavailable (%s); reading the database directly", exc)
        return None


WARM_PAGES = (("pages.overview", {}), ("pages.overview", {"lang": "en"}), ("pages.coverage", {}),
              ("pages.lag", {}), ("pages.verification", {}), ("pages.quality", {}), ("pages.supply", {}),
              ("pages.testing", {}))


def warm(app: dash.Dash, version: int | None = None) -> None:
    """Render the pages most people open first (and every province's drill-down), so that the first visit
    after an ETL run is a cache hit. One worker does it: the first to claim the version in the shared cache."""
    data = app.server.config["DATA"]
    if data.cache is not None and version is not None:
        try:
            if not data.cache.add(f"warm:{version}", 1, timeout=3600):
                return  # another worker is warming this version
        except Exception:  # no shared cache to agree on: warm anyway
            pass
    pages = list(WARM_PAGES)
    try:
        with app.server.test_request_context("/"):
            provinces = data.query("areas", {})
        # every province's drill-down and data-quality scorecard: what province officials open first
        pages += [(module, {"area": code}) for code in provinces.loc[provinces["level"] == "province", "area"]
                  for module in ("pages.coverage", "pages.quality")]
    except Exception as exc:
        log.info("warming: no province list (%s)", exc)
    for module, query in pages:
        try:
            # as a national leader would see them (the pages most visits open); nobody is signed in here
            with app.server.test_request_context("/"), acting_as(Scope.national(), "national"):
                sys.modules[module].layout(**query)
        except Exception as exc:  # warming is a courtesy; a failure shows on the page itself
            log.info("warming %s failed: %s", module, exc)


class App(dash.Dash):
    """A Dash app whose validation layout is fixed once create_app has set it. With `use_pages`, Dash replaces
    it on a worker's first request with every page's layout, rendered in that request, and embeds it in the
    HTML of every page it serves afterwards, to everybody: whatever Dash assigns later is ignored."""

    _validation: object = None
    _validation_fixed = False

    @property
    def validation_layout(self):
        return self._validation

    @validation_layout.setter
    def validation_layout(self, value) -> None:
        if not self._validation_fixed:
            self._validation = value

    def fix_validation_layout(self, value) -> None:
        self._validation, self._validation_fixed = value, True


def create_app(settings: Settings | None = None) -> dash.Dash:
    settings = settings or Settings.from_env()
    app = App(
        __name__, use_pages=True, pages_folder=str(HERE / "pages"), assets_folder=str(PROJECT_ROOT / "assets"),
        title="Chiến dịch tiêm chủng COVID-19", update_title=None, compress=True,
        suppress_callback_exceptions=False,
    )
    app.server.config["SETTINGS"] = settings
    app.server.config["DATA"] = data = DataAccess(settings, make_cache(app.server, settings))
    data.request_scope = request_scope
    if settings.warm_cache:
        data.on_new_version = lambda version: warm(app, version)
    auth_web.init_app(app, settings)  # sign-in for every page, callback and download
    security.init_app(app, settings)  # headers on every response; malformed requests refused
    app.server.register_blueprint(report_routes.bp)  # the report pack's jobs and downloads
    app.layout = html.Div([dcc.Location(id="url", refresh="callback-nav"), dash.page_container])
    # Validate callbacks against stubs of the pages' components: building the real layouts would query the
    # database at start-up.
    stubs = []
    for page in dash.page_registry.values():
        stub = getattr(sys.modules[page["module"]], "validation_stub", None)
        stubs += stub() if stub else []
        # Dash calls the registry's layouts (the page callback, and its own set-up): never outside a check
        page["layout"] = guarded(sys.modules[page["module"]].layout, page["path"], stub)
    app.fix_validation_layout(html.Div([app.layout, *stubs, *auth_web.validation_stub(),
                                        html.Div(id={"type": "csv", "index": "x"}),
                                        html.Div(id={"type": "grid", "index": "x"})]))

    # CSV download of the table behind any chart (pattern-matched, in the browser).
    app.clientside_callback(
        "function(n) { return n ? true : window.dash_clientside.no_update; }",
        Output({"type": "grid", "index": MATCH}, "exportDataAsCsv"),
        Input({"type": "csv", "index": MATCH}, "n_clicks"),
        prevent_initial_call=True,
    )
    # Register the JS bundles now: Dash does it when a worker first renders the index page, so a gunicorn
    # worker that had not rendered it refused the bundles the other worker's page asked for.
    with app.server.test_request_context("/"):
        app.index()
    return app
