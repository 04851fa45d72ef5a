"""Assemble the province report pack's tables through the pages' reads and measures, with the caller's scope.

Every read is a page's (dashboard/reads/*, `dx.query(name, params, scope)` underneath): the scope is bound
server-side as :scope_province, so even a bug here cannot read another province's rows for a province user; the
figures are the pages' measures (dashboard/measures/*), so the pack says what the pages say. `check_request`
refuses a province user asking for another province (or the whole country) before anything is read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pandas as pd

from common.vocabulary import MILESTONE_ID, VN_TZ
from dashboard.data import DataAccess, Scope
from dashboard.i18n import lag_label
from dashboard.measures import coverage as C
from dashboard.measures import lag as LAG
from dashboard.measures import supply as SUP
from dashboard.measures import testing as TST
from dashboard.measures import verification as V
from dashboard.measures.weeks import week_starts
from dashboard.reads import coverage as RC
from dashboard.reads import lag as RL
from dashboard.reads import supply as RS
from dashboard.reads import testing as RT
from dashboard.reads import verification as RV
from dashboard.report.model import Column, Fact, Report, Table
from dashboard.report.texts import rt

Progress = Callable[[int, int], None]
ASSEMBLY_STEPS = 7  # meta, targets, areas, lag, verification, stock, testing


class ReportScopeError(PermissionError):
    """The user's scope does not cover the area asked for; nothing was read or written."""


def check_request(scope: Scope, province: str | None, date_from: date, date_to: date) -> None:
    """Refuse what the scope does not allow, and nonsense periods, before any query runs."""
    if scope.province is not None and province != scope.province:
        asked = f"province {province}" if province else "the whole country"
        raise ReportScopeError(f"scope of province {scope.province} cannot export {asked}")
    if province is not None and not (len(province) == 2 and province.isdigit()):
        raise ValueError(f"province must be a 2-digit GSO code, got {province!r}")
    if date_from > date_to:
        raise ValueError(f"date_from {date_from} is after date_to {date_to}")


def _vn_naive(moment) -> datetime | None:
    """A timestamp as Vietnam wall-clock time without tzinfo (Excel cannot store time zones)."""
    if moment is None or pd.isna(moment):
        return None
    moment = pd.Timestamp(moment)
    if moment.tzinfo is None:
        moment = moment.tz_localize("UTC")
    return moment.tz_convert(VN_TZ).to_pydatetime().replace(tzinfo=None)


def _between(frame: pd.DataFrame, column: str, date_from: date, date_to: date) -> pd.DataFrame:
    return frame[(frame[column] >= date_from) & (frame[column] <= date_to)]


def assemble(dx: DataAccess, scope: Scope, province: str | None, date_from: date, date_to: date, lang: str = "vi",
             progress: Progress | None = None) -> Report:
    """The report's facts and tables. `progress(step, ASSEMBLY_STEPS)` is called after each part."""
    check_request(scope, province, date_from, date_to)
    tick = progress or (lambda step, total: None)

    # ---- meta: names, data version, the day the targets are measured at
    areas = RC.areas(dx, scope)
    provinces = areas[areas["level"] == "province"]
    if province is not None and province not in set(provinces["area"]):
        raise ValueError(f"unknown province code {province!r}")
    fresh = dx.query("freshness", {}, scope).iloc[0]
    last_day = fresh["last_day"] if fresh["last_day"] is not None and not pd.isna(fresh["last_day"]) else None
    as_of = min(date_to, last_day) if last_day else date_to
    area_name = (provinces.loc[provinces["area"] == province, "name_with_type"].iloc[0] if province
                 else rt("nation", lang))
    report = Report(lang=lang, province=province, area_name=area_name, date_from=date_from, date_to=date_to,
                    as_of=as_of, data_version=int(fresh["version"] or 0),
                    exported_at=datetime.now(VN_TZ).replace(tzinfo=None, microsecond=0))
    report.facts += [
        Fact(rt("report", lang), rt("title", lang)),
        Fact(rt("area", lang), area_name),
        Fact(rt("period", lang) + (" — từ" if lang != "en" else " — from"), date_from, "date"),
        Fact(rt("period", lang) + (" — đến" if lang != "en" else " — to"), date_to, "date"),
        Fact(rt("data_until", lang), last_day, "date"),
        Fact(rt("as_of_note", lang), as_of, "date"),
        Fact(rt("data_version", lang), report.data_version, "int"),
        Fact(rt("published_at", lang), _vn_naive(fresh["published_at"]), "datetime"),
        Fact(rt("exported_at", lang), report.exported_at, "datetime"),
    ]
    tick(1, ASSEMBLY_STEPS)

    people = RV.daily_people(dx, scope, province, None)
    report.tables.append(_targets(dx, scope, province, people, as_of, lang))
    tick(2, ASSEMBLY_STEPS)
    report.tables.append(_areas(dx, scope, province, areas, date_from, date_to, as_of, lang))
    tick(3, ASSEMBLY_STEPS)
    lag_table, lag_facts = _lag(dx, scope, province, date_from, date_to, lang)
    report.tables.append(lag_table)
    report.figures += lag_facts
    tick(4, ASSEMBLY_STEPS)
    report.tables += _verification(dx, scope, province, people, date_from, as_of, lang)
    tick(5, ASSEMBLY_STEPS)
    report.tables.append(_stock(dx, scope, province, date_from, date_to, lang))
    tick(6, ASSEMBLY_STEPS)
    report.tables += _testing(dx, scope, province, areas, date_from, as_of, lang)
    tick(7, ASSEMBLY_STEPS)
    return report


