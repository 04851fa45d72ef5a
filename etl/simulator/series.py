"""Daily dose targets: the real national series (Our World in Data) or a replayed per-province profile."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from common import vocabulary
from etl.simulator.geography import REFERENCE

CAMPAIGN_START = np.datetime64(vocabulary.CAMPAIGN_START, "D")
SERIES_END = np.datetime64("2023-06-30")


class ProfileError(ValueError):
    """A profile file that cannot be replayed; the message names the file and line."""


@dataclass(frozen=True)
class NationalSeries:
    """Daily national counts from CAMPAIGN_START: index 0 is 2021-03-08."""

    doses: np.ndarray
    first: np.ndarray
    completed: np.ndarray   # people completing their primary series that day
    boosters: np.ndarray

    def day_index(self, day: np.datetime64) -> int:
        return int((day - CAMPAIGN_START).astype(int))


def _cumulative(dates: np.ndarray, values: list[str], all_days: np.ndarray) -> np.ndarray:
    known = np.array([v != "" for v in values])
    x = dates[known].astype("datetime64[D]").astype(np.int64)
    y = np.array([float(v) for v, k in zip(values, known) if k])
    if len(x) == 0:
        return np.zeros(len(all_days))
    days = all_days.astype(np.int64)
    out = np.interp(days, x, y, left=0.0, right=y[-1])
    return np.maximum.accumulate(out)


def national_series() -> NationalSeries:
    with open(REFERENCE / "national_vaccinations.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    dates = np.array([r["date"] for r in rows], dtype="datetime64[D]")
    all_days = np.arange(CAMPAIGN_START - 1, SERIES_END + 1)
    cols = {c: _cumulative(dates, [r[c] for r in rows], all_days)
            for c in ("total_doses", "people_at_least_one_dose", "people_fully_vaccinated", "total_boosters")}
    # Boosters were not reported before 10 Feb 2022 (the series jumps to 29.6 million that day); before it,
    # take them as doses that are neither first doses nor completions, which matches on the first known day.
    known = [r["date"] for r in rows if r["total_boosters"]]
    first_known = np.datetime64(known[0]) if known else all_days[-1]
    estimate = np.clip(cols["total_doses"] - cols["people_at_least_one_dose"] - cols["people_fully_vaccinated"],
                       0, None)
    estimate[all_days < np.datetime64("2021-11-01")] = 0  # no boosters were given before November 2021
    before = all_days < first_known
    cap = cols["total_boosters"][~before][0] if (~before).any() else estimate
    boosters = np.where(before, np.minimum(estimate, cap), cols["total_boosters"])
    cols["total_boosters"] = np.maximum.accumulate(boosters)
    daily = {c: np.diff(v) for c, v in cols.items()}
    return NationalSeries(doses=daily["total_doses"], first=daily["people_at_least_one_dose"],
                          completed=daily["people_fully_vaccinated"], boosters=daily["total_boosters"])


def load_profile(path: Path, province_codes: np.ndarray) -> dict[tuple[int, int], int]:
    """Read a CSV `date,province_code,doses` into {(day index, province index): doses}.

    Every line is checked; the first bad one is refused with its line number.
    """
    index = {c: i for i, c in enumerate(province_codes)}
    out: dict[tuple[int, int], int] = {}
    try:
        f = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read the profile: {exc.strerror}") from None
    with f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or [h.strip() for h in header] != ["date", "province_code", "doses"]:
            raise ProfileError(f"{path}:1: the header must be 'date,province_code,doses', found {header!r}")
        for line, row in enumerate(reader, start=2):
            if not row or all(not c.strip() for c in row):
                continue
            where = f"{path}:{line}"
            key, doses = _profile_row(where, row, index)
            if key in out:
                raise ProfileError(f"{where}: a second row for {row[0].strip()} and province {row[1].strip()}")
            out[key] = doses
    if not out:
        raise ProfileError(f"{path}: the profile has no rows")
    return out


def _profile_row(where: str, row: list[str], index: dict[str, int]) -> tuple[tuple[int, int], int]:
    """One checked line of a profile: ((day index, province index), doses)."""
    if len(row) != 3:
        raise ProfileError(f"{where}: expected 3 fields (date,province_code,doses), found {len(row)}")
    date_s, code, doses_s = (c.strip() for c in row)
    try:
        day = np.datetime64(date_s, "D")
        if len(date_s) != 10:
            raise ValueError
    except ValueError:
        raise ProfileError(f"{where}: '{date_s}' is not a date in YYYY-MM-DD form") from None
    if day < CAMPAIGN_START:
        raise ProfileError(f"{where}: {date_s} is before the campaign started ({CAMPAIGN_START})")
    code = code.zfill(2) if code.isdigit() else code
    if code not in index:
        raise ProfileError(f"{where}: unknown province code '{code}'")
    if not doses_s.isdigit():
        raise ProfileError(f"{where}: doses must be a whole number >= 0, found '{doses_s}'")
    return (int((day - CAMPAIGN_START).astype(int)), index[code]), int(doses_s)
