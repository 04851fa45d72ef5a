"""`python -m dashboard users add|list|disable|enable|set-password|demo`: accounts from the command line.

Passwords are read from a prompt that does not echo (asked twice) or, for scripts, one line of standard
input with --password-stdin; never from an argument (it would show in the process list and the shell's
history). Every change is written to the audit log (action user_admin, address 'cli').
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys

import sqlalchemy as sa

from dashboard.auth import users
from dashboard.auth.audit import record
from dashboard.auth.roles import ROLES
from dashboard.auth.users import UserError

# `make run`'s demo accounts, one per role; created only when missing, their passwords printed once.
DEMO_USERS = (("bo_yte", "national", None), ("hcm", "province", "79"), ("phan_tich", "analyst", None),
              ("quan_tri", "admin", None))


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="accounts: add, list, disable, enable, set-password, demo")
    cmd = p.add_subparsers(dest="users_command", required=True)
    a = cmd.add_parser("add", help="add an account")
    a.add_argument("username")
    a.add_argument("--role", required=True, choices=ROLES)
    a.add_argument("--province", help="2-digit GSO code, for --role province (e.g. 79)")
    a.add_argument("--password-stdin", action="store_true", help="read the password from one line of stdin")
    cmd.add_parser("list", help="list the accounts")
    for name, text in (("disable", "refuse an account's sign-ins and end its sessions"),
                       ("enable", "let a disabled account sign in again")):
        d = cmd.add_parser(name, help=text)
        d.add_argument("username")
    s = cmd.add_parser("set-password", help="set an account's password (ends its sessions)")
    s.add_argument("username")
    s.add_argument("--password-stdin", action="store_true")
    cmd.add_parser("demo", help="create the demo accounts that are missing; print their passwords once")


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UserError("no terminal to ask for the password: pipe it with --password-stdin")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise UserError("the two passwords differ")
    return first


def run(args: argparse.Namespace, engine: sa.Engine) -> int:
    """Runs one `users` command; UserError (one line) is the caller's to print."""
    command = args.users_command
    operator = {"by": _os_user()}
    if command == "list":
        rows = users.listing(engine)
        print(f"{'username':20s} {'role':9s} {'province':8s} {'disabled':8s} created")
        for r in rows:
            print(f"{r['username']:20s} {r['role']:9s} {r['province_code'] or '':8s} "
                  f"{'yes' if r['disabled'] else 'no':8s} {r['created_at']:%Y-%m-%d %H:%M}")
        return 0
    if command == "add":
        password = read_password(args.password_stdin)
        users.add(engine, args.username, password, args.role, args.province)
        record(engine, "user_admin", users.normalise_username(args.username), "cli", args.province or "national",
               {**operator, "change": "add", "role": args.role})
        print(f"added {users.normalise_username(args.username)} ({args.role}"
              f"{' ' + args.province if args.province else ''})")
    elif command in ("disable", "enable"):
        users.set_disabled(engine, args.username, command == "disable")
        record(engine, "user_admin", users.normalise_username(args.username), "cli", None,
               {**operator, "change": command})
        print(f"{command}d {users.normalise_username(args.username)}")
    elif command == "set-password":
        users.set_password(engine, args.username, read_password(args.password_stdin))
        record(engine, "user_admin", users.normalise_username(args.username), "cli", None,
               {**operator, "change": "set-password"})
        print(f"password set for {users.normalise_username(args.username)}")
    elif command == "demo":
        created = demo(engine, operator)
        if created:
            print("demo accounts (passwords shown only now; change them with `python -m dashboard users "
                  "set-password NAME`):")
            for name, role, province, password in created:
                print(f"  {name:10s} {role:9s} {province or '':3s} {password}")
        else:
            print("demo accounts present; not created again")
    return 0


def _os_user() -> str | None:
    """Who ran the command, for the audit log (best effort: containers may have no name for the uid)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER")


def demo(engine: sa.Engine, operator: dict) -> list[tuple[str, str, str | None, str]]:
    created = []
    for name, role, province in DEMO_USERS:
        if users.by_name(engine, name) is not None:
            continue
        password = secrets.token_urlsafe(12)
        users.add(engine, name, password, role, province)
        record(engine, "user_admin", name, "cli", province or "national", {**operator, "change": "add (demo)",
                                                                          "role": role})
        created.append((name, role, province, password))
    return created