def _targets(dx: DataAccess, scope: Scope, province: str | None, people: pd.DataFrame, as_of: date,
             lang: str) -> Table:
    """National targets and the province's own, measured on the area as the overview and coverage pages do."""
    views = C.target_views(RC.targets(dx, scope, province), people,
                           RC.area_population(dx, scope, "province" if province else "nation", province or ""), as_of)
    rows = []
    for target, st, _cum, population in views.values():
        rows.append({"target": target["label_en"] if lang == "en" else target["label_vi"],
                     "threshold": float(target["threshold"]), "deadline": target["deadline"],
                     "population": population, "people": st.people, "coverage": st.coverage, "gap": st.gap_people,
                     "rate_needed": round(st.rate_needed) if st.rate_needed is not None else None,
                     "pace": round(st.pace), "expected": st.expected, "status": rt(f"status_{st.status}", lang),
                     "status_code": st.status})
    columns = (Column("target", rt("c_target", lang)), Column("threshold", rt("c_threshold", lang), "pct"),
               Column("deadline", rt("c_deadline", lang), "date"),
               Column("population", rt("c_population", lang), "int"),
               Column("people", rt("c_people", lang), "int"), Column("coverage", rt("c_coverage", lang), "pct"),
               Column("gap", rt("c_gap", lang), "int"), Column("rate_needed", rt("c_rate_needed", lang), "int"),
               Column("pace", rt("c_pace", lang), "int"), Column("expected", rt("c_expected", lang), "date"),
               Column("status", rt("c_status", lang)))
    frame = pd.DataFrame(rows, columns=[c.key for c in columns] + ["status_code"])
    return Table("targets", rt("t_summary", lang), rt("h_targets", lang), columns, frame)


