"""Target views, shared by the overview and the coverage page: each target measured against one area's people
and population, and its card (coverage now, gap, daily rate needed, expected date at the last 7 days' pace,
status)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pandas as pd
from dash import html

from dashboard.components.panels import card
from dashboard.i18n import fmt_date, fmt_int, fmt_pct, t
from dashboard.measures import coverage as C

# The 2021-2022 national targets have short titles of their own; any other target shows its label.
SHORT_TITLES = {"adults_first_2021": "adults_first", "adults_full_2021": "adults_full",
                "population_full_q1_2022": "population_full"}


class TargetView(NamedTuple):
    target: pd.Series
    status: C.TargetStatus
    cumulative: pd.Series
    population: int


def target_views(targets: pd.DataFrame, people: pd.DataFrame, pop: pd.DataFrame, as_of: date) -> dict[str, TargetView]:
    """Every target applied to the area whose daily people (day, milestone, age_band, people) and population
    (area, age_band, population) are given: a national target shown for a province is measured on the province."""
    views = {}
    for _, target in targets.iterrows():
        cum = C.cumulative_people(people, target["milestone"], target["population_group"], as_of)
        population = int(C.population_of(pop, target["population_group"]).sum())
        st = C.target_status(cum, population, target["threshold"], target["deadline"], as_of)
        views[target["id"]] = TargetView(target, st, cum, population)
    return views


def target_card(view: TargetView, lang: str, id_prefix: str = "card-") -> html.Div:
    target, st = view.target, view.status
    key = SHORT_TITLES.get(target["id"])
    title = t(key, lang) if key else (target["label_en"] if lang == "en" else target["label_vi"])
    lines = [f"{t('target', lang)} {fmt_pct(target['threshold'], lang, 0)} {t('by', lang)} "
             f"{fmt_date(target['deadline'], lang)}"]
    if st.status == "reached":
        lines.append(t("reached_on", lang, day=fmt_date(st.expected, lang)))
    else:
        lines.append(t("gap", lang, people=fmt_int(st.gap_people, lang),
                       rate=fmt_int(st.rate_needed, lang) if st.rate_needed else "–"))
        lines.append(t("reach_on", lang, day=fmt_date(st.expected, lang)) if st.expected else t("reach_never", lang))
    return card(title, fmt_pct(st.coverage, lang), lines, st.status, lang, card_id=f"{id_prefix}{target['id']}")
