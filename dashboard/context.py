"""What every page needs from the request: data access, the user's scope, and checked URL parameters."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import date

import flask
import plotly

from common.vocabulary import CAMPAIGN_START
from dashboard.auth import current_role, current_scope
from dashboard.data import DataAccess, DataUnavailable, Scope, code_version
from dashboard.i18n import norm_lang
from dashboard.shell import nav_pages

log = logging.getLogger(__name__)


class BadParameter(ValueError):
    """A URL or callback parameter outside what the page accepts; shown to the user, never executed."""


class OutOfScope(BadParameter):
    """An area outside the user's scope: refused with a message that names nothing outside it."""


def data() -> DataAccess:
    return flask.current_app.config["DATA"]


def scope() -> Scope:
    """The signed-in user's scope: a province user's province, the nation for everyone else. Raises
    dashboard.auth.NotSignedIn when nobody is signed in (never widened to the nation)."""
    return current_scope()


def choice(value: str | None, allowed: tuple[str, ...], default: str, name: str) -> str:
    if value in (None, ""):
        return default
    if value not in allowed:
        raise BadParameter(f"{name}={value!r}")
    return value


def day(value: str | None, default: date, name: str = "date", latest: date | None = None) -> date:
    """A day of the campaign's data: from its start to `latest` (the newest data day; `default` unless told).
    A day outside is refused: a page to 2099 drew tens of megabytes for a minute, one before the data failed."""
    if value in (None, ""):
        return default
    try:
        chosen = date.fromisoformat(value)
    except ValueError:
        raise BadParameter(f"{name}={value!r}") from None
    latest = latest or default
    if not CAMPAIGN_START <= chosen <= latest:
        raise BadParameter(f"{name}={value!r} ({CAMPAIGN_START.isoformat()} – {latest.isoformat()})")
    return chosen


MAX_VALUE = 200  # longer than any value a page links to


def check_query(query: dict) -> dict[str, str]:
    """The URL parameters a page is given, each once and as text (a repeated one arrives as a list), short
    and printable: the one check every page's parameters pass before the page reads them."""
    for key, value in query.items():
        if not isinstance(value, str):
            raise BadParameter(f"{str(key)[:40]} ({'repeated' if isinstance(value, list) else 'not text'})")
        if len(value) > MAX_VALUE or not value.isprintable():
            raise BadParameter(f"{str(key)[:40]} (too long or not printable)")
    return query


def lang_of(value: str | None) -> str:
    return norm_lang(value)


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