def _areas(dx: DataAccess, scope: Scope, province: str | None, areas: pd.DataFrame, date_from: date,
           date_to: date, as_of: date, lang: str) -> Table:
    """One row per district of the province (per province of the country), and a row for the whole area."""
    level = "district" if province else "province"
    subs = areas[areas["level"] == level]
    if province:
        subs = subs[subs["province"] == province]
    people = RC.sub_area_people(dx, scope, province, as_of)
    names = dict(zip(subs["area"], subs["name"]))
    pop = RC.sub_area_population(dx, scope, province, areas)
    pop = pop[pop["area"].isin(names)]
    no_filter = {"product": None, "dose_number": None}
    doses = C.doses_between(RC.sub_area_doses(dx, scope, province, date_to, no_filter),
                            RC.sub_area_doses(dx, scope, province, date_from - timedelta(days=1), no_filter))
    lag = RL.lag_by_area(dx, scope, province, date_from, date_to)
    checked = RV.checked_by_area(dx, scope, province, as_of).groupby("area")["people"].sum()

    def reached(milestone: str, group: str) -> pd.Series:
        rows = C.in_group(people[people["milestone"] == MILESTONE_ID[milestone]], group)
        return rows.groupby("area")["people"].sum()

    frame = pd.DataFrame(index=pd.Index(sorted(names), name="area"))
    frame["name"] = [names[a] for a in frame.index]
    frame["population"] = C.population_of(pop, "total")
    frame["population_18"] = C.population_of(pop, "18+")
    for key, (milestone, group) in {"first_18": ("first", "18+"), "full_18": ("full", "18+"),
                                    "full_total": ("full", "total"), "vaccinated": ("first", "total")}.items():
        frame[f"n_{key}"] = reached(milestone, group)
    frame["doses_period"] = doses
    frame["checked"] = checked
    count_cols = ["population", "population_18", "n_first_18", "n_full_18", "n_full_total", "n_vaccinated",
                  "doses_period", "checked"]
    frame[count_cols] = frame[count_cols].fillna(0).astype("int64")
    hist = lag.pivot_table(index="area", columns="bucket", values="doses", aggfunc="sum", fill_value=0)
    frame["within_1"] = [LAG.lag_summary(hist.loc[a]) ["within_1"] if a in hist.index else None for a in frame.index]
    total = frame[count_cols].sum()
    total_row = {"name": rt("total_row", lang), **total.to_dict(),
                 "within_1": LAG.lag_summary(hist.sum()) ["within_1"] if len(hist) else None}
    frame = pd.concat([frame.reset_index(), pd.DataFrame([{"area": province or "VN", **total_row}])],
                      ignore_index=True)

    def share(num: str, den: str) -> pd.Series:
        return (frame[num] / frame[den]).where(frame[den] > 0)

    frame["first_18"] = share("n_first_18", "population_18")
    frame["full_18"] = share("n_full_18", "population_18")
    frame["full_total"] = share("n_full_total", "population")
    frame["checked_share"] = share("checked", "n_vaccinated")
    frame = frame.rename(columns={"n_vaccinated": "vaccinated"})
    frame["within_1"] = frame["within_1"].astype("float64")
    area_label = rt("district" if province else "province", lang)
    columns = (Column("area", rt("c_code", lang)), Column("name", area_label),
               Column("population", rt("c_population_total", lang), "int"),
               Column("population_18", rt("c_population_18", lang), "int"),
               Column("first_18", rt("c_first_18", lang), "pct"), Column("full_18", rt("c_full_18", lang), "pct"),
               Column("full_total", rt("c_full_total", lang), "pct"),
               Column("doses_period", rt("c_doses_period", lang), "int"),
               Column("within_1", rt("c_within_1", lang), "pct"),
               Column("vaccinated", rt("c_vaccinated", lang), "int"), Column("checked", rt("c_checked", lang), "int"),
               Column("checked_share", rt("c_checked_share", lang), "pct"))
    title = rt("t_areas_district" if province else "t_areas_province", lang)
    return Table("areas", title, rt("h_areas", lang), columns, frame)


def _lag(dx: DataAccess, scope: Scope, province: str | None, date_from: date, date_to: date,
         lang: str) -> tuple[Table, list[Fact]]:
    daily = _between(RL.lag_daily(dx, scope, "province" if province else "nation", province, province), "day",
                     date_from, date_to)
    weekly = LAG.weekly_lag(daily)
    # A day without a hand report has no denominator: leave its platform doses out of completeness too.
    rep = _between(RL.hand_reports(dx, scope, province), "day", date_from, date_to)
    rep = rep[rep["reported_doses"].notna()]
    by_week = LAG.completeness(rep, date_from, date_to)[0].set_index("week")[["platform_doses", "reported_doses"]]
    frame = weekly.set_index("week") if len(weekly) else pd.DataFrame(columns=list(LAG.WEEK_COLUMNS[1:]))
    frame["violations"] = LAG.weekly_violations(daily)
    frame = frame.join(by_week, how="left")
    frame[["violations", "platform_doses", "reported_doses"]] = \
        frame[["violations", "platform_doses", "reported_doses"]].fillna(0).astype("int64")
    frame["completeness"] = (frame["platform_doses"] / frame["reported_doses"]).where(frame["reported_doses"] > 0)
    frame = frame.rename_axis("week").reset_index()
    columns = (Column("week", rt("c_week", lang), "date"), Column("doses", rt("c_doses", lang), "int"),
               Column("same_day", rt("c_same_day", lang), "pct"), Column("within_1", rt("c_within_1w", lang), "pct"),
               Column("within_3", rt("c_within_3", lang), "pct"), Column("within_7", rt("c_within_7", lang), "pct"),
               Column("late", rt("c_late", lang), "int"), Column("violations", rt("c_violations", lang), "int"),
               Column("platform_doses", rt("c_platform", lang), "int"),
               Column("reported_doses", rt("c_reported", lang), "int"),
               Column("completeness", rt("c_completeness", lang), "pct"))
    summary = LAG.lag_summary(daily.groupby("bucket")["doses"].sum())
    reported = int(rep["reported_doses"].sum())
    facts = [Fact(rt("doses_period", lang), summary["doses"], "int"),
             Fact(rt("same_day_period", lang), summary["same_day"], "pct"),
             Fact(rt("within_1_period", lang), summary["within_1"], "pct"),
             Fact(rt("median_lag", lang), lag_label(summary["median"], lang)),
             Fact(rt("p90_lag", lang), lag_label(summary["p90"], lang)),
             Fact(rt("violations_period", lang), LAG.rule_violations(daily)["violations"], "int"),
             Fact(rt("completeness_period", lang), int(rep["platform_doses"].sum()) / reported if reported else None,
                  "pct")]
    return Table("lag", rt("t_lag", lang), rt("h_lag", lang), columns, frame), facts


