"""The URL and callback parameters a page accepts, checked: choices, campaign days, the language, and the one
check every page's query string passes first."""

from __future__ import annotations

from datetime import date

from common.vocabulary import CAMPAIGN_START
from dashboard.i18n import norm_lang


class BadParameter(ValueError):
    """A URL or callback parameter outside what the page accepts; shown to the user, never executed."""


class OutOfScope(BadParameter):
    """An area outside the user's scope: refused with a message that names nothing outside it."""


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
