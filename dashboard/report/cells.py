"""Shared by the writers: is a cell empty, and how wide does a value print (for column widths)."""

from __future__ import annotations

import math
from datetime import date, datetime

from dashboard.i18n import fmt_date, fmt_dec, fmt_int, fmt_pct


def empty(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))  # NaN, NaT
    except (TypeError, ValueError):
        return False


def as_text(value, kind: str, lang: str) -> str:
    """How the value reads in the report's language: 1.234.567; 45,6%; 31/10/2021."""
    if empty(value):
        return "–"
    if kind == "int":
        return fmt_int(value, lang)
    if kind == "dec":
        return fmt_dec(float(value), lang)
    if kind == "pct":
        return fmt_pct(float(value), lang)
    if kind == "date":
        return fmt_date(value, lang)
    if kind == "datetime":
        return (fmt_date(value, lang) + value.strftime(" %H:%M")) if isinstance(value, datetime) else str(value)
    return str(value)


def as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(str(value))