def _verification(dx: DataAccess, scope: Scope, province: str | None, people: pd.DataFrame, date_from: date,
                  as_of: date, lang: str) -> list[Table]:
    checks = RV.checks(dx, scope, province, None)
    vaccinated = C.cumulative_people(people, "first", "total", as_of)
    prog = V.verification_progress(checks, vaccinated, as_of)
    now = prog.iloc[-1]
    first_in_period = int(_between(checks, "day", date_from, as_of)["first_checks"].sum())
    fb = RV.feedback(dx, scope, province, None)
    fs = V.feedback_status(fb, as_of)
    received_period = int(_between(fb, "received_day", date_from, as_of)["items"].sum())

    def ratio(num, den):
        return float(num) / float(den) if den else None

    g_v, g_f = rt("g_verification", lang), rt("g_feedback", lang)
    rows = [("vaccinated", g_v, rt("v_vaccinated", lang), now["vaccinated"], None),
            ("checked", g_v, rt("v_checked", lang), now["checked"], ratio(now["checked"], now["vaccinated"])),
            *[(o, g_v, rt(f"outcome_{o}", lang), now[o], ratio(now[o], now["checked"])) for o in V.OUTCOMES],
            ("checked_period", g_v, rt("v_checked_period", lang), first_in_period, None),
            ("backlog", g_v, rt("v_backlog", lang), now["backlog"], ratio(now["backlog"], now["vaccinated"])),
            ("fb_received", g_f, rt("v_received", lang), fs["received"], None),
            ("fb_received_period", g_f, rt("v_received_period", lang), received_period, None),
            ("fb_closed", g_f, rt("v_closed", lang), fs["closed"], ratio(fs["closed"], fs["received"])),
            ("fb_open", g_f, rt("v_open", lang), fs["open"], ratio(fs["open"], fs["received"])),
            ("fb_overdue", g_f, rt("v_overdue", lang), fs["overdue"], ratio(fs["overdue"], fs["open"]))]
    frame = pd.DataFrame(rows, columns=["indicator_code", "group", "indicator", "count", "share"])
    frame["count"] = frame["count"].astype("int64")
    frame["share"] = frame["share"].astype("float64")
    columns = (Column("group", rt("c_group", lang)), Column("indicator", rt("c_indicator", lang)),
               Column("count", rt("c_count", lang), "int"), Column("share", rt("c_share", lang), "pct"))
    summary = Table("verification", rt("t_verification", lang), rt("h_verification", lang), columns, frame)

    # The progress at each week's last day inside the period (its Sunday, or the period's last day).
    shown = prog[(prog["day"] >= date_from)]
    shown = shown.groupby(week_starts(shown["day"])).tail(1)
    shown = shown[["day", "vaccinated", "checked", "share_checked", "backlog"]].reset_index(drop=True)
    shown["share_checked"] = shown["share_checked"].astype("float64")
    weekly_cols = (Column("day", rt("c_day", lang), "date"), Column("vaccinated", rt("c_vaccinated", lang), "int"),
                   Column("checked", rt("c_checked", lang), "int"),
                   Column("share_checked", rt("c_checked_share", lang), "pct"),
                   Column("backlog", rt("c_backlog", lang), "int"))
    weekly = Table("verification_weekly", rt("t_verification_weekly", lang), rt("chart_verification", lang),
                   weekly_cols, shown)
    return [summary, weekly]


