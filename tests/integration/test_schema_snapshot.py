"""sql/reporting/SCHEMA.md is what the migrations build: a test fails, naming the command, when they differ."""

from __future__ import annotations

import difflib

import pytest

from etl import cli, schema_snapshot
from etl.migrate import migrate


@pytest.fixture(scope="module")
def snapshot(make_database) -> str:
    engine = make_database()
    migrate(engine)
    return schema_snapshot.render(engine)


def test_committed_snapshot_is_what_the_migrations_build(snapshot):
    committed = schema_snapshot.SNAPSHOT.read_text(encoding="utf-8") if schema_snapshot.SNAPSHOT.exists() else ""
    if committed != snapshot:
        diff = "".join(list(difflib.unified_diff(committed.splitlines(True), snapshot.splitlines(True),
                                                 "committed SCHEMA.md", "migrated from scratch"))[:60])
        pytest.fail(f"{schema_snapshot.SNAPSHOT} is not what the migrations build; regenerate it with "
                    f"`{schema_snapshot.COMMAND}` (on the server of DATABASE_URL, or the embedded one) "
                    f"and commit it.\n{diff}")


def test_snapshot_names_what_later_migrations_changed(snapshot):
    section = {s.split("\n", 1)[0]: s for s in snapshot.split("\n### ")}
    # 006 replaced the verification mart (no mismatched_field any more); 007 dropped id_flags_daily
    assert "| mismatched_field |" not in section["mart.verification_daily"]
    assert "mart.id_flags_daily" not in section
    # 007 added the completeness flags to staging.dose, 011 person_missing; 012 rewrote the run status check
    assert "| birth_missing | boolean | not null | `false` |" in section["staging.dose"]
    assert "| person_missing | boolean | not null | `false` |" in section["staging.dose"]
    assert "'abandoned'::text" in section["etl.run"]
    assert "| received | bigint |" in section["mart.stock_daily"]  # 011 widened the stock flows
    assert "`FUNCTION etl.age_band(age_years integer) RETURNS smallint` LANGUAGE sql IMMUTABLE" in snapshot


def test_one_command_regenerates_and_checks_it(server_url, tmp_path, monkeypatch, capsys, snapshot):
    monkeypatch.setenv("DATABASE_URL", server_url)
    target = tmp_path / "SCHEMA.md"
    target.write_text("stale\n", encoding="utf-8")
    monkeypatch.setattr(schema_snapshot, "SNAPSHOT", target)

    assert cli.main(["schema-snapshot", "--check"]) == 1
    assert schema_snapshot.COMMAND in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "stale\n"  # --check writes nothing

    assert cli.main(["schema-snapshot"]) == 0
    assert target.read_text(encoding="utf-8") == snapshot
    assert cli.main(["schema-snapshot", "--check"]) == 0


@pytest.mark.parametrize("pg15", [
    " SELECT facility.id,\n    facility.level\n   FROM ref.facility;",
    " SELECT f.id,\n    f.level\n   FROM ref.facility f;",
])
def test_view_of_one_relation_reads_the_same_on_postgresql_15_and_16(pg15):
    pg16 = pg15.replace("facility.id", "id").replace("facility.level", "level").replace("f.id", "id") \
        .replace("f.level", "level")
    assert schema_snapshot._view_definition(pg15, 1) == schema_snapshot._view_definition(pg16, 1)
    assert "FROM ref.facility" in schema_snapshot._view_definition(pg15, 1)
