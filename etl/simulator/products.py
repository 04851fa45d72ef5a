"""The vaccines of Vietnam's 2021-2022 campaign, their schedules and the mix used over time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Product:
    code: str
    name: str
    manufacturer: str
    primary_doses: int
    min_interval_days: int
    doses_per_vial: int
    min_age_years: int
    wastage_rate: float   # share of doses shipped to a site that are discarded (open vials, breakage)
    lot_code_prefix: str


PRODUCTS: tuple[Product, ...] = (
    Product("AZD", "AstraZeneca (Vaxzevria)", "AstraZeneca/SK Bioscience", 2, 28, 10, 18, 0.05, "AZ"),
    Product("PFZ", "Pfizer-BioNTech (Comirnaty)", "Pfizer/BioNTech", 2, 21, 6, 5, 0.03, "FF"),
    Product("MOD", "Moderna (Spikevax)", "Moderna", 2, 28, 10, 6, 0.04, "MD"),
    Product("VRO", "Sinopharm (Vero Cell)", "Beijing Bio-Institute / Sinopharm", 2, 21, 1, 18, 0.01, "VC"),
    Product("SPK", "Sputnik V (Gam-COVID-Vac)", "Gamaleya", 2, 21, 5, 18, 0.04, "SP"),
    Product("ABD", "Abdala (CIGB-66)", "CIGB Cuba", 3, 14, 10, 18, 0.05, "AB"),
    Product("HYT", "Hayat-Vax", "Gulf Pharmaceutical / Sinopharm", 2, 21, 2, 18, 0.02, "HV"),
    Product("JNS", "Janssen (Ad26.COV2.S)", "Janssen/Johnson & Johnson", 1, 0, 5, 18, 0.04, "JS"),
)
N_PROD = len(PRODUCTS)
CODES = tuple(p.code for p in PRODUCTS)
INDEX = {p.code: i for i, p in enumerate(PRODUCTS)}
PRIMARY_DOSES = np.array([p.primary_doses for p in PRODUCTS])
MIN_INTERVAL = np.array([p.min_interval_days for p in PRODUCTS])
DOSES_PER_VIAL = np.array([p.doses_per_vial for p in PRODUCTS])
WASTAGE = np.array([p.wastage_rate for p in PRODUCTS])

# First-dose mix of adults by period start (approximating the deliveries of 2021-2022).
_FIRST_DOSE_MIX = (
    ("2021-03-01", {"AZD": 1.0}),
    ("2021-06-01", {"AZD": 0.70, "VRO": 0.25, "PFZ": 0.05}),
    ("2021-07-01", {"AZD": 0.50, "VRO": 0.20, "MOD": 0.20, "PFZ": 0.10}),
    ("2021-08-01", {"AZD": 0.45, "VRO": 0.25, "PFZ": 0.15, "MOD": 0.10, "SPK": 0.03, "HYT": 0.02}),
    ("2021-09-01", {"AZD": 0.40, "VRO": 0.25, "PFZ": 0.20, "MOD": 0.05, "ABD": 0.05, "HYT": 0.03, "SPK": 0.02}),
    ("2021-10-01", {"PFZ": 0.45, "AZD": 0.30, "VRO": 0.10, "ABD": 0.08, "MOD": 0.05, "JNS": 0.01, "HYT": 0.01}),
    ("2022-01-01", {"PFZ": 0.60, "AZD": 0.20, "MOD": 0.12, "ABD": 0.05, "VRO": 0.03}),
)
BOOSTER_MIX = {"PFZ": 0.50, "MOD": 0.30, "AZD": 0.20}


def _vector(mix: dict[str, float]) -> np.ndarray:
    v = np.zeros(len(PRODUCTS))
    for code, share in mix.items():
        v[INDEX[code]] = share
    return v / v.sum()


_MIX_STARTS = np.array([np.datetime64(d) for d, _ in _FIRST_DOSE_MIX])
_MIX_VECTORS = np.array([_vector(m) for _, m in _FIRST_DOSE_MIX])
BOOSTER_VECTOR = _vector(BOOSTER_MIX)


def first_dose_mix(day: np.datetime64) -> np.ndarray:
    """Shares of each product among adults' first doses on `day`."""
    i = max(int(np.searchsorted(_MIX_STARTS, day, side="right")) - 1, 0)
    return _MIX_VECTORS[i]


def children_mix(band: int) -> np.ndarray:
    """12-17 year olds got Pfizer; 5-11 year olds Pfizer and some Moderna (band index of AGE_BANDS)."""
    return _vector({"PFZ": 1.0}) if band == 2 else _vector({"PFZ": 0.8, "MOD": 0.2})
