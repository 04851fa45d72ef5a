"""The campaign's vocabulary: the values the code hard-coded before it had one home (issue 11, item 4)."""

from datetime import UTC, date, datetime

from common import vocabulary as V


def test_groups_gather_the_bands_within_their_ages():
    assert V.GROUP_BANDS == {"total": (-1, 0, 1, 2, 3, 4, 5), "18+": (3, 4, 5), "12-17": (2,)}
    assert V.GROUPS == ("total", "18+", "12-17")


def test_milestones_codes_and_mart_ids():
    assert V.MILESTONE_ID == {"first": 1, "full": 2, "booster": 3}
    assert V.MILESTONE_CODES == ("first", "full", "booster")


def test_bands_children_and_unknown_age():
    assert [b.label for b in V.AGE_BANDS] == ["0-4", "5-11", "12-17", "18-49", "50-64", "65+"]
    assert [b.id for b in V.AGE_BANDS] == list(range(6))  # the simulator indexes arrays by band id
    # a missing citizen ID number is a fault from 18 years and when the age is unknown
    assert [b.id for b in (V.UNKNOWN_AGE, *V.AGE_BANDS) if b.child] == [0, 1, 2]


def test_campaign_days_and_vietnam_day():
    assert (V.CAMPAIGN_START, V.SAME_DAY_RULE) == (date(2021, 3, 8), date(2021, 10, 20))
    assert V.vn_day(datetime(2021, 10, 19, 16, 59, tzinfo=UTC)) == date(2021, 10, 19)
    assert V.vn_day(datetime(2021, 10, 19, 17, 0, tzinfo=UTC)) == date(2021, 10, 20)
