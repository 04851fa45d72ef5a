"""A target's card, shared by the overview and the coverage page: coverage now, gap, daily rate needed, expected
date at the last 7 days' pace, status (the view it shows: measures.coverage.target_views)."""

from __future__ import annotations

from dash import html

from dashboard.components.panels import card
from dashboard.i18n import fmt_date, fmt_int, fmt_pct, t
from dashboard.measures import coverage as C

# The 2021-2022 national targets have short titles of their own; any other target shows its label.
SHORT_TITLES = {"adults_first_2021": "adults_first", "adults_full_2021": "adults_full",
                "population_full_q1_2022": "population_full"}


def target_card(view: C.TargetView, lang: str, id_prefix: str = "card-") -> html.Div:
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
