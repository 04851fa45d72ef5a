"""The verification measures on tiny hand-computed frames: progress and backlog, the pace to 11/11/2021,
feedback open and overdue around the 25/10/2021 backlog deadline, mismatched fields, areas."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.measures import verification as M

D = date  # short


def checks(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["day", "outcome", "first_checks", "checks"])


def test_progress_before_any_check_and_with_no_one_vaccinated():
    out = M.verification_progress(checks(), pd.Series(dtype="int64"), D(2021, 3, 10))
    assert list(out["day"]) == [D(2021, 3, 8), D(2021, 3, 9), D(2021, 3, 10)]  # from the campaign's start
    assert (out[["vaccinated", "checked", "backlog", *M.OUTCOMES]] == 0).all().all()
    assert out["share_checked"].isna().all()  # no one vaccinated: no share, not 0%


def test_progress_fills_days_and_clips_the_backlog():
    vaccinated = pd.Series({D(2021, 3, 8): 2, D(2021, 3, 10): 7})
    out = M.verification_progress(checks((D(2021, 3, 8), "verified", 3, 4), (D(2021, 3, 9), "mismatch", 1, 2),
                                         (D(2021, 3, 11), "verified", 9, 9)),  # after `until`
                                  vaccinated, D(2021, 3, 10))
    assert list(out["vaccinated"]) == [2, 2, 7]           # a day without a value keeps the day before's
    assert list(out["verified"]) == [3, 3, 3] and list(out["mismatch"]) == [0, 1, 1]
    assert list(out["checked"]) == [3, 4, 4]
    assert list(out["backlog"]) == [0, 0, 3]               # more checked than vaccinated: no negative backlog
    assert list(out["share_checked"]) == pytest.approx([1.5, 2.0, 4 / 7])


def test_progress_before_the_campaign_is_empty():
    assert M.verification_progress(checks(), pd.Series(dtype="int64"), D(2021, 3, 1)).empty


def test_needed_pace_until_the_deadline():
    assert M.needed_pace(100, D(2021, 11, 1)) == 10.0
    assert M.needed_pace(100, D(2021, 11, 10)) == 100.0
    assert M.needed_pace(100, M.VERIFY_DEADLINE) is None and M.needed_pace(100, D(2021, 12, 1)) is None


def test_burndown_path_from_the_backlog_on_its_start():
    progress = pd.DataFrame({"day": [D(2021, 10, 14), D(2021, 10, 15)], "backlog": [50, 40]})
    assert M.burndown_path(progress, D(2021, 10, 15)) == ([D(2021, 10, 15), M.VERIFY_DEADLINE], [40, 0])
    assert M.burndown_path(progress, D(2021, 10, 16)) is None


def feedback(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["received_day", "closed_day", "status", "items"])


def test_feedback_status_with_no_feedback():
    assert M.feedback_status(feedback(), D(2021, 10, 30)) == {"received": 0, "closed": 0, "open": 0, "overdue": 0}


def test_feedback_received_before_the_backlog_deadline_is_overdue_once_it_has_passed():
    fb = feedback((D(2021, 10, 15), None, "open", 2))
    assert M.feedback_status(fb, D(2021, 10, 24))["overdue"] == 0   # 9 days old, the deadline not yet passed
    assert M.feedback_status(fb, D(2021, 10, 25)) == {"received": 2, "closed": 0, "open": 2, "overdue": 2}
    assert M.feedback_status(feedback((D(2021, 10, 1), None, "open", 1)), D(2021, 10, 24))["overdue"] == 1  # > 14


def test_feedback_after_the_backlog_deadline_is_overdue_after_14_days():
    fb = feedback((D(2021, 10, 25), None, "open", 3))
    assert M.feedback_status(fb, D(2021, 10, 25))["overdue"] == 0
    assert M.feedback_status(fb, D(2021, 11, 8))["overdue"] == 0    # 14 days: still within the service time
    assert M.feedback_status(fb, D(2021, 11, 9))["overdue"] == 3


def test_feedback_closed_later_is_open_on_the_day_and_later_feedback_is_not_counted():
    fb = feedback((D(2021, 10, 26), D(2021, 10, 28), "closed", 1), (D(2021, 10, 26), D(2021, 10, 30), "closed", 2),
                  (D(2021, 10, 31), None, "open", 5))
    assert M.feedback_status(fb, D(2021, 10, 29)) == {"received": 3, "closed": 1, "open": 2, "overdue": 0}
    assert M.feedback_status(fb, D(2021, 10, 31)) == {"received": 8, "closed": 3, "open": 5, "overdue": 0}


def test_feedback_weeks():
    assert list(M.feedback_weeks(feedback(), D(2021, 10, 31)).columns) == ["week", "received", "closed", "open"]
    fb = feedback((D(2021, 10, 13), D(2021, 10, 19), "closed", 2), (D(2021, 10, 20), None, "open", 1))
    weeks = M.feedback_weeks(fb, D(2021, 10, 21))  # the last week is cut at the day shown
    assert weeks.to_dict("records") == [
        {"week": D(2021, 10, 11), "received": 2, "closed": 0, "open": 2},
        {"week": D(2021, 10, 18), "received": 1, "closed": 2, "open": 1}]


def test_feedback_weeks_on_a_day_before_the_first_feedback_is_empty_with_its_columns():
    fb = feedback((D(2021, 10, 13), None, "open", 2))
    weeks = M.feedback_weeks(fb, D(2021, 3, 8))  # the page shows this day: it needs the columns to draw nothing
    assert weeks.empty and list(weeks.columns) == ["week", "received", "closed", "open"]


def test_field_mismatches_share_of_the_mismatch_checks_until_the_day():
    fields = pd.DataFrame({"field": ["name", "dob", "gender"], "checks": [5, 3, 3]})
    ch = checks((D(2021, 10, 1), "mismatch", 4, 8), (D(2021, 11, 1), "mismatch", 50, 100),
                (D(2021, 10, 1), "verified", 50, 50))
    out = M.field_mismatches(fields, ch, D(2021, 10, 31))
    assert list(out["field"]) == ["dob", "gender", "name"]  # the least frequent first, ties by field
    assert list(out["of_mismatches"]) == [0.375, 0.375, 0.625]
    assert M.field_mismatches(fields, ch, D(2021, 9, 30))["of_mismatches"].isna().all()  # no mismatch yet


def test_area_checked_shares_including_none_vaccinated_and_above_100_percent():
    people = pd.DataFrame([("01", 1, 10), ("01", 2, 99), ("02", 1, 0), ("03", 1, 4)],
                          columns=["area", "milestone", "people"])
    checked = pd.DataFrame([("01", 2), ("01", 3), ("03", 6)], columns=["area", "people"])
    rank = M.area_checked(checked, people, {"01": "Một", "02": "Hai", "03": "Ba"})
    assert list(rank["area"]) == ["03", "01", "02"]
    assert list(rank["name"]) == ["Ba", "Một", "Hai"]
    assert list(rank["checked"]) == [6, 5, 0] and list(rank["vaccinated"]) == [4, 10, 0]
    assert rank["share"].iloc[0] == 1.5 and rank["share"].iloc[1] == 0.5 and pd.isna(rank["share"].iloc[2])
