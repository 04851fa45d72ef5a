"""Verification against the population database and citizens' feedback: progress, backlog, feedback status.
Plain pandas, no Dash."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from common.vocabulary import CAMPAIGN_START, MILESTONE_ID
from dashboard.measures.weeks import week_start

VERIFY_DEADLINE = date(2021, 11, 11)
FEEDBACK_BACKLOG_DEADLINE = date(2021, 10, 25)
FEEDBACK_SERVICE_DAYS = 14
OUTCOMES = ("verified", "mismatch", "not_found", "missing_id")


def verification_progress(checks: pd.DataFrame, vaccinated: pd.Series, until: date) -> pd.DataFrame:
    """Per day: people vaccinated (>= 1 dose), people checked at least once (by their first check's outcome),
    and the unverified backlog."""
    days = pd.date_range(CAMPAIGN_START, until, freq="D").date
    out = pd.DataFrame({"day": days})
    out["vaccinated"] = vaccinated.reindex(days).ffill().fillna(0).astype("int64").values
    for outcome in OUTCOMES:
        per_day = checks[checks["outcome"] == outcome].groupby("day")["first_checks"].sum()
        out[outcome] = per_day.reindex(days, fill_value=0).cumsum().astype("int64").values
    out["checked"] = out[list(OUTCOMES)].sum(axis=1)
    out["backlog"] = (out["vaccinated"] - out["checked"]).clip(lower=0)
    out["share_checked"] = (out["checked"] / out["vaccinated"]).where(out["vaccinated"] > 0)
    return out


def needed_pace(backlog: int, as_of: date) -> float | None:
    """People a day to check to clear the backlog by VERIFY_DEADLINE; None once that day has come."""
    if as_of >= VERIFY_DEADLINE:
        return None
    return backlog / max((VERIFY_DEADLINE - as_of).days, 1)


def burndown_path(progress: pd.DataFrame, start: date) -> tuple[list[date], list[int]] | None:
    """The straight path from the backlog on `start` to 0 on VERIFY_DEADLINE (None if `start` is not shown)."""
    row = progress[progress["day"] == start]
    if not len(row):
        return None
    return [start, VERIFY_DEADLINE], [int(row["backlog"].iloc[0]), 0]


def feedback_status(rows: pd.DataFrame, as_of: date) -> dict:
    """Received, closed, open and overdue feedback at `as_of` (rows: received_day, closed_day, status, items).

    Overdue: open at `as_of` and either received before 25/10/2021 once that day has passed, or older than
    the service time (14 days)."""
    got = rows[rows["received_day"] <= as_of]
    closed = got["closed_day"].notna() & (got["closed_day"] <= as_of)
    open_rows = got[~closed]
    old_backlog = (open_rows["received_day"] < FEEDBACK_BACKLOG_DEADLINE) & (as_of >= FEEDBACK_BACKLOG_DEADLINE)
    late = (pd.Series([as_of] * len(open_rows), index=open_rows.index) - open_rows["received_day"]).map(
        lambda d: d.days) > FEEDBACK_SERVICE_DAYS
    return {"received": int(got["items"].sum()), "closed": int(got.loc[closed, "items"].sum()),
            "open": int(open_rows["items"].sum()), "overdue": int(open_rows.loc[old_backlog | late, "items"].sum())}


def feedback_weeks(fb: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Per week (Monday) from the first feedback to `as_of`: received and closed in the week, open at its end
    (a week cut at `as_of`)."""
    columns = ["week", "received", "closed", "open"]
    if fb.empty:
        return pd.DataFrame(columns=columns)
    start = fb["received_day"].min()
    weeks = pd.date_range(week_start(start), as_of, freq="7D").date
    rows = []
    for w in weeks:
        end = min(w + timedelta(days=6), as_of)
        received = fb.loc[(fb["received_day"] >= w) & (fb["received_day"] <= end), "items"].sum()
        closed = fb.loc[fb["closed_day"].notna() & (fb["closed_day"] >= w) & (fb["closed_day"] <= end), "items"].sum()
        rows.append({"week": w, "received": int(received), "closed": int(closed),
                     "open": feedback_status(fb, end)["open"]})
    return pd.DataFrame(rows, columns=columns)  # the columns even for a day before the first feedback


def field_mismatches(fields: pd.DataFrame, checks: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Mismatches by field (rows: field, checks) with their share of the mismatch checks up to `as_of`;
    the least frequent first."""
    mismatch_checks = int(checks.loc[(checks["outcome"] == "mismatch") & (checks["day"] <= as_of), "checks"].sum())
    shares = (fields["checks"] / mismatch_checks).round(4) if mismatch_checks else None
    return fields.assign(of_mismatches=shares).sort_values(["checks", "field"], ascending=[True, True])


def area_checked(checked_people: pd.DataFrame, people: pd.DataFrame, names: dict) -> pd.DataFrame:
    """Per area: people vaccinated (first milestone), people checked, and their share; the highest share first.

    checked_people: area, people (any rows per area); people: area, milestone, people."""
    checked = checked_people.groupby("area")["people"].sum()
    vacc = people[people["milestone"] == MILESTONE_ID["first"]].groupby("area")["people"].sum()
    rank = pd.DataFrame({"vaccinated": vacc}).join(checked.rename("checked"), how="left").fillna(0)
    rank["share"] = (rank["checked"] / rank["vaccinated"]).where(rank["vaccinated"] > 0)
    rank = rank.reset_index().rename(columns={"index": "area"})
    rank["name"] = rank["area"].map(names)
    return rank.sort_values("share", ascending=False)
