"""Roles, what each may open, and the data scope that follows from an account. No Flask, no database."""

from __future__ import annotations

from dashboard.data import Scope

ROLES = ("national", "province", "analyst", "admin")

# Pages open to some roles only; a page not listed is open to every role. Province users are not listed
# anywhere: the four data pages are theirs too, narrowed to their province by the scope (not by the page).
PAGE_ROLES: dict[str, frozenset[str]] = {
    "/admin": frozenset({"admin"}),
}


def may_open(path: str, role: str | None) -> bool:
    """Whether a role may open a page (path without its query string). Nobody signed in opens nothing."""
    if role not in ROLES:
        return False
    allowed = PAGE_ROLES.get(path.rstrip("/") or "/")
    return allowed is None or role in allowed


def scope_for(role: str, province_code: str | None) -> Scope:
    """A province user sees their province; national leaders, analysts and administrators the country."""
    if role == "province":
        if not province_code:  # the database forbids it; refuse rather than widen to the nation
            raise ValueError("a province account without a province")
        return Scope(province_code)
    return Scope.national()
