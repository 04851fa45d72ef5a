"""The nowcast measured: with the data as they stood on a day, is it closer to the final counts than the raw?"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from common.settings import Settings
from dashboard.data import DataAccess
from dashboard.measures import lag as F
from etl.pipeline import run
from etl.simulator.engine import simulate

SETTINGS = Settings(pseudonym_key="k")


def lag_daily(engine) -> F.pd.DataFrame:
    data = DataAccess(Settings(database_url=engine.url.render_as_string(hide_password=False)))
    return data.query("lag_daily", {"province": None, "district": None})


def test_nowcast_is_closer_to_the_final_counts_than_the_raw_count(make_database, capsys):
    engine = make_database()
    url = engine.url.render_as_string(hide_password=False)
    as_of = date(2021, 9, 20)  # before the same-day rule: a heavy recording lag
    simulate(engine, scale=0.005, seed=44, until=str(as_of))
    run(SETTINGS, engine, url)
    then = F.nowcast(lag_daily(engine), as_of, days=7)
    simulate(engine, scale=0.005, seed=44, until="2021-11-20")  # late entries and the catch-up arrive
    run(SETTINGS, engine, url)
    final = lag_daily(engine).groupby("day")["doses"].sum()
    truth = np.array([final.get(d, 0) for d in then["day"]], dtype=float)
    mape_raw = float(np.mean(np.abs(then["raw"] - truth) / truth))
    mape_nowcast = float(np.mean(np.abs(then["expected"] - truth) / truth))
    with capsys.disabled():
        print(f"\nnowcast of the last 7 days on {as_of}: MAPE raw {mape_raw:.1%}, nowcast {mape_nowcast:.1%}")
    assert mape_nowcast < mape_raw
    assert mape_nowcast < 0.10
    # the band holds the final count on most days
    inside = np.mean((truth >= then["low"].to_numpy() * 0.95) & (truth <= then["high"].to_numpy() * 1.05))
    assert inside >= 0.5
    assert all(then["complete_share"] <= 1.0) and then["day"].max() == as_of
    assert then["day"].min() == as_of - timedelta(days=6)
