"""Filling requests from holdings in order, node by node, without a Python loop over nodes.

A store's holdings of a product are laid end to end in the order they leave it (earliest expiry first), and
so are the requests it serves; the pieces where the two lines overlap say which lot goes to which request.
"""

from __future__ import annotations

import numpy as np

_SHIFT = np.int64(1) << np.int64(36)   # room for 68 billion doses per node, far above any store's


def _ends(node: np.ndarray, qty: np.ndarray) -> np.ndarray:
    """End of each row on its node's line: the running total of qty, restarting at each node."""
    cs = np.cumsum(qty)
    first = np.r_[True, node[1:] != node[:-1]] if len(node) else np.zeros(0, bool)
    base = np.maximum.accumulate(np.where(first, cs - qty, 0)) if len(node) else cs
    return cs - base


def split(h_node: np.ndarray, h_qty: np.ndarray, r_node: np.ndarray, r_qty: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pieces (holding row, request row, doses) filling each node's requests from its holdings, in order.

    Both inputs are grouped by node (sorted), with quantities > 0. A node short of stock fills its first
    requests in full and the rest in part or not at all.
    """
    if len(h_node) == 0 or len(r_node) == 0:
        e = np.zeros(0, np.int64)
        return e, e, e
    h_key = h_node * _SHIFT + _ends(h_node, h_qty)
    r_key = r_node * _SHIFT + _ends(r_node, r_qty)
    size = int(max(h_node.max(), r_node.max())) + 1
    limit = np.minimum(np.bincount(h_node, h_qty, size), np.bincount(r_node, r_qty, size)).astype(np.int64)
    bounds = np.unique(np.r_[h_key, r_key])
    b_node = bounds // _SHIFT
    bounds = bounds[bounds - b_node * _SHIFT <= limit[b_node]]
    b_node = bounds // _SHIFT
    start = np.r_[0, bounds[:-1]]
    start = np.where(np.r_[True, b_node[1:] != b_node[:-1]], b_node * _SHIFT, start)
    return (np.searchsorted(h_key, bounds, "left"), np.searchsorted(r_key, bounds, "left"),
            (bounds - start).astype(np.int64))
