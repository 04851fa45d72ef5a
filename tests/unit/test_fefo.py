"""etl.simulator.fefo.split against filling the requests one dose at a time."""

from __future__ import annotations

import numpy as np
import pytest

from etl.simulator.fefo import split


def _one_dose_at_a_time(h_node, h_qty, r_node, r_qty) -> dict[tuple[int, int], int]:
    out: dict[tuple[int, int], int] = {}
    left = list(h_qty)
    for j, (node, want) in enumerate(zip(r_node, r_qty)):
        for i in np.flatnonzero(h_node == node):
            take = min(left[i], want)
            if take:
                out[(int(i), j)] = out.get((int(i), j), 0) + int(take)
                left[i] -= take
                want -= take
    return out


@pytest.mark.parametrize("seed", range(20))
def test_split_fills_requests_in_order_from_holdings_in_order(seed):
    rng = np.random.default_rng(seed)
    h_node = np.sort(rng.integers(0, 6, 15))
    r_node = np.sort(rng.integers(0, 6, 10))
    h_qty, r_qty = rng.integers(1, 30, len(h_node)), rng.integers(1, 30, len(r_node))
    hi, ri, amount = split(h_node, h_qty, r_node, r_qty)
    got: dict[tuple[int, int], int] = {}
    for i, j, a in zip(hi, ri, amount):
        got[(int(i), int(j))] = got.get((int(i), int(j)), 0) + int(a)
    assert got == _one_dose_at_a_time(h_node, h_qty, r_node, r_qty)
    assert (amount > 0).all()


def test_a_node_without_holdings_or_requests_gets_nothing():
    hi, ri, amount = split(np.array([0, 2]), np.array([5, 5]), np.array([1, 2]), np.array([3, 9]))
    assert list(zip(hi, ri, amount)) == [(1, 1, 5)]
    assert len(split(np.zeros(0, np.int64), np.zeros(0, np.int64), np.array([1]), np.array([3]))[0]) == 0
