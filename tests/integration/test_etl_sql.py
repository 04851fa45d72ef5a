"""The marts' models are plain SQL: each EXPLAINs as it is, given its slice table (issue 11, item 3)."""

from __future__ import annotations

from etl.marts import MARTS
from etl.migrate import migrate


def test_every_model_explains_as_it_is_and_yields_its_mart_s_columns(make_database):
    engine = make_database()
    migrate(engine)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for name in sorted({m.slice for m in MARTS}):  # typed as the columns of the first mart sliced by it
            mart = next(m for m in MARTS if m.slice == name)
            cur.execute(f"CREATE TEMP TABLE {name} AS SELECT {', '.join(mart.slice_key)} FROM mart.{mart.name}"
                        " LIMIT 0")
        for mart in MARTS:
            cur.execute("EXPLAIN " + mart.select)
            cur.execute("EXPLAIN " + mart.everything)  # a rebuild's plan
            # every use of a slice table is a line marked `-- slice`, which the rebuild's plan makes `true`
            uses = [line for line in body(mart.select) if "_slice" in line]
            assert uses and all(line.endswith("  -- slice") for line in uses), mart.name
            assert not [line for line in body(mart.everything) if "_slice" in line], mart.name
            cur.execute(f"SELECT * FROM ({mart.select}) m LIMIT 0")
            assert tuple(c.name for c in cur.description) == mart.columns, mart.name
            cur.execute("SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a"
                        " WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped",
                        (f"mart.{mart.name}",))
            assert sorted(cur.fetchone()[0]) == sorted(mart.columns), mart.name
            cur.execute("SELECT array_agg(a.attname::text ORDER BY k.n) FROM pg_constraint c"
                        " CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY k(attnum, n)"
                        " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum"
                        " WHERE c.conrelid = %s::regclass AND c.contype = 'p'", (f"mart.{mart.name}",))
            key = tuple(cur.fetchone()[0] or ())
            cur.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = %s::regclass AND attname = ANY(%s)"
                        " AND NOT attnotnull", (f"mart.{mart.name}", list(mart.grain)))
            nullable = cur.fetchone()[0]
            # the grain is the primary key, unless a column of it may be NULL (feedback_daily's closed_day)
            assert key == mart.grain if not nullable else key == (), mart.name
    finally:
        raw.rollback()
        raw.close()


def body(model: str) -> list[str]:
    """The model's lines of SQL, without its header's comments."""
    return [line for line in model.splitlines() if not line.startswith("--")]
