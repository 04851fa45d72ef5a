"""`python -m etl targets list|set|delete`: the campaign's targets as data (ref.target).

A change bumps the data version, so that every cached page shows it at once.
"""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from common.vocabulary import GROUPS, MILESTONE_CODES


class TargetError(ValueError):
    """A target that cannot be stored; the message says which field and why."""


def parse_threshold(text: str) -> float:
    m = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*(%?)\s*", text)
    if not m:
        raise TargetError(f"threshold {text!r} is not a number such as 0.7 or 70%")
    value = float(m.group(1).replace(",", "."))
    value = value / 100 if m.group(2) or value > 1 else value
    if not 0 < value <= 1:
        raise TargetError(f"threshold {text!r} must be above 0% and at most 100%")
    return value


def list_targets(engine: sa.Engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.text(
            "SELECT id, population_group, milestone, threshold::float AS threshold, deadline, scope, label_vi,"
            " label_en FROM ref.target ORDER BY deadline, id"))]


def set_target(engine: sa.Engine, target_id: str, group: str, milestone: str, threshold: str, deadline: str,
               scope: str = "national", label_vi: str | None = None, label_en: str | None = None) -> None:
    if not re.fullmatch(r"[a-z0-9_]{3,60}", target_id):
        raise TargetError(f"id {target_id!r}: use 3-60 lower-case letters, digits and _")
    if group not in GROUPS:
        raise TargetError(f"group {group!r} must be one of {', '.join(GROUPS)}")
    if milestone not in MILESTONE_CODES:
        raise TargetError(f"milestone {milestone!r} must be one of {', '.join(MILESTONE_CODES)}")
    value = parse_threshold(threshold)
    try:
        day = date.fromisoformat(deadline)
    except ValueError:
        raise TargetError(f"deadline {deadline!r} is not a date YYYY-MM-DD") from None
    with engine.begin() as conn:
        if scope != "national" and not conn.execute(sa.text("SELECT 1 FROM ref.province WHERE code = :c"),
                                                    {"c": scope}).first():
            raise TargetError(f"scope {scope!r} is neither 'national' nor a province code")
        pct = f"{value * 100:g}%"
        conn.execute(sa.text("""
            INSERT INTO ref.target (id, population_group, milestone, threshold, deadline, scope, label_vi, label_en)
            VALUES (:id, :g, :m, :t, :d, :s, :vi, :en)
            ON CONFLICT (id) DO UPDATE SET population_group = EXCLUDED.population_group,
                milestone = EXCLUDED.milestone, threshold = EXCLUDED.threshold, deadline = EXCLUDED.deadline,
                scope = EXCLUDED.scope, label_vi = EXCLUDED.label_vi, label_en = EXCLUDED.label_en"""),
                     {"id": target_id, "g": group, "m": milestone, "t": value, "d": day, "s": scope,
                      "vi": label_vi or f"{pct} ({group}, {milestone}) trước {day:%d/%m/%Y}",
                      "en": label_en or f"{pct} ({group}, {milestone}) by {day:%d/%m/%Y}"})
        conn.execute(sa.text("UPDATE etl.data_version SET version = version + 1, published_at = now()"))


def delete_target(engine: sa.Engine, target_id: str) -> bool:
    with engine.begin() as conn:
        gone = conn.execute(sa.text("DELETE FROM ref.target WHERE id = :id"), {"id": target_id}).rowcount
        if gone:
            conn.execute(sa.text("UPDATE etl.data_version SET version = version + 1, published_at = now()"))
    return bool(gone)
