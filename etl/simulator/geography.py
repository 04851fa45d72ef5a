"""Administrative units, population by commune x age band x sex, and facilities.

Real: the units with their GSO codes and the province totals (total and 18+). Made up, with a fixed seed so
that they never change between runs or seeds: districts' and communes' shares of their province, the split
of the population into age bands, sites, stores and laboratories.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from common import vocabulary

REFERENCE = Path(__file__).resolve().parent.parent / "reference"
GEO_SEED = 84  # fixed: the population denominators must not depend on --seed

OLDEST = 90  # the oldest age given to a simulated person of the open band (65+)
AGE_BANDS = tuple(b.label for b in vocabulary.AGE_BANDS)
# Inclusive ages of each band, for birth dates.
BAND_AGES = tuple((b.min_age, OLDEST if b.max_age is None else b.max_age) for b in vocabulary.AGE_BANDS)
# Split of the under-18 and of the 18+ population into bands (close to the 2019 census pyramid).
UNDER18_SPLIT = np.array([0.27, 0.41, 0.32])
ADULT_SPLIT = np.array([0.62, 0.25, 0.13])
MALE_SHARE = np.array([0.52, 0.52, 0.52, 0.50, 0.48, 0.42])

# Provinces with more than one reference laboratory in 2021 (Hà Nội, TP. Hồ Chí Minh, Đà Nẵng, Cần Thơ).
EXTRA_LABS = {"01": 4, "79": 5, "48": 1, "92": 1}


def read_csv(name: str) -> list[dict[str, str]]:
    with open(REFERENCE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def split_exact(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to weights that sum exactly to total (largest remainder)."""
    w = np.asarray(weights, float)
    if total == 0 or w.sum() == 0:
        return np.zeros(len(w), np.int64)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(np.int64)
    rest = total - base.sum()
    if rest:
        order = np.argsort(-(raw - base), kind="stable")
        base[order[:rest]] += 1
    return base


