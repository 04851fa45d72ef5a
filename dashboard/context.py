"""What every page needs from the request: data access, the user's scope, and checked URL parameters."""

from __future__ import annotations

from datetime import date

import flask

from dashboard.data import DataAccess, Scope
from dashboard.i18n import norm_lang

GROUPS = ("total", "18+", "12-17")
MILESTONE_NAMES = ("first", "full", "booster")


class BadParameter(ValueError):
    """A URL or callback parameter outside what the page accepts; shown to the user, never executed."""


def data() -> DataAccess:
    return flask.current_app.config["DATA"]


def scope() -> Scope:
    """The user's scope. Access control (a later issue) narrows it; today everyone sees the country."""
    return Scope.national()


def choice(value: str | None, allowed: tuple[str, ...], default: str, name: str) -> str:
    if value in (None, ""):
        return default
    if value not in allowed:
        raise BadParameter(f"{name}={value!r}")
    return value


def day(value: str | None, default: date, name: str = "date") -> date:
    if value in (None, ""):
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadParameter(f"{name}={value!r}") from None


def lang_of(value: str | None) -> str:
    return norm_lang(value)
