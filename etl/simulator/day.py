"""One simulated day: the tables of rows it adds, as numpy columns ready for binary COPY."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.simulator import population as people
from etl.simulator import products as P
from etl.simulator.geography import MALE_SHARE, Geography
from etl.simulator.model import (
    BOOSTER_AFTER_DAYS,
    CLEANUP_END,
    DROPOUT,
    FAULT_RATES,
    KIND_AUTO,
    KIND_BOOSTER,
    KIND_COMPLETE,
    PERSON_FAULT_RATES,
    PLATFORM_LIVE,
    PRIORITY_AUG_SEP,
    RULE_DAY,
    SECOND_BOOSTER_AFTER_DAYS,
    SECOND_BOOSTER_DROPOUT,
    UPTAKE_CAP,
    US_PER_DAY,
    US_PER_HOUR,
    DayTargets,
    State,
    available_by_province,
    day_of,
    eligible_bands,
    expand_ranges,
    local_midnight_us,
    new_segments_after_pick,
    pick_from_pool,
    quota_from_total,
    stochastic_round,
    take_ids,
)
from etl.simulator.pgcopy import Column
from etl.simulator.series import NationalSeries

N_PROD = len(P.PRODUCTS)
SOUTH_WAVE = {"70", "72", "74", "75", "77", "79", "80", "82", "83", "84", "86", "87", "89", "91", "92", "93",
              "94", "95", "96"}
SNAPSHOT_DAY = np.datetime64("2021-08-04")
AUG_SEP_END = np.datetime64("2021-10-01")


@dataclass
class Config:
    scale: float
    seed: int
    perfect: bool = False   # every dose entered on the day, no faults: for exact replays and ETL tests


class DayModel:
    """Builds each day's rows; holds the fixed inputs (geography, series, profile) and the state."""

    def __init__(self, geo: Geography, series: NationalSeries, snapshot_ratio: np.ndarray, config: Config,
                 profile: dict[tuple[int, int], int] | None):
        self.geo, self.series, self.cfg, self.profile = geo, series, config, profile
        self.snapshot_ratio = snapshot_ratio
        self.n_prov = len(geo.province_code)
        self.province_number = geo.province_code.astype(np.int64)
        self.pop_db = geo.district_population  # (D, bands)
        commune_pop = geo.population.sum(axis=(1, 2)).astype(float)
        dist_pop = np.bincount(geo.commune_district, weights=commune_pop, minlength=len(geo.district_code))
        self.communes = GroupSampler(geo.commune_district, commune_pop)
        prov_pop = np.bincount(geo.district_province, weights=dist_pop, minlength=self.n_prov)
        self.districts = GroupSampler(geo.district_province, dist_pop)
        self.prov_pop_share = prov_pop / prov_pop.sum()
        self.south = np.array([c in SOUTH_WAVE for c in geo.province_code])
        self.priority = np.array([PRIORITY_AUG_SEP.get(c, 1.0) for c in geo.province_code])
        self.lab_start = np.cumsum([0] + [len(x) for x in geo.lab_ids])[:-1]
        self.lab_count = np.array([len(x) for x in geo.lab_ids])
        self.lab_flat = np.concatenate(geo.lab_ids)
        s = max(1, round(500 * config.scale))
        self.box = P.DOSES_PER_VIAL * s
        self.box_waste = np.round(self.box * P.WASTAGE).astype(np.int64)
        self.lot_base = np.maximum(self.box * 20, np.round(400_000 * config.scale / self.box) * self.box)

    # ---- targets -------------------------------------------------------------------------------
    def _remaining(self, state: State, day: np.datetime64) -> np.ndarray:
        cap = np.floor(self.pop_db * UPTAKE_CAP).astype(np.int64) * eligible_bands(day)
        return np.clip(cap - state.first_done, 0, None)

    def _province_factor(self, day: np.datetime64) -> np.ndarray:
        if day < SNAPSHOT_DAY:
            return self.snapshot_ratio
        if day < AUG_SEP_END:
            return np.sqrt(self.snapshot_ratio) * self.priority
        return np.ones(self.n_prov)

    def targets(self, state: State, t: int, rng: np.random.Generator) -> DayTargets:
        day = day_of(t)
        remaining = self._remaining(state, day).sum(axis=1)
        dprov = self.geo.district_province
        s = self.series
        in_series = t < len(s.doses)
        if self.profile is None:
            f, c, b = (stochastic_round(rng, float(x[t]) * self.cfg.scale) if in_series else 0
                       for x in (s.first, s.completed, s.boosters))
            w = remaining * self._province_factor(day)[dprov]
            first = rng.multinomial(int(f), w / w.sum()) if w.sum() > 0 and f > 0 else np.zeros(len(w), np.int64)
            first = np.minimum(first, remaining)
            state.shortfall["first"] += int(f - first.sum())
            return DayTargets(first, None, int(c), None, int(b))

        totals = np.array([self.profile.get((t, p), 0) for p in range(self.n_prov)], np.int64)
        if in_series and s.doses[t] > 0:
            follow_share = 1 - s.first[t] / s.doses[t]
            c_share = s.completed[t] / max(s.completed[t] + s.boosters[t], 1e-9)
        else:
            follow_share, c_share = 0.5, 0.5
        seg = state.segments
        avail_c = available_by_province(seg, np.isin(seg.kind, (KIND_COMPLETE, KIND_AUTO)), t, dprov, self.n_prov)
        avail_b = available_by_province(seg, seg.kind == KIND_BOOSTER, t, dprov, self.n_prov)
        rem_p = np.bincount(dprov, weights=remaining, minlength=self.n_prov).astype(np.int64)
        follow = np.minimum(np.round(totals * follow_share).astype(np.int64), avail_c + avail_b)
        first_p = totals - follow
        excess = np.clip(first_p - rem_p, 0, None)
        follow = np.minimum(follow + excess, avail_c + avail_b)
        first_p = np.minimum(totals - follow, rem_p)
        cq = np.minimum(np.round(follow * c_share).astype(np.int64), avail_c)
        bq = np.minimum(follow - cq, avail_b)
        cq = np.minimum(follow - bq, avail_c)
        state.shortfall["first"] += int((totals - first_p - cq - bq).sum())
        first = np.zeros(len(remaining), np.int64)
        for p in np.flatnonzero(first_p):
            members = np.flatnonzero(dprov == p)
            first[members] = rng.multinomial(int(first_p[p]), remaining[members] / remaining[members].sum())
        return DayTargets(first, cq, int(cq.sum()), bq, int(bq.sum()))

    # ---- the day ---------------------------------------------------------------------------------
    def run(self, state: State, t: int) -> dict[str, dict[str, Column]]:
        rng = np.random.default_rng([self.cfg.seed, t])
        day = day_of(t)
        midnight = local_midnight_us(day)
        tg = self.targets(state, t, rng)
        tables: dict[str, dict[str, Column]] = {}

        persons = self._new_people(state, t, day, tg.first_by_district, rng, tables)
        doses = self._next_doses(state, t, tg, persons, rng)
        site = self.geo.sample_sites(doses["district"], rng.random(len(doses["person"])))
        injected = midnight + 7 * US_PER_HOUR + rng.integers(0, 10 * US_PER_HOUR, len(site))
        lot = self._stock(state, t, midnight, site, doses["product"], rng, tables)
        self._dose_records(state, t, day, doses, site, lot, injected, rng, tables, persons)
        self._hand_reports(day, midnight, doses["district"], tables)
        self._tests(state, t, day, midnight, rng, tables)
        state.segments.compact()
        state.last_day = t
        return tables

    def _new_people(self, state, t, day, first_by_district, rng, tables) -> dict[str, np.ndarray]:
        n = int(first_by_district.sum())
        district = np.repeat(np.arange(len(first_by_district)), first_by_district)
        rem = self._remaining(state, day)[district].astype(float)
        rem_sum = rem.sum(axis=1, keepdims=True)
        fallback = eligible_bands(day) / eligible_bands(day).sum()
        rem = np.where(rem_sum > 0, rem / np.where(rem_sum > 0, rem_sum, 1), fallback)
        band = (rng.random((n, 1)) > np.cumsum(rem, axis=1)[:, :-1]).sum(axis=1) if n else np.zeros(0, np.int64)
        sex = (rng.random(n) > MALE_SHARE[band]).astype(np.int64)  # 0 male, 1 female
        mix_adult = np.cumsum(P.first_dose_mix(day))
        product = np.searchsorted(mix_adult, rng.random(n), side="right").clip(0, N_PROD - 1)
        kids = band <= 2
        if kids.any():
            u = rng.random(int(kids.sum()))
            product[kids] = np.where(band[kids] == 2, P.INDEX["PFZ"],
                                     np.where(u < 0.8, P.INDEX["PFZ"], P.INDEX["MOD"]))
        order = np.lexsort((band, product, district))
        district, band, sex, product = district[order], band[order], sex[order], product[order]
        np.add.at(state.first_done, (district, band), 1)
        ids = take_ids(state, "person", n)
        commune = self.communes.sample(district, rng.random(n))
        birth = people.birth_dates(rng, band, day)
        prov_of_birth = np.where(rng.random(n) < 0.85, self.province_number[self.geo.district_province[district]],
                                 self.province_number[rng.integers(0, self.n_prov, n)])
        cid, cid_null = people.citizen_ids(rng, prov_of_birth, sex, birth, band)
        phone, phone_null = people.phones(rng, n)
        created = local_midnight_us(day) + 6 * US_PER_HOUR + rng.integers(0, US_PER_HOUR, n)
        # Required fields left empty at a busy site, drawn from their own stream so that the rest of the
        # simulation does not change with these rates.
        frng = np.random.default_rng([self.cfg.seed, t, 17])
        no_birth = np.zeros(n, bool) if self.cfg.perfect else frng.random(n) < PERSON_FAULT_RATES["missing_birth_date"]
        no_home = np.zeros(n, bool) if self.cfg.perfect else frng.random(n) < PERSON_FAULT_RATES["missing_residence"]
        tables["person"] = {
            "id": Column("int8", ids), "full_name": Column("text", people.names(rng, sex)),
            "citizen_id": Column("text", cid, cid_null), "birth_date": Column("date", birth, no_birth),
            "sex": Column("text", np.where(sex == 0, b"M", b"F")),
            "phone": Column("text", phone, phone_null),
            "residence_commune": Column("text", self.geo.commune_code[commune].astype("S5"), no_home),
            "created_at": Column("timestamptz", created), "updated_at": Column("timestamptz", created),
        }
        # Segments: one per (district, product) group of today's people, ids contiguous by construction.
        if n:
            key = district * N_PROD + product
            starts = np.r_[0, np.flatnonzero(np.diff(key)) + 1]
            counts = np.diff(np.r_[starts, n])
            prod_g = product[starts]
            primary = P.PRIMARY_DOSES[prod_g]
            kind = np.where(primary == 1, KIND_BOOSTER, np.where(primary == 3, KIND_AUTO, KIND_COMPLETE))
            wait = np.where(primary == 1, BOOSTER_AFTER_DAYS, P.MIN_INTERVAL[prod_g])
            drop = rng.binomial(counts, np.array([DROPOUT[k] for k in kind]))
            state.segments.append(start=ids[starts], taken=np.zeros(len(starts)), pick_end=ids[starts] + counts - drop,
                                  district=district[starts], product=prod_g, next_dose=np.full(len(starts), 2),
                                  eligible=t + wait, first_day=np.full(len(starts), t), kind=kind)
        cid_state = np.where(cid_null, 0, np.where(np.strings.str_len(cid) == 12, 1, 2))  # 0 missing, 1 ok, 2 bad
        return {"id": ids, "district": district, "product": product, "band": band, "cid_state": cid_state}

    def _next_doses(self, state, t, tg: DayTargets, persons, rng) -> dict[str, np.ndarray]:
        seg = state.segments
        dprov = self.geo.district_province
        if self.profile is None:
            take_auto = pick_from_pool(seg, seg.kind == KIND_AUTO, t, None, dprov)
            janssen_today = int((persons["product"] == P.INDEX["JNS"]).sum())
            c_total = max(tg.completion_total - janssen_today, 0)
            avail = available_by_province(seg, seg.kind == KIND_COMPLETE, t, dprov, self.n_prov)
            take_c = pick_from_pool(seg, seg.kind == KIND_COMPLETE, t, quota_from_total(c_total, avail), dprov)
            avail_b = available_by_province(seg, seg.kind == KIND_BOOSTER, t, dprov, self.n_prov)
            take_b = pick_from_pool(seg, seg.kind == KIND_BOOSTER, t, quota_from_total(tg.booster_total, avail_b),
                                    dprov)
            state.shortfall["completion"] += int(max(c_total - take_c.sum(), 0))
            state.shortfall["booster"] += int(max(tg.booster_total - take_b.sum(), 0))
            take = take_auto + take_c + take_b
        else:
            take_c = pick_from_pool(seg, np.isin(seg.kind, (KIND_COMPLETE, KIND_AUTO)), t, tg.completion_quota, dprov)
            take_b = pick_from_pool(seg, seg.kind == KIND_BOOSTER, t, tg.booster_quota, dprov)
            take = take_c + take_b

        sel = np.flatnonzero(take)
        n = take[sel]
        person = expand_ranges(seg.start[sel] + seg.taken[sel], n)
        district = np.repeat(seg.district[sel], n)
        dose_no = np.repeat(seg.next_dose[sel], n)
        first_day = np.repeat(seg.first_day[sel], n)
        product = np.repeat(seg.product[sel], n).astype(np.int64)
        is_booster = np.repeat(seg.kind[sel] == KIND_BOOSTER, n)
        if is_booster.any():
            product[is_booster] = np.searchsorted(np.cumsum(P.BOOSTER_VECTOR), rng.random(int(is_booster.sum())),
                                                  side="right").clip(0, N_PROD - 1)

        # The next stage of everyone taken today.
        primary = P.PRIMARY_DOSES[seg.product]
        is_auto, is_complete = seg.kind == KIND_AUTO, seg.kind == KIND_COMPLETE
        first_booster = (seg.kind == KIND_BOOSTER) & (seg.next_dose - primary == 1)
        next_kind = np.where(is_auto, KIND_COMPLETE, KIND_BOOSTER)
        wait = np.where(is_auto, 14, np.where(is_complete, BOOSTER_AFTER_DAYS, SECOND_BOOSTER_AFTER_DAYS))
        dropout = np.where(is_auto, 0.03, np.where(is_complete, DROPOUT[KIND_BOOSTER],
                                                   np.where(first_booster, SECOND_BOOSTER_DROPOUT, 1.0)))
        new = new_segments_after_pick(seg, take, t, rng, next_kind, seg.next_dose + 1, wait, dropout)
        seg.taken += take
        seg.append(**new)

        n_first = len(persons["id"])
        return {
            "person": np.r_[persons["id"], person],
            "district": np.r_[persons["district"], district].astype(np.int64),
            "product": np.r_[persons["product"], product].astype(np.int64),
            "dose_no": np.r_[np.ones(n_first, np.int64), dose_no],
            "first_day": np.r_[np.full(n_first, t), first_day].astype(np.int64),
        }

    # ---- stock -----------------------------------------------------------------------------------
    def _stock(self, state, t, midnight, site, product, rng, tables) -> np.ndarray:
        """Ship vaccine down to the sites for today's doses; return each dose's lot index."""
        st = state.stock
        geo = self.geo
        moves: list[tuple] = []  # (lot, from, to, doses, kind, hour)

        # Shelves whose lot has expired are emptied into wastage first.
        has = st.site_lot >= 0
        expired = has & (st.site_balance > 0)
        expired[has] &= st.lot_expiry[st.site_lot[has]] <= t
        for s_i, p_i in zip(*np.nonzero(expired)):
            moves.append((st.site_lot[s_i, p_i], geo.site_ids[s_i], None, st.site_balance[s_i, p_i], "wastage", 0.5))
        st.site_balance[expired] = 0

        lot_of_dose = np.zeros(len(site), np.int64)
        if len(site) == 0:
            self._emit_movements(state, moves, midnight, rng, tables)
            return lot_of_dose
        key = site * N_PROD + product
        order = np.argsort(key, kind="stable")
        k_sorted = key[order]
        starts = np.r_[0, np.flatnonzero(np.diff(k_sorted)) + 1]
        usage = np.diff(np.r_[starts, len(key)])
        g_site, g_prod = k_sorted[starts] // N_PROD, k_sorted[starts] % N_PROD
        bal = st.site_balance[g_site, g_prod]
        old_lot = st.site_lot[g_site, g_prod]
        net = self.box[g_prod] - self.box_waste[g_prod]
        boxes = np.ceil(np.clip(usage - bal, 0, None) / net).astype(np.int64)
        g_prov = geo.district_province[geo.site_district[g_site]]
        pp = g_prov * N_PROD + g_prod
        request = np.bincount(pp, weights=boxes * self.box[g_prod], minlength=self.n_prov * N_PROD).astype(np.int64)

        for q in np.flatnonzero(request):
            lot = st.pp_lot[q]
            if lot < 0 or st.pp_lot_used[q] + request[q] > st.lot_size[lot] or st.lot_expiry[lot] < t + 30:
                lot = self._open_lot(state, q, t, int(request[q]), rng, tables)
            st.pp_lot_used[q] += request[q]
            prov = q // N_PROD
            moves.append((lot, None, geo.national_store_id, request[q], "receipt", 1))
            moves.append((lot, geo.national_store_id, geo.province_store_id[prov], request[q], "transfer", 2))
        new_lot = st.pp_lot[pp]

        shipped = boxes > 0
        g_dist = geo.site_district[g_site]
        dkey = g_dist[shipped] * (1 << 32) + new_lot[shipped]
        dk, dinv = np.unique(dkey, return_inverse=True)
        dsum = np.bincount(dinv, weights=(boxes * self.box[g_prod])[shipped]).astype(np.int64)
        for k, doses in zip(dk, dsum):
            d, lot = int(k >> 32), int(k & 0xFFFFFFFF)
            moves.append((lot, geo.province_store_id[geo.district_province[d]], geo.district_store_id[d], doses,
                          "transfer", 4))
        for i in np.flatnonzero(shipped):
            d = g_dist[i]
            moves.append((new_lot[i], geo.district_store_id[d], geo.site_ids[g_site[i]], boxes[i] * self.box[g_prod[i]],
                          "transfer", 6))
            waste = boxes[i] * self.box_waste[g_prod[i]]
            if waste:
                moves.append((new_lot[i], geo.site_ids[g_site[i]], None, waste, "wastage", 18))

        # Doses use the shelf's old lot first, then the new boxes.
        rank = np.arange(len(key)) - np.repeat(starts, usage)
        from_old = rank < np.repeat(bal, usage)
        lot_sorted = np.where(from_old, np.repeat(old_lot, usage), np.repeat(new_lot, usage))
        lot_of_dose[order] = lot_sorted
        st.site_balance[g_site, g_prod] = bal + boxes * net - usage
        st.site_lot[g_site, g_prod] = np.where(shipped, new_lot, old_lot)
        self._emit_movements(state, moves, midnight, rng, tables)
        return lot_of_dose

    def _open_lot(self, state, q, t, request, rng, tables) -> int:
        st = state.stock
        prod = q % N_PROD
        size = int(max(self.lot_base[prod], -(-request // self.box[prod]) * self.box[prod]))
        made = t - int(rng.integers(30, 90))
        shelf = 180 if P.PRODUCTS[prod].code in ("AZD", "SPK") else 270
        idx = len(st.lot_size)
        st.lot_product = np.r_[st.lot_product, prod]
        st.lot_province = np.r_[st.lot_province, q // N_PROD]
        st.lot_size = np.r_[st.lot_size, size]
        st.lot_expiry = np.r_[st.lot_expiry, made + shelf]
        st.lot_made = np.r_[st.lot_made, made]
        st.pp_lot[q] = idx
        st.pp_lot_used[q] = 0
        lots = tables.setdefault("_lots", [])
        lots.append(idx)
        return idx

    def _emit_movements(self, state, moves, midnight, rng, tables) -> None:
        st = state.stock
        lots = tables.pop("_lots", [])
        if lots:
            idx = np.array(lots)
            made = day_of(0) + st.lot_made[idx].astype("timedelta64[D]")
            exp = day_of(0) + st.lot_expiry[idx].astype("timedelta64[D]")
            codes = np.array([P.PRODUCTS[p].lot_code_prefix for p in st.lot_product[idx]]).astype("S2")
            tables["vaccine_lot"] = {
                "id": Column("int4", idx + 1),
                "lot_code": Column("text", np.strings.add(codes, people.digits(idx + 1, 6))),
                "product_code": Column("text", np.array([P.CODES[p] for p in st.lot_product[idx]]).astype("S3")),
                "doses": Column("int4", st.lot_size[idx]), "expiry_date": Column("date", exp),
                "manufactured_on": Column("date", made),
                "updated_at": Column("timestamptz", np.full(len(idx), midnight + US_PER_HOUR // 2)),
            }
        if not moves:
            return
        lot, frm, to, doses, kind, hour = zip(*moves)
        n = len(lot)
        moved = midnight + (np.array(hour, float) * US_PER_HOUR).astype(np.int64)
        recorded = moved + rng.integers(0, 2 * US_PER_HOUR, n)
        frm_a = np.array([0 if f is None else f for f in frm], np.int64)
        to_a = np.array([0 if x is None else x for x in to], np.int64)
        tables["stock_movement"] = {
            "id": Column("int8", take_ids(state, "movement", n)),
            "lot_id": Column("int4", np.array(lot, np.int64) + 1),
            "from_facility_id": Column("int4", frm_a, frm_a == 0),
            "to_facility_id": Column("int4", to_a, to_a == 0),
            "doses": Column("int4", np.array(doses, np.int64)),
            "kind": Column("text", np.array(kind).astype("S10")),
            "moved_at": Column("timestamptz", to_ts_us(moved)),
            "recorded_at": Column("timestamptz", to_ts_us(recorded)),
            "updated_at": Column("timestamptz", to_ts_us(recorded)),
        }

    # ---- dose records ----------------------------------------------------------------------------
    def _dose_records(self, state, t, day, doses, site, lot, injected, rng, tables, persons) -> None:
        n = len(site)
        st = state.stock
        perfect = self.cfg.perfect
        recorded, never = self._lag(day, injected, rng, n)
        keep = ~never
        person, product, dose_no = doses["person"][keep], doses["product"][keep], doses["dose_no"][keep]
        first_day, site_k, lot_k = doses["first_day"][keep], site[keep], lot[keep]
        inj, rec = injected[keep].copy(), recorded[keep].copy()
        lot_id = lot_k + 1
        m = len(person)

        upd = rec.copy()  # when the row was written: the platform stamps updated_at itself
        clean = np.ones(m, bool)
        if not perfect and m:
            u = rng.random(m)
            edges = np.cumsum([FAULT_RATES[k] for k in FAULT_RATES if k != "duplicate"])
            fault = np.searchsorted(edges, u, side="right")  # index into the list below, or len(edges)
            names = [k for k in FAULT_RATES if k != "duplicate"]
            f = {name: fault == i for i, name in enumerate(names)}
            first_mid = local_midnight_us(day_of(0)) + first_day * US_PER_DAY + 8 * US_PER_HOUR
            ooo = f["out_of_order"] & (dose_no >= 2)
            inj[ooo] = first_mid[ooo] - rng.integers(1, 30, int(ooo.sum())) * US_PER_DAY
            min_int = P.MIN_INTERVAL[product]
            short = f["short_interval"] & (dose_no == 2) & (min_int > 2) & (P.PRIMARY_DOSES[product] >= 2)
            inj[short] = first_mid[short] + rng.integers(1, np.maximum(min_int[short] - 1, 2)) * US_PER_DAY
            inj[f["future"]] += 365 * US_PER_DAY
            inj[f["before_campaign"]] -= 365 * US_PER_DAY
            rbi = f["recorded_before_injected"]
            rec[rbi] = inj[rbi] - rng.integers(1, 48, int(rbi.sum())) * US_PER_HOUR
            upd[rbi] = np.maximum(upd[rbi], inj[rbi] + rng.integers(1, 8, int(rbi.sum())) * US_PER_HOUR)
            lot_id[f["unknown_lot"]] += 500_000
            expired_lot = f["expired_lot"]
            for i in np.flatnonzero(expired_lot):
                cand = np.flatnonzero((st.lot_product == product[i]) & (st.lot_expiry < t))
                if len(cand):
                    lot_id[i] = cand[-1] + 1
            clean = fault == len(names)
        lot_code = np.strings.add(
            np.array([P.PRODUCTS[p].lot_code_prefix for p in range(N_PROD)]).astype("S2")[product],
            people.digits(lot_id, 6))
        ids = take_ids(state, "dose", m)
        status = np.full(m, b"valid")
        cert = dose_no >= P.PRIMARY_DOSES[product]

        # Duplicates: the same dose entered twice (often at another site); most are voided later.
        if not perfect and m:
            dup = np.flatnonzero((rng.random(m) < FAULT_RATES["duplicate"]) & clean)
            if len(dup):
                d_ids = take_ids(state, "dose", len(dup))
                d_rec = rec[dup] + rng.integers(60_000_000, 72 * US_PER_HOUR, len(dup))
                d_site = np.where(rng.random(len(dup)) < 0.5, site_k[dup],
                                  self.geo.sample_sites(self.geo.site_district[site_k[dup]], rng.random(len(dup))))
                voided = rng.random(len(dup)) < 0.6
                void_at = d_rec + rng.integers(3, 60, len(dup)) * US_PER_DAY
                cleanup = local_midnight_us(RULE_DAY) + rng.integers(0, 22, len(dup)) * US_PER_DAY
                void_at = np.where(d_rec < local_midnight_us(RULE_DAY), np.maximum(cleanup, d_rec + US_PER_HOUR),
                                   void_at)
                tables["pending_void"] = {"dose_id": Column("int8", d_ids[voided]),
                                          "void_at": Column("timestamptz", to_ts_us(void_at[voided]))}
                ids, person, site_k = np.r_[ids, d_ids], np.r_[person, person[dup]], np.r_[site_k, d_site]
                lot_code, product = np.r_[lot_code, lot_code[dup]], np.r_[product, product[dup]]
                dose_no, inj, rec = np.r_[dose_no, dose_no[dup]], np.r_[inj, inj[dup]], np.r_[rec, d_rec]
                upd = np.r_[upd, d_rec]
                status, cert = np.r_[status, status[dup]], np.r_[cert, cert[dup]]

        tables["dose_record"] = {
            "id": Column("int8", ids), "person_id": Column("int8", person),
            "site_id": Column("int4", self.geo.site_ids[site_k]), "lot_code": Column("text", lot_code),
            "product_code": Column("text", np.array(P.CODES).astype("S3")[product]),
            "dose_number": Column("int2", dose_no), "injected_at": Column("timestamptz", to_ts_us(inj)),
            "recorded_at": Column("timestamptz", to_ts_us(rec)), "updated_at": Column("timestamptz", to_ts_us(upd)),
            "status": Column("text", status), "certificate_issued": Column("bool", cert),
        }
        first_id = np.zeros(n, np.int64)
        first_id[np.flatnonzero(keep)] = ids[:m]
        n_first = len(persons["id"])
        self._verifications_and_feedback(state, day, persons, first_id[:n_first], recorded[:n_first], rng, tables)

    def _lag(self, day, injected, rng, n) -> tuple[np.ndarray, np.ndarray]:
        """recorded_at for each dose and which doses are never entered."""
        if self.cfg.perfect:
            return injected + rng.integers(60_000_000, US_PER_HOUR, n), np.zeros(n, bool)
        u = rng.random(n)
        end_of_day = local_midnight_us(day) + US_PER_DAY - 60_000_000
        same_day = np.minimum(injected + rng.integers(5 * 60_000_000, 5 * US_PER_HOUR, n), end_of_day)
        if day >= RULE_DAY:
            days = np.where(u < 0.97, 0, np.where(u < 0.995, 1, rng.integers(2, 8, n)))
            rec = np.where(days == 0, same_day, injected + days * US_PER_DAY + rng.integers(0, 8 * US_PER_HOUR, n))
            return rec, np.zeros(n, bool)
        edges = np.cumsum([0.55, 0.15, 0.10, 0.08, 0.07, 0.04])  # rest (1%) never entered
        cat = np.searchsorted(edges, u, side="right")
        spans = np.array([[0, 0], [1, 1], [2, 3], [4, 7], [8, 30], [0, 0], [0, 0]])
        days = rng.integers(spans[cat, 0], spans[cat, 1] + 1)
        rec = np.where(cat == 0, same_day, injected + days * US_PER_DAY + rng.integers(0, 8 * US_PER_HOUR, n))
        catchup_lo = max(local_midnight_us(RULE_DAY), local_midnight_us(day) + US_PER_DAY)
        catchup = catchup_lo + rng.integers(0, max(local_midnight_us(CLEANUP_END) - catchup_lo, US_PER_DAY), n)
        rec = np.where(cat == 5, catchup, rec)
        if day < PLATFORM_LIVE:  # the platform went live mid-2021; half of earlier doses were back-filled
            backfill = local_midnight_us(PLATFORM_LIVE) + rng.integers(0, 60 * US_PER_DAY, n)
            rec = np.where(rng.random(n) < 0.5, np.maximum(rec, backfill), rec)
        return rec, cat == 6

    def _verifications_and_feedback(self, state, day, persons, first_id, first_rec_at, rng, tables) -> None:
        ids, cid_state = persons["id"], persons["cid_state"]
        n = len(ids)
        if n == 0:
            return
        start, end = np.datetime64("2021-10-15"), np.datetime64("2021-11-15")
        u = rng.random(n)
        if day < start:
            base = local_midnight_us(start)
            span = np.where(u < 0.9, (end - start).astype(int), 136)
            offset = np.where(u < 0.9, 0, (end - start).astype(int) + 1)
            when = base + (offset + rng.integers(0, 10**6, n) % span) * US_PER_DAY
            checked = u < 0.96
        else:
            when = local_midnight_us(day) + rng.integers(1, 21, n) * US_PER_DAY
            checked = u < 0.95
        when = when + rng.integers(8 * US_PER_HOUR, 17 * US_PER_HOUR, n)
        v = rng.random(n)
        by_chance = np.where(v < 0.93, 0, np.where(v < 0.98, 1, 2))  # verified, mismatch, not found
        outcome = np.where(cid_state == 0, 3, np.where(cid_state == 2, 2, by_chance))
        fields_pool = np.array([b"full_name", b"birth_date", b"full_name,birth_date", b"sex", b"citizen_id"])
        fields = np.where(outcome == 1, fields_pool[rng.integers(0, len(fields_pool), n)], b"")
        recheck = checked & (outcome == 1)
        sel = np.flatnonzero(checked)
        re = np.flatnonzero(recheck)
        p_ids = np.r_[ids[sel], ids[re]]
        when_all = np.r_[when[sel], when[re] + rng.integers(7, 40, len(re)) * US_PER_DAY]
        out_all = np.r_[outcome[sel], np.zeros(len(re), np.int64)]
        fields_all = np.r_[fields[sel], np.full(len(re), b"")]
        names = np.array([b"verified", b"mismatch", b"not_found", b"missing_id"])
        v_ids = take_ids(state, "verification", len(p_ids))
        tables["pending_verification"] = {
            "id": Column("int8", v_ids), "person_id": Column("int8", p_ids),
            "checked_at": Column("timestamptz", to_ts_us(when_all)), "outcome": Column("text", names[out_all]),
            "mismatched_fields": Column("text", fields_all.astype("S32")),
        }

        fb = np.flatnonzero(rng.random(n) < 0.008)
        k = len(fb)
        if k == 0:
            return
        received = local_midnight_us(day) + rng.integers(3, 90, k) * US_PER_DAY + rng.integers(0, US_PER_DAY, k)
        deadline = local_midnight_us(np.datetime64("2021-10-25"))
        w = rng.random(k)
        before_deadline = received + (rng.random(k) * np.maximum(deadline - received, US_PER_HOUR)).astype(np.int64)
        resolve_by = np.where(received < deadline,
                              np.where(w < 0.85, before_deadline, received + rng.integers(1, 40, k) * US_PER_DAY),
                              received + rng.integers(1, 30, k) * US_PER_DAY + rng.integers(0, US_PER_DAY, k))
        status = np.where(w > 0.96, b"open", np.where(w > 0.93, b"rejected", b"resolved"))
        categories = np.array([b"missing_dose", b"wrong_information", b"certificate", b"duplicate", b"other"])
        # the feedback names the person's first dose when that dose is on the platform by then
        dose_id = np.where((first_id[fb] > 0) & (first_rec_at[fb] <= received), first_id[fb], 0)
        tables["pending_feedback"] = {
            "id": Column("int8", take_ids(state, "feedback", k)), "person_id": Column("int8", ids[fb]),
            "dose_record_id": Column("int8", dose_id, dose_id == 0),
            "category": Column("text", categories[rng.integers(0, len(categories), k)]),
            "received_at": Column("timestamptz", to_ts_us(received)),
            "resolved_at": Column("timestamptz", to_ts_us(resolve_by), status == b"open"),
            "status": Column("text", status),
        }

    # ---- hand reports and tests -------------------------------------------------------------------
    def _hand_reports(self, day, midnight, district, tables) -> None:
        counts = np.bincount(self.geo.district_province[district], minlength=self.n_prov)
        at = np.full(self.n_prov, midnight + 20 * US_PER_HOUR)
        tables["province_daily_report"] = {
            "province_code": Column("text", self.geo.province_code.astype("S2")),
            "report_date": Column("date", np.full(self.n_prov, day)), "doses_reported": Column("int4", counts),
            "reported_at": Column("timestamptz", to_ts_us(at)), "updated_at": Column("timestamptz", to_ts_us(at)),
        }

    def _tests(self, state, t, day, midnight, rng, tables) -> None:
        d = float((day - np.datetime64("2021-01-01")).astype(int))
        wave4 = np.exp(-0.5 * ((d - 226) / 30) ** 2)      # peak mid-August 2021
        north = np.exp(-0.5 * ((d - 350) / 25) ** 2)       # December 2021
        omicron = np.exp(-0.5 * ((d - 433) / 25) ** 2)     # March 2022
        weight = self.prov_pop_share * (1 + 8 * wave4 * self.south + 3 * north * ~self.south + 4 * omicron)
        national = 15_000 + 250_000 * wave4 + 60_000 * north + 150_000 * omicron
        if day > np.datetime64("2022-06-01"):
            national = 8_000
        n = int(stochastic_round(rng, national * self.cfg.scale))
        if n == 0:
            return
        prov = rng.choice(self.n_prov, n, p=weight / weight.sum())
        district = self.districts.sample(prov, rng.random(n))
        site = self.geo.site_ids[self.geo.sample_sites(district, rng.random(n))]
        lab = self.lab_flat[self.lab_start[prov] + rng.integers(0, 1 << 30, n) % self.lab_count[prov]]
        rapid = rng.random(n) < (0.15 + 0.45 * omicron)
        pooled = np.where(~rapid & (rng.random(n) < 0.3 + 0.4 * wave4), np.where(rng.random(n) < 0.5, 5, 10), 1)
        positivity = 0.002 + 0.10 * wave4 * self.south[prov] + 0.04 * north + 0.25 * omicron
        p_pos = 1 - (1 - positivity) ** pooled
        r = rng.random(n)
        result = np.where(r < 0.005, b"invalid", np.where(r < 0.005 + p_pos, b"positive", b"negative"))
        collected = midnight + rng.integers(6 * US_PER_HOUR, 20 * US_PER_HOUR, n)
        pcr_hours = rng.gamma(2.0, 6.0 + 24 * wave4 * self.south[prov], n)
        pcr = (pcr_hours * US_PER_HOUR).astype(np.int64) + US_PER_HOUR
        tat = np.where(rapid, rng.integers(15, 40, n) * 60_000_000, pcr)
        resulted = collected + tat
        ids = take_ids(state, "sample", n)
        tables["test_sample"] = {
            "id": Column("int8", ids), "site_id": Column("int4", site), "lab_id": Column("int4", lab),
            "method": Column("text", np.where(rapid, b"rapid_antigen", b"rt_pcr")),
            "pooled_count": Column("int2", pooled), "collected_at": Column("timestamptz", to_ts_us(collected)),
            "resulted_at": Column("timestamptz", to_ts_us(resulted)), "result": Column("text", result),
            "updated_at": Column("timestamptz", to_ts_us(resulted)),
        }


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


def to_ts_us(us: np.ndarray) -> np.ndarray:
    return np.asarray(us, np.int64).astype("datetime64[us]")
