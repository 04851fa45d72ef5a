"""The tile map's grid: one cell and one label for each of the 63 provinces, and a recognisable shape."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dashboard.components.tile_positions import ABBREVIATIONS, TILES

PROVINCES_CSV = Path(__file__).resolve().parents[2] / "etl" / "reference" / "provinces.csv"


@pytest.fixture(scope="module")
def codes() -> list[str]:
    with PROVINCES_CSV.open(encoding="utf-8", newline="") as f:
        return [row["province_code"] for row in csv.DictReader(f)]


def n_rows() -> int:
    return max(row for _, row in TILES.values()) + 1


def test_every_province_has_a_tile_and_a_label(codes: list[str]) -> None:
    assert len(codes) == 63
    assert set(TILES) == set(codes)
    assert set(ABBREVIATIONS) == set(codes)


def test_cells_are_distinct_non_negative_integers() -> None:
    cells = list(TILES.values())
    assert len(set(cells)) == len(cells)
    for col, row in cells:
        assert isinstance(col, int) and isinstance(row, int)
        assert col >= 0 and row >= 0


def test_labels_are_short_and_unique() -> None:
    labels = list(ABBREVIATIONS.values())
    assert len(set(labels)) == len(labels)
    assert all(2 <= len(label) <= 4 and label.isalpha() for label in labels)


def test_tiles_form_one_piece() -> None:
    """Every tile can be reached from Hà Nội through tiles sharing an edge."""
    cells = set(TILES.values())
    seen, todo = {TILES["01"]}, [TILES["01"]]
    while todo:
        col, row = todo.pop()
        for nxt in ((col + 1, row), (col - 1, row), (col, row + 1), (col, row - 1)):
            if nxt in cells and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == cells


def test_rough_shape_of_vietnam() -> None:
    rows = n_rows()
    last = rows - 1
    row = {code: cell[1] for code, cell in TILES.items()}
    assert row["01"] < rows / 3  # Hà Nội in the top third
    assert row["79"] >= 2 * rows / 3  # Hồ Chí Minh in the bottom third
    assert row["96"] >= 2 * rows / 3  # Cà Mau too ...
    assert row["96"] >= last - 1  # ... and at (or next to) the southern tip
    assert row["10"] <= 1 and row["02"] <= 1  # Lào Cai and Hà Giang at the top
    assert TILES["48"][1] < row["79"] < row["96"]  # Đà Nẵng, then Hồ Chí Minh, then Cà Mau going south
