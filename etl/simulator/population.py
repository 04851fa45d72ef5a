"""Personal data of simulated people: names, citizen ID numbers, phones, birth dates (vectorised)."""

from __future__ import annotations

import numpy as np

from etl.simulator.geography import BAND_AGES

FAMILY = (("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 3), ("Huỳnh", 2), ("Phan", 4.5),
          ("Vũ", 2), ("Võ", 2), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3),
          ("Dương", 1), ("Lý", 0.5), ("Đinh", 0.8), ("Trương", 0.8), ("Lâm", 0.5), ("Mai", 0.5))
MIDDLE = {0: ("Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thành", "Anh", "Tuấn", "Gia"),
          1: ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Hồng", "Minh", "Phương")}
GIVEN = {0: ("An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khoa", "Long", "Minh", "Nam",
             "Phong", "Quân", "Sơn", "Thắng", "Trung", "Tuấn", "Việt", "Vinh"),
         1: ("Anh", "Châu", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Mai",
             "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Thảo", "Trang", "Yến")}

MISSING_ID_BY_BAND = np.array([0.95, 0.90, 0.35, 0.015, 0.02, 0.04])
MALFORMED_ID = 0.005


def _encoded(words) -> np.ndarray:
    return np.strings.encode(np.array(words), "utf-8")


_FAMILY_B = _encoded([f for f, _ in FAMILY])
_FAMILY_P = np.cumsum([w for _, w in FAMILY]) / sum(w for _, w in FAMILY)
_MIDDLE_B = {s: _encoded(v) for s, v in MIDDLE.items()}
_GIVEN_B = {s: _encoded(v) for s, v in GIVEN.items()}


def digits(numbers: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal strings (bytes) of non-negative integers, without a Python loop."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    d = ((numbers[:, None] // powers) % 10 + 48).astype(np.uint8)
    return np.ascontiguousarray(d).view(f"S{width}").ravel()


def names(rng: np.random.Generator, sex: np.ndarray) -> np.ndarray:
    n = len(sex)
    fam = _FAMILY_B[np.searchsorted(_FAMILY_P, rng.random(n), side="right").clip(0, len(_FAMILY_B) - 1)]
    out = np.empty(n, dtype="S64")
    for s in (0, 1):
        m = sex == s
        k = int(m.sum())
        mid = _MIDDLE_B[s][rng.integers(0, len(_MIDDLE_B[s]), k)]
        giv = _GIVEN_B[s][rng.integers(0, len(_GIVEN_B[s]), k)]
        out[m] = np.strings.add(np.strings.add(np.strings.add(np.strings.add(fam[m], b" "), mid), b" "), giv)
    return out


def birth_dates(rng: np.random.Generator, band: np.ndarray, on_day: np.datetime64) -> np.ndarray:
    lo = np.array([a for a, _ in BAND_AGES])[band]
    hi = np.array([b for _, b in BAND_AGES])[band]
    age_days = (rng.uniform(lo, hi + 1) * 365.25).astype(np.int64)
    return on_day - age_days.astype("timedelta64[D]")


def citizen_ids(rng: np.random.Generator, province_number: np.ndarray, sex: np.ndarray,
                birth: np.ndarray, band: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """12-digit ID numbers (province of birth, sex and century, year, serial); some missing or malformed.

    Returns (ids as bytes, null mask).
    """
    n = len(sex)
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    century_sex = np.where(year >= 2000, 2, 0) + sex
    number = (province_number.astype(np.int64) * 10**9 + century_sex * 10**8 + (year % 100) * 10**6
              + rng.integers(0, 10**6, n))
    ids = digits(number, 12)
    malformed = rng.random(n) < MALFORMED_ID
    if malformed.any():  # old 9-digit ID cards, or a digit dropped when typing
        ids[malformed] = np.where(rng.random(int(malformed.sum())) < 0.6,
                                  digits(number[malformed] % 10**9, 9), digits(number[malformed] % 10**11, 11))
    missing = rng.random(n) < MISSING_ID_BY_BAND[band]
    return ids, missing


def phones(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    prefix = np.array([3, 5, 7, 8, 9])[rng.integers(0, 5, n)]
    number = prefix * 10**8 + rng.integers(0, 10**8, n)
    return digits(number, 10), rng.random(n) < 0.08
