"""The supply page's measures: stock on hand by level, days of supply, doses near expiry, utilisation, wastage
against the allowed rate, allocation vs delivered vs administered, stock-outs and a lot's journey.

Pure functions of the reads' frames (dashboard/reads/supply.py); the formulas are the catalogue's
(dashboard/metrics.py: supply_*). Every share is a ratio of sums, never a mean of shares.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

LEVELS = ("national", "province", "district", "site")
WASTED = ("wasted_expiry", "wasted_open_vial", "wasted_breakage", "wasted_cold_chain")
DAYS_OF_USE = 7  # days of supply: on hand / the average daily doses given over this many days
STOCKOUT_USED = 14  # a facility is at stock-out of a product it used within this many days


def ratio(num: float, den: float) -> float | None:
    return None if not den else num / den


def days_of_supply(on_hand: float, administered_7d: float) -> float | None:
    """On hand / average daily doses given over the last 7 days; None when nothing was given (no pace to
    divide by: shown as a dash, not as infinity)."""
    return None if administered_7d <= 0 else on_hand / (administered_7d / DAYS_OF_USE)


def wastage_rate(wasted: float, administered: float) -> float | None:
    """Wasted / (given + wasted): the share of the doses used up that reached nobody (WHO)."""
    return ratio(wasted, wasted + administered)


def with_wasted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(wasted=frame[list(WASTED)].sum(axis=1))


def totals(stock: pd.DataFrame) -> dict:
    """The area's figures from supply_stock rows (level x product): on hand, near expiry, the pace, delivered
    (received - issued over all its facilities: what came in from outside), given, wasted, and the ratios."""
    s = with_wasted(stock)
    sums = {
        c: int(s[c].sum())
        for c in (
            "on_hand",
            "expiring_30",
            "expiring_60",
            "expired",
            "administered_7d",
            "received",
            "issued",
            "administered",
            "wasted",
            "adjusted",
            *WASTED,
        )
    }
    sums["delivered"] = sums["received"] - sums["issued"]
    sums["days_of_supply"] = days_of_supply(sums["on_hand"], sums["administered_7d"])
    sums["utilisation"] = ratio(sums["administered"], sums["delivered"])
    sums["wastage_rate"] = wastage_rate(sums["wasted"], sums["administered"])
    return sums


def period(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Per store level and product, a period's stock from supply_stock rows at its eve (`before`) and at its
    end (`after`): the opening and closing on hand, the flows between (cumulative sums subtract: the marts
    are additive), the end's near-expiry doses and days of supply, and the period's wastage rate."""
    keys, flows = ["level", "product_code"], ["received", "issued", "administered", "wasted", "adjusted"]
    a, b = with_wasted(after).set_index(keys), with_wasted(before).set_index(keys)
    b = b.reindex(a.index.union(b.index)).fillna(0)
    a = a.reindex(b.index).fillna(0)
    out = (a[flows] - b[flows]).astype("int64")
    out.insert(0, "opening", b["on_hand"].astype("int64"))
    out["closing"] = a["on_hand"].astype("int64")
    out["expiring_30"] = a["expiring_30"].astype("int64")
    out["days_of_supply"] = [days_of_supply(o, n) for o, n in zip(a["on_hand"], a["administered_7d"], strict=True)]
    out["wastage_rate"] = [wastage_rate(w, n) for w, n in zip(out["wasted"], out["administered"], strict=True)]
    order = {lv: i for i, lv in enumerate(LEVELS)}
    out = out.reset_index()
    return out.sort_values(["level", "product_code"], key=lambda c: c.map(order) if c.name == "level" else c,
                           ignore_index=True)


def by_level(stock: pd.DataFrame) -> pd.DataFrame:
    """One row per store level present (national, province, district, site, in that order): on hand, near
    expiry, the last 7 days' doses given and the days of supply."""
    cols = ["on_hand", "expiring_30", "expiring_60", "expired", "administered_7d"]
    rows = stock.groupby("level")[cols].sum().reindex([lv for lv in LEVELS if lv in set(stock["level"])])
    rows["days_of_supply"] = [
        days_of_supply(o, a) for o, a in zip(rows["on_hand"], rows["administered_7d"], strict=True)
    ]
    return rows.reset_index()


def wastage_by_product(stock: pd.DataFrame, allowance: pd.DataFrame) -> pd.DataFrame:
    """Per product used in the area: given, wasted by reason, the wastage rate, the allowed rate and whether
    the rate is above it."""
    s = with_wasted(stock).groupby("product_code")[["administered", "wasted", *WASTED]].sum()
    s = s[(s["administered"] + s["wasted"]) > 0]
    out = s.join(allowance.set_index("product_code")[["name", "allowed_rate"]], how="left").reset_index()
    out["rate"] = [wastage_rate(w, a) for w, a in zip(out["wasted"], out["administered"], strict=True)]
    out["above"] = [
        r is not None and pd.notna(a) and r > a for r, a in zip(out["rate"], out["allowed_rate"], strict=True)
    ]
    return out