@dataclass
class Geography:
    province_code: np.ndarray      # (P,) str
    province_name: list[str]
    province_rows: list[dict[str, str]]
    district_code: np.ndarray      # (D,) str
    district_province: np.ndarray  # (D,) province index
    district_rows: list[dict[str, str]]
    commune_code: np.ndarray       # (C,) str
    commune_district: np.ndarray   # (C,) district index
    commune_rows: list[dict[str, str]]
    population: np.ndarray         # (C, bands, 2 sexes) int64
    # facilities
    facility: list[dict]
    site_ids: np.ndarray           # (S,) facility id of each vaccination site
    site_district: np.ndarray      # (S,) district index
    site_weight_cum: np.ndarray    # (S,) district index + cumulative weight within district, for sampling
    district_store_id: np.ndarray  # (D,)
    province_store_id: np.ndarray  # (P,)
    national_store_id: int
    lab_ids: list[np.ndarray]      # per province

    @property
    def district_population(self) -> np.ndarray:  # (D, bands)
        out = np.zeros((len(self.district_code), len(AGE_BANDS)), np.int64)
        np.add.at(out, self.commune_district, self.population.sum(axis=2))
        return out

    def sample_sites(self, district: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Index into site_ids of a site in each given district, chosen by u in [0, 1)."""
        return np.searchsorted(self.site_weight_cum, district + np.minimum(u, 0.999999), side="right")


def load_geography(scale: float = 1.0) -> Geography:
    """The country at `scale`: populations are the real ones times the scale (rounded per province), so
    that a simulated platform at scale 0.01 is a consistent Vietnam of 1% the size, coverage included."""
    provinces = read_csv("provinces.csv")
    districts = read_csv("districts.csv")
    wards = read_csv("wards.csv")
    pop = {r["province_code"]: r for r in read_csv("population_by_province.csv")}
    rng = np.random.default_rng(GEO_SEED)

    p_code = np.array([r["province_code"] for r in provinces])
    p_index = {c: i for i, c in enumerate(p_code)}
    d_code = np.array([r["district_code"] for r in districts])
    d_index = {c: i for i, c in enumerate(d_code)}
    d_prov = np.array([p_index[r["province_code"]] for r in districts])
    c_code = np.array([r["ward_code"] for r in wards])
    c_dist = np.array([d_index[r["district_code"]] for r in wards])
    urban = np.array([r["type"] in ("phuong", "thi-tran") for r in wards])

    # Communes' weights: lognormal, urban wards denser; districts follow from their communes.
    weight = rng.lognormal(0.0, 0.45, len(wards)) * np.where(urban, 1.6, 1.0)
    c_prov = d_prov[c_dist]
    population = np.zeros((len(wards), len(AGE_BANDS), 2), np.int64)
    for pi, code in enumerate(p_code):
        members = np.flatnonzero(c_prov == pi)
        total = round(int(pop[code]["population_total"]) * scale)
        adults = round(int(pop[code]["population_18_plus"]) * scale)
        bands = np.concatenate([split_exact(total - adults, UNDER18_SPLIT), split_exact(adults, ADULT_SPLIT)])
        for b, band_total in enumerate(bands):
            per_commune = split_exact(int(band_total), weight[members])
            male = np.round(per_commune * MALE_SHARE[b]).astype(np.int64)
            population[members, b, 0] = male
            population[members, b, 1] = per_commune - male

    # Facilities: one national store, a store per province and district, a site per commune health
    # station plus one district hospital site, laboratories per province.
    facility: list[dict] = []

    def add(**row) -> int:
        row["id"] = len(facility) + 1
        facility.append(row)
        return row["id"]

    national = add(code="KQG", name="Kho vắc xin quốc gia (Viện VSDTTƯ)", kind="national_store",
                   province_code=None, district_code=None, commune_code=None, parent_id=None)
    p_store = np.array([add(code=f"KT{c}", name=f"Kho vắc xin CDC {r['name']}", kind="province_store",
                            province_code=c, district_code=None, commune_code=None, parent_id=national)
                        for c, r in zip(p_code, provinces)])
    d_store = np.array([add(code=f"KH{r['district_code']}", name=f"Kho TTYT {r['name_with_type']}",
                            kind="district_store", province_code=r["province_code"],
                            district_code=r["district_code"], commune_code=None,
                            parent_id=int(p_store[d_prov[i]]))
                        for i, r in enumerate(districts)])
    site_ids, site_dist, site_w = [], [], []
    first_commune = {}
    for ci, r in enumerate(wards):
        di = c_dist[ci]
        first_commune.setdefault(di, r["ward_code"])
        site_ids.append(add(code=f"TYT{r['ward_code']}", name=f"Trạm Y tế {r['name_with_type']}", kind="site",
                            province_code=r["province_code"], district_code=r["district_code"],
                            commune_code=r["ward_code"], parent_id=int(d_store[di])))
        site_dist.append(di)
        site_w.append(population[ci].sum())
    for di, r in enumerate(districts):
        if di not in first_commune:  # island districts without communes (Bạch Long Vĩ, Cồn Cỏ, ...)
            continue
        dpop = population[c_dist == di].sum()
        site_ids.append(add(code=f"BV{r['district_code']}", name=f"Điểm tiêm TTYT {r['name_with_type']}",
                            kind="site", province_code=r["province_code"], district_code=r["district_code"],
                            commune_code=first_commune[di], parent_id=int(d_store[di])))
        site_dist.append(di)
        site_w.append(dpop * 0.4)  # the district centre's site takes ~30% of the district's doses
    lab_ids = []
    for c, r in zip(p_code, provinces):
        n = 1 + EXTRA_LABS.get(c, 0)
        lab_ids.append(np.array([add(code=f"XN{c}{k:02d}",
                                     name=f"Phòng xét nghiệm {k + 1} {r['name']}" if k
                                     else f"Phòng xét nghiệm CDC {r['name']}",
                                     kind="lab", province_code=c, district_code=None, commune_code=None,
                                     parent_id=None) for k in range(n)]))

    site_ids_a = np.array(site_ids)
    site_dist_a = np.array(site_dist)
    order = np.lexsort((site_ids_a, site_dist_a))
    site_ids_a, site_dist_a, w = site_ids_a[order], site_dist_a[order], np.array(site_w, float)[order]
    cum = np.zeros(len(w))
    for di in np.unique(site_dist_a):
        m = site_dist_a == di
        cum[m] = di + np.cumsum(w[m]) / w[m].sum()
        cum[np.flatnonzero(m)[-1]] = di + 1.0  # exact upper edge

    return Geography(
        province_code=p_code, province_name=[r["name"] for r in provinces], province_rows=provinces,
        district_code=d_code, district_province=d_prov, district_rows=districts,
        commune_code=c_code, commune_district=c_dist, commune_rows=wards, population=population,
        facility=facility, site_ids=site_ids_a, site_district=site_dist_a, site_weight_cum=cum,
        district_store_id=d_store, province_store_id=p_store, national_store_id=national, lab_ids=lab_ids,
    )


class GroupSampler:
    """Draws a member of a group in proportion to its weight (members need not be listed group by group)."""

    def __init__(self, group: np.ndarray, weight: np.ndarray) -> None:
        self.order = np.lexsort((np.arange(len(group)), group))
        g, w = group[self.order], np.nan_to_num(weight[self.order].astype(float))
        total = np.bincount(g, weights=w)
        share = np.divide(w, total[g], out=np.zeros(len(w)), where=total[g] > 0)
        cum = np.zeros(len(w))
        starts = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
        ends = np.r_[starts[1:], len(g)]
        for a, b in zip(starts, ends):
            c = np.cumsum(share[a:b])
            c[-1] = 1.0
            cum[a:b] = c
        self.cum = g + cum

    def sample(self, group: np.ndarray, u: np.ndarray) -> np.ndarray:
        pos = np.searchsorted(self.cum, group + np.minimum(u, 0.999999), side="right")
        return self.order[np.minimum(pos, len(self.order) - 1)]
