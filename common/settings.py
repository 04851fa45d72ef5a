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
    # Signs the session cookies and the sign-in form's CSRF token. None: a random key generated once and kept
    # in data_dir/secret_key (see session_secret), so that every gunicorn worker of this host signs alike.
    # Several hosts must share one SECRET_KEY.
    secret_key: str | None = None
    # Send the session cookie over HTTPS only; set it (SESSION_COOKIE_SECURE=1) wherever TLS is served.
    session_cookie_secure: bool = False
    # How many reverse proxies in front of the web tier to trust for the client's address, scheme and host
    # (X-Forwarded-For/-Proto/-Host, werkzeug's ProxyFix). 0: none, the headers are ignored (anyone can send
    # them); the sign-in throttle and the audit log count the address the connection came from.
    trusted_proxies: int = 0
    # Redirect http to https and send HSTS (FORCE_HTTPS=1) where TLS is served; off for the demo on http.
    force_https: bool = False

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
            secret_key=env.get("SECRET_KEY") or None,
            session_cookie_secure=(env.get("SESSION_COOKIE_SECURE") or "0").lower() in ("1", "true", "yes"),
            trusted_proxies=int(env.get("TRUSTED_PROXIES") or defaults.trusted_proxies),
            force_https=(env.get("FORCE_HTTPS") or "0").lower() in ("1", "true", "yes"),
        )

    def session_secret(self) -> str:
        """SECRET_KEY, or the key kept in data_dir/secret_key, created (readable by its owner only) when
        missing. The file is written whole under another name and linked into place, which fails when another
        worker got there first: then that worker's key is read, so all of them sign with the same one."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            import secrets

            self.data_dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48))
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        return path.read_text().strip()