def on_hand_series(trend: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Stock on hand at the end of every day from start to end, one column per level (running sums of the
    daily net flows, which begin before `start`)."""
    days = pd.date_range(start, end).date
    if trend.empty:
        return pd.DataFrame({"day": days})
    wide = trend.pivot_table(index="day", columns="level", values="net", aggfunc="sum", fill_value=0).sort_index()
    wide = wide.cumsum()
    wide = wide.reindex(sorted(set(wide.index) | set(days))).ffill().fillna(0).loc[list(days)]
    wide = wide[[lv for lv in LEVELS if lv in wide.columns]].astype("int64")
    return wide.rename_axis(None, axis=1).reset_index(names="day")


def weekly_flows(trend: pd.DataFrame, start: date) -> pd.DataFrame:
    """Doses delivered into the area, given and wasted per week (Monday starts) from `start`."""
    from dashboard.measures.weeks import week_starts

    t = trend[trend["day"] >= start]
    cols = ["delivered", "administered", "wasted"]
    if t.empty:
        return pd.DataFrame(columns=["week", *cols])
    # delivered counts at every level where it is received - issued: the sum over levels is the area's intake
    return t.assign(week=week_starts(t["day"])).groupby("week", as_index=False)[cols].sum()


def by_area(rows: pd.DataFrame, names: dict) -> pd.DataFrame:
    """The sub-areas with their days of supply and utilisation, the fewest days of supply first."""
    out = rows.copy()
    out["name"] = out["area"].map(names).fillna(out["area"])
    out["days_of_supply"] = [days_of_supply(o, a) for o, a in zip(out["on_hand"], out["administered_7d"], strict=True)]
    out["utilisation"] = [ratio(a, d) for a, d in zip(out["administered"], out["delivered"], strict=True)]
    out["wastage_rate"] = [wastage_rate(w, a) for w, a in zip(out["wasted"], out["administered"], strict=True)]
    return out.sort_values(["days_of_supply", "area"], na_position="last", ignore_index=True)


def allocation_ranked(alloc: pd.DataFrame, names: dict) -> pd.DataFrame:
    """Per province: allocated, delivered, given, delivered / allocated and given / delivered; ranked by the
    share of what they got that they used (the lowest first: who got vaccine and did not use it)."""
    cols = ["allocated", "delivered", "administered"]
    p = alloc.groupby("province", as_index=False)[cols].sum()
    p["name"] = p["province"].map(names).fillna(p["province"])
    p["delivered_share"] = [ratio(d, a) for d, a in zip(p["delivered"], p["allocated"], strict=True)]
    p["used_share"] = [ratio(a, d) for a, d in zip(p["administered"], p["delivered"], strict=True)]
    p["unused"] = p["delivered"] - p["administered"]
    return p.sort_values(["used_share", "province"], na_position="last", ignore_index=True)


def journey(rows: pd.DataFrame) -> dict:
    """A lot's journey through the area's levels, and whether it adds up: no facility ever below zero, and
    no more doses given, wasted and on hand than the lot holds."""
    if rows.empty:
        return {"levels": rows, "adds_up": True, "problems": []}
    r = with_wasted(rows).set_index("level").reindex([lv for lv in LEVELS if lv in set(rows["level"])])
    delivered = int((r["received"] - r["issued"]).sum())
    used = int(r["administered"].sum() + r["wasted"].sum())
    on_hand = int(r["on_hand"].sum())
    lot_doses = int(rows["lot_doses"].iloc[0])
    problems = []
    if int(r["short_facilities"].sum()):
        problems.append(("short", int(r["short_facilities"].sum())))
    if used + on_hand > lot_doses:
        problems.append(("beyond_lot", used + on_hand - lot_doses))
    # delivered - used + adjusted = on hand holds by construction of the marts; it is shown, not tested here
    return {
        "levels": r.reset_index(),
        "delivered": delivered,
        "used": used,
        "on_hand": on_hand,
        "lot_doses": lot_doses,
        "adjusted": int(r["adjusted"].sum()),
        "adds_up": not problems,
        "problems": problems,
    }


def stockouts_by_level(out: pd.DataFrame) -> dict[str, int]:
    """All the area's stock-outs by level, in LEVELS order and without the empty levels: the query's counts
    over every one of them (each row carries them), not the longest few it returns."""
    if out.empty:
        return {}
    counts = {lv: int(out[f"stockouts_{lv}"].iloc[0]) for lv in LEVELS}
    return {lv: n for lv, n in counts.items() if n}
