"""One settings object, read from the environment when asked for (never at import time)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    # Reporting database; None means "start the embedded PostgreSQL in data_dir/pg".
    database_url: str | None = None
    # The national platform's operational database; None means the same database as reporting
    # (the demo set-up, where the simulator writes the `platform` schema beside the reporting one).
    platform_database_url: str | None = None
    data_dir: Path = PROJECT_ROOT / ".data"
    # Key of the keyed hash that turns a platform person id into an opaque reporting key.
    pseudonym_key: str = "demo-only-change-me"
    redis_url: str | None = None
    demo_scale: float = 0.01
    demo_seed: int = 2021
    warm_cache: bool = True  # render the first pages in the background when a new data version appears
    host: str = "127.0.0.1"
    port: int = 8050

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        defaults = cls()
        return cls(
            database_url=env.get("DATABASE_URL") or None,
            platform_database_url=env.get("PLATFORM_DATABASE_URL") or None,
            data_dir=Path(env.get("DATA_DIR") or defaults.data_dir),
            pseudonym_key=env.get("PSEUDONYM_KEY") or defaults.pseudonym_key,
            redis_url=env.get("REDIS_URL") or None,
            demo_scale=float(env.get("DEMO_SCALE") or defaults.demo_scale),
            demo_seed=int(env.get("DEMO_SEED") or defaults.demo_seed),
            warm_cache=(env.get("WARM_CACHE") or "1") not in ("0", "false", "no"),
            host=env.get("HOST") or defaults.host,
            port=int(env.get("PORT") or defaults.port),
        )
