"""Accounts in the reporting database (auth."user"): create, read, disable, change passwords.

Passwords are kept as werkzeug.security hashes (scrypt with a random salt per password). Functions take
an engine so that the web tier and the command line share them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.auth.roles import ROLES, scope_for
from dashboard.data import Scope

SQL = Path(__file__).resolve().parent.parent.parent / "sql" / "auth"
MIN_PASSWORD = 10
# Checked against when the username is unknown, so that a wrong username costs as long as a wrong password
# (the time of an answer does not tell which usernames exist).
_DUMMY_HASH = generate_password_hash("not a password of anyone")


class UserError(ValueError):
    """A request about accounts that cannot be done: shown to the operator as one line."""


@cache
def sql(name: str) -> sa.TextClause:
    return sa.text((SQL / f"{name}.sql").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class User:
    """A signed-in account as Flask-Login sees it."""

    id: int
    username: str
    password_hash: str
    role: str
    province_code: str | None
    disabled: bool
    created_at: datetime | None = None
    session: str | None = None  # the token of the session this account was loaded for (see open_session)

    # Flask-Login's protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return not self.disabled

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """What Flask-Login keeps in the cookie: the token of the server-side session, not the account's id."""
        return self.session or ""

    @property
    def scope(self) -> Scope:
        return scope_for(self.role, self.province_code)


def _user(row) -> User | None:
    if row is None:
        return None
    m = row._mapping
    return User(m["id"], m["username"], m["password_hash"], m["role"],
                m["province_code"].strip() if m["province_code"] else None, m["disabled"], m["created_at"])


def by_name(engine: sa.Engine, username: str) -> User | None:
    with engine.connect() as conn:
        return _user(conn.execute(sql("user_by_name"), {"username": username}).first())


def _session_key(token: str) -> str:
    """The row's key: a digest of the token, so that the table (a backup, a replica) holds no usable cookie."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(engine: sa.Engine, user: User, lifetime_seconds: int) -> User:
    """A new server-side session of `user` (sign-in); the account carrying its token."""
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(sql("session_insert"), {"id": _session_key(token), "user_id": user.id,
                                             "lifetime_seconds": lifetime_seconds})
    return replace(user, session=token)


def by_session_id(engine: sa.Engine, token: str) -> User | None:
    """The account of an open session, or None when the session is unknown, ended or expired, or the account
    disabled."""
    if not token or len(token) > 100:
        return None
    with engine.connect() as conn:
        user = _user(conn.execute(sql("session_user"), {"id": _session_key(token)}).first())
    return replace(user, session=token) if user is not None else None


def end_session(engine: sa.Engine, token: str | None) -> None:
    """Sign-out: the session stops working, wherever its cookie was copied."""
    if token:
        with engine.begin() as conn:
            conn.execute(sql("session_end"), {"id": _session_key(token)})


def check(engine: sa.Engine, username: str, password: str) -> User | None:
    """The account when the password is right and the account enabled; None otherwise (same cost either way)."""
    user = by_name(engine, username)
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    return user if ok and user is not None and not user.disabled else None


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def add(engine: sa.Engine, username: str, password: str, role: str, province_code: str | None = None) -> int:
    username = normalise_username(username)
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if (role == "province") != bool(province_code):
        raise UserError("a province account needs --province CODE; other roles take none")
    _check_password(password)
    params = {"username": username, "password_hash": generate_password_hash(password), "role": role,
              "province_code": province_code or None}
    try:
        with engine.begin() as conn:
            return conn.execute(sql("user_insert"), params).scalar_one()
    except sa.exc.IntegrityError as exc:
        text = str(exc.orig)
        if "unique" in text.lower():
            raise UserError(f"user {username!r} exists already") from None
        if "province" in text.lower():
            raise UserError(f"unknown province {province_code!r} (2-digit GSO code, e.g. 79)") from None
        if "username" in text.lower():
            raise UserError("a username is 3-40 characters: a-z, 0-9, '_', '.', '-'") from None
        raise UserError(text.splitlines()[0]) from None


def set_password(engine: sa.Engine, username: str, password: str) -> None:
    _check_password(password)
    with engine.begin() as conn:
        found = conn.execute(sql("user_set_password"), {"username": normalise_username(username),
                                                         "password_hash": generate_password_hash(password)}).first()
    if found is None:
        raise UserError(f"no user {username!r}")


def set_disabled(engine: sa.Engine, username: str, disabled: bool = True) -> None:
    with engine.begin() as conn:
        found = conn.execute(sql("user_set_disabled"), {"username": normalise_username(username),
                                                         "disabled": disabled}).first()
    if found is None:
        raise UserError(f"no user {username!r}")


def listing(engine: sa.Engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sql("user_list"))]


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise UserError(f"a password needs at least {MIN_PASSWORD} characters")
