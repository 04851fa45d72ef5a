"""The campaign's vocabulary, one definition for etl and dashboard: age bands and the population groups that
gather them, milestones, the campaign's dates and Vietnam's day.

sql/reporting/014_vocabulary.sql holds the same values in ref.* tables for the SQL to join;
tests/integration/test_vocabulary.py fails when the two disagree, so change both together (a new migration)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

# From this age a person holds a citizen ID number (children had none in 2021-2022) and is an adult.
ADULT_AGE = 18


@dataclass(frozen=True)
class AgeBand:
    id: int              # as staging, the marts and ref.population store it
    label: str           # as the platform names it
    min_age: int | None  # None: the birth date is missing, the age unknown
    max_age: int | None  # inclusive; None: no upper bound (or the age unknown)

    @property
    def child(self) -> bool:
        """Known to be under ADULT_AGE: a missing citizen ID number is no fault."""
        return self.max_age is not None and self.max_age < ADULT_AGE


# The platform's bands (platform.population.age_band), in order: the simulator indexes arrays by band id.
AGE_BANDS = (AgeBand(0, "0-4", 0, 4), AgeBand(1, "5-11", 5, 11), AgeBand(2, "12-17", 12, 17),
             AgeBand(3, "18-49", 18, 49), AgeBand(4, "50-64", 50, 64), AgeBand(5, "65+", 65, None))
# A dose whose person has no birth date still counts: in the whole population, in no age group.
UNKNOWN_AGE = AgeBand(-1, "unknown", None, None)


@dataclass(frozen=True)
class PopulationGroup:
    """A group a target or a coverage figure is about: the bands whose ages lie within min_age..max_age."""

    code: str            # as ref.target, the CLI and the dashboard's URLs name it
    min_age: int | None  # None: everybody, the unknown age included
    max_age: int | None  # inclusive; None: no upper bound
    label_key: str       # its name in dashboard/i18n.py

    @property
    def bands(self) -> tuple[int, ...]:
        if self.min_age is None:
            return tuple(b.id for b in (UNKNOWN_AGE, *AGE_BANDS))
        return tuple(b.id for b in AGE_BANDS if b.min_age >= self.min_age
                     and (self.max_age is None or (b.max_age is not None and b.max_age <= self.max_age)))


POPULATION_GROUPS = (PopulationGroup("total", None, None, "group_total"),
                     PopulationGroup("18+", ADULT_AGE, None, "group_18"),
                     PopulationGroup("12-17", 12, 17, "group_12_17"))
GROUPS = tuple(g.code for g in POPULATION_GROUPS)
GROUP_BANDS = {g.code: g.bands for g in POPULATION_GROUPS}


@dataclass(frozen=True)
class Milestone:
    id: int         # as the marts store it (mart.people_daily.milestone)
    code: str       # as ref.target, the CLI and the dashboard's URLs name it
    label_key: str  # its name in dashboard/i18n.py


MILESTONES = (Milestone(1, "first", "milestone_first"),    # at least one dose
              Milestone(2, "full", "milestone_full"),      # the product's primary series completed
              Milestone(3, "booster", "milestone_booster"))
MILESTONE_CODES = tuple(m.code for m in MILESTONES)
MILESTONE_ID = {m.code: m.id for m in MILESTONES}

CAMPAIGN_START = date(2021, 3, 8)
# From this day a dose must be entered on the day it is given ("inject first, enter later" forbidden).
SAME_DAY_RULE = date(2021, 10, 20)

# Vietnam has kept UTC+7 without daylight saving since 1975: a fixed offset needs no tz database.
VN_UTC_OFFSET = timedelta(hours=7)
VN_TZ = timezone(VN_UTC_OFFSET, "ICT")


def vn_day(moment: datetime) -> date:
    """The day in Vietnam at an aware moment (the SQL's etl.vn_day)."""
    return moment.astimezone(VN_TZ).date()
