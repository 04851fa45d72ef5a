"""The outlier rule of the data-quality page, on series whose answer is known by hand."""

from __future__ import annotations

import math

import numpy as np

from dashboard.measures.quality import OUTLIER_HISTORY, modified_z


def test_modified_z_uses_the_mad_of_the_eight_weeks_before():
    history = np.array([10, 12] * (OUTLIER_HISTORY // 2), dtype=float)  # median 11, MAD 1
    z = modified_z(np.r_[history, 20.0], OUTLIER_HISTORY)
    assert z.shape == (1, 1)
    assert math.isclose(z[0, 0], 0.6745 * (20 - 11) / 1)


def test_a_flat_history_falls_back_to_the_mean_absolute_deviation():
    history = np.full(OUTLIER_HISTORY, 100.0)
    history[:4] = [0, 0, 0, 0]                   # MAD 0 (over half the days equal), mean |x - median| = 400/56
    z = modified_z(np.r_[history, 150.0], OUTLIER_HISTORY)[0, 0]
    assert math.isclose(z, (150 - 100) / (1.253314 * 400 / OUTLIER_HISTORY))


def test_no_spread_at_all_is_not_judged_and_short_histories_are_not_either():
    assert np.isnan(modified_z(np.r_[np.zeros(OUTLIER_HISTORY), 500.0], OUTLIER_HISTORY)[0, 0])
    assert np.isnan(modified_z(np.arange(10.0), 5)).all()