def _stock(dx: DataAccess, scope: Scope, province: str | None, date_from: date, date_to: date, lang: str) -> Table:
    """The supply page's stock by level and product (reads.supply.stock, measures.supply.period) over the period."""
    where = RS.Where(province, None, None)
    frame = SUP.period(RS.stock(dx, scope, where, date_from - timedelta(days=1)), RS.stock(dx, scope, where, date_to))
    frame["level_name"] = [rt(f"level_{v}", lang) for v in frame["level"]]
    names = RS.allowance(dx, scope).set_index("product_code")["name"]
    frame["product_name"] = frame["product_code"].map(names)
    frame["days_of_supply"] = frame["days_of_supply"].round()
    counts = ["opening", "received", "issued", "administered", "wasted", "adjusted", "closing"]
    columns = (Column("level_name", rt("c_level", lang)), Column("product_code", rt("c_product_code", lang)),
               Column("product_name", rt("c_product", lang)),
               *[Column(c, rt(f"c_{c}", lang), "int") for c in counts],
               Column("expiring_30", rt("c_expiring_30", lang), "int"),
               Column("days_of_supply", rt("c_days_of_supply", lang), "int"),
               Column("wastage_rate", rt("c_wastage_rate", lang), "pct"))
    return Table("stock", rt("t_stock", lang), rt("h_stock", lang), columns, frame)


def _testing(dx: DataAccess, scope: Scope, province: str | None, areas: pd.DataFrame, date_from: date, as_of: date,
             lang: str) -> list[Table]:
    """The testing page's reads and measures over the period (samples collected from date_from to as_of): the
    sub-areas ranked by positivity with a whole-area row, the laboratories' turnaround and their backlog at
    the period's end, and positivity by week."""
    where, days = RT.Where(province, None, None), (as_of - date_from).days + 1
    names = dict(zip(areas["area"], areas["name_with_type"]))
    districts = RT.districts(dx, scope, where, as_of, days)
    level = "province" if province else "nation"
    whole = TST.sub_areas(districts.assign(province="", district=""), level, {"": rt("total_row", lang)})
    whole["area"] = None  # the whole area's row has no code
    by_area = pd.concat([TST.sub_areas(districts, level, names), whole], ignore_index=True)
    counts = ["samples", "people_tested", "valid", "positives"]
    area_cols = (Column("area", rt("c_code", lang)), Column("name", rt("c_area_name", lang)),
                 *[Column(c, rt(f"c_{c}", lang), "int") for c in counts],
                 Column("per_1000", rt("c_samples_per_1000", lang), "dec"),
                 Column("positivity", rt("c_positivity", lang), "pct"),
                 Column("person_positivity", rt("c_person_positivity", lang), "pct"))
    tables = [Table("testing", rt("t_testing", lang), rt("h_testing", lang), area_cols,
                    by_area.astype({c: "int64" for c in counts}))]

    labs = TST.lab_ranking(RT.named(RT.turnaround(dx, scope, where, as_of, days), lang))
    backlog = TST.backlog_by_lab(RT.backlog(dx, scope, where, as_of))
    labs = labs.merge(backlog[["lab_id", "samples", "3-6", "7+"]].rename(columns={"samples": "backlog"}),
                      on="lab_id", how="left").fillna({"backlog": 0, "3-6": 0, "7+": 0})
    labs["backlog_old"] = labs["3-6"] + labs["7+"]
    lab_cols = (Column("name", rt("c_lab", lang)), Column("samples", rt("c_samples", lang), "int"),
                Column("resulted", rt("c_resulted", lang), "int"),
                Column("within_24", rt("c_within_24h", lang), "pct"),
                Column("within_48", rt("c_within_48h", lang), "pct"),
                Column("median", rt("c_median_hours", lang), "dec"), Column("p90", rt("c_p90_hours", lang), "dec"),
                Column("backlog", rt("c_backlog_end", lang), "int"),
                Column("backlog_old", rt("c_backlog_old", lang), "int"))
    tables.append(Table("testing_labs", rt("t_testing_labs", lang), rt("h_testing_labs", lang), lab_cols,
                        labs.astype({"backlog": "int64", "backlog_old": "int64"})))

    daily = RT.daily(dx, scope, where, date_from, as_of)
    daily = daily.assign(valid=TST.valid_results(daily), week=week_starts(daily["day"]))
    weekly = daily.groupby("week", as_index=False)[["samples", "positives", "valid"]].sum()
    weekly["positivity"] = [TST.ratio(p, v) for p, v in zip(weekly["positives"], weekly["valid"])]
    week_cols = (Column("week", rt("c_week_start", lang), "date"),
                 *[Column(c, rt(f"c_{c}", lang), "int") for c in ("samples", "valid", "positives")],
                 Column("positivity", rt("c_positivity", lang), "pct"))
    tables.append(Table("testing_weekly", rt("t_testing_weekly", lang), rt("h_testing_weekly", lang), week_cols,
                        weekly.astype({c: "int64" for c in ("samples", "valid", "positives")})))
    return tables
