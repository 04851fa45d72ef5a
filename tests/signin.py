"""Signing in from tests: accounts in a test database, and the sign-in form as a browser would post it."""

from __future__ import annotations

import re

import sqlalchemy as sa

from dashboard.auth import users
from etl.migrate import migrate

# One account per role; the passwords are the tests' own (nothing in the app creates default passwords).
ACCOUNTS = {
    "bo_yte": ("national", None, "mat-khau-trung-uong"),
    "hcm": ("province", "79", "mat-khau-ho-chi-minh"),
    "phan_tich": ("analyst", None, "mat-khau-phan-tich"),
    "quan_tri": ("admin", None, "mat-khau-quan-tri"),
}


def add_accounts(engine: sa.Engine) -> dict[str, str]:
    """The accounts above (those missing) in a reporting database loaded by the ETL; name -> password."""
    migrate(engine)
    for name, (role, province, password) in ACCOUNTS.items():
        if users.by_name(engine, name) is None:
            users.add(engine, name, password, role, province)
    return {name: password for name, (_, _, password) in ACCOUNTS.items()}


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def sign_in(client, username: str, password: str | None = None, next_url: str = "/", address: str = "127.0.0.1"):
    """GET the form, POST it with its CSRF token (as a browser does); the response of the POST. Signed in, the
    client sends the session's CSRF token with every later request, as dash-renderer does (X-CSRFToken)."""
    environ = {"REMOTE_ADDR": address}
    client.delete_cookie("session")  # a browser without a session (a signed-in one is sent past the form)
    client.environ_base.pop("HTTP_X_CSRFTOKEN", None)
    form = client.get("/login", environ_base=environ).get_data(as_text=True)
    password = ACCOUNTS[username][2] if password is None else password
    response = client.post("/login", data={"username": username, "password": password, "next": next_url,
                                           "csrf_token": csrf_token(form)}, environ_base=environ)
    if response.status_code == 302:
        token = client.get("/csrf-token", headers={"Accept": "application/json"}, environ_base=environ)
        if token.status_code == 200 and token.is_json:  # (no such route before issue 10)
            client.environ_base["HTTP_X_CSRFTOKEN"] = token.get_json()["csrf_token"]
    return response
