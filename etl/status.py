"""`python -m etl status`: the last runs with their steps and counts, the watermarks, the data version."""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa


def status(engine: sa.Engine, limit: int = 5) -> dict:
    with engine.connect() as conn:
        if not conn.execute(sa.text("SELECT to_regclass('etl.run') IS NOT NULL")).scalar():
            return {"schema_version": 0, "data_version": None, "runs": [], "watermarks": {}, "quarantine": {}}
        version = conn.execute(sa.text("SELECT max(version) FROM etl.schema_migration")).scalar()
        dv = conn.execute(sa.text("SELECT version, run_id, published_at, data_until FROM etl.data_version")).one()
        runs = [dict(r._mapping) for r in conn.execute(sa.text(  # changes: from migration 012
            "SELECT id, kind, status, started_at, finished_at, data_version, error, steps, counts,"
            " (to_jsonb(r) ->> 'changes')::bigint AS changes FROM etl.run r ORDER BY id DESC LIMIT :n"),
            {"n": limit})]
        marks = dict(conn.execute(sa.text("SELECT source, updated_at FROM etl.watermark ORDER BY source")).all())
        quarantine = dict(conn.execute(sa.text(
            "SELECT rule_id, count(*) FROM etl.quarantine GROUP BY 1 ORDER BY 1")).all())
    return {"schema_version": version,
            "data_version": {"version": dv.version, "run_id": dv.run_id, "published_at": dv.published_at,
                             "data_until": dv.data_until},
            "runs": runs, "watermarks": marks, "quarantine": quarantine}


def _iso(value):
    return value.isoformat() if isinstance(value, datetime) else value


def render(info: dict, as_json: bool = False) -> str:
    if as_json:
        return json.dumps(info, default=_iso, indent=2, ensure_ascii=False)
    lines = [f"schema version {info['schema_version']}"]
    dv = info["data_version"]
    if dv:
        lines.append(f"data version {dv['version']} (run {dv['run_id']}, published {_iso(dv['published_at'])}, "
                     f"data until {_iso(dv['data_until'])})")
    lines.append("runs:")
    for r in info["runs"]:
        took = (r["finished_at"] - r["started_at"]).total_seconds() if r["finished_at"] else None
        lines.append(f"  #{r['id']} {r['kind']:11s} {r['status']:9s} started {r['started_at']:%Y-%m-%d %H:%M:%S}"
                     + (f", {took:.1f} s" if took is not None else "")
                     + (f", data version {r['data_version']}" if r["data_version"] else "")
                     + (" kept: nothing changed" if r["status"] == "succeeded" and r["kind"] == "incremental"
                        and r["changes"] == 0 else f", {r['changes']:,} rows changed" if r["changes"] else ""))
        if r["error"]:
            lines.append(f"      error: {r['error']}")
        if r["steps"]:
            lines.append("      steps: " + ", ".join(f"{k} {v:.2f}s" for k, v in r["steps"].items()))
        for source, c in (r["counts"] or {}).items():
            lines.append(f"      {source:22s} " + ", ".join(f"{k} {v:,}" for k, v in c.items()))
    lines.append("watermarks:")
    for source, at in info["watermarks"].items():
        lines.append(f"  {source:22s} {_iso(at)}")
    lines.append("quarantine (rows by rule):")
    for rule, n in info["quarantine"].items():
        lines.append(f"  {rule:30s} {n:,}")
    return "\n".join(lines)
