"""The one grid builder and the one "clicked area" helper the pages share."""

from __future__ import annotations

import pandas as pd

from dashboard.components.panels import clicked_area, data_grid


def test_clicked_area_reads_the_first_points_customdata_and_refuses_anything_else():
    assert clicked_area({"points": [{"customdata": "79"}, {"customdata": "01"}]}) == "79"
    assert clicked_area({"points": [{"customdata": 760}]}) == "760"
    for junk in (None, "junk", {}, {"points": []}, {"points": [{}]}, {"points": "x"}, [1, 2]):
        assert clicked_area(junk) is None


def test_data_grid_ids_csv_name_row_id_and_defaults():
    grid = data_grid("cov-areas", pd.DataFrame({"area": ["01"], "people": [3]}), [{"field": "area"}], "area",
                     column_defaults={"minWidth": 90})
    assert grid.id == {"type": "grid", "index": "cov-areas"}
    assert grid.rowData == [{"area": "01", "people": 3}] and grid.getRowId == "params.data.area"
    assert grid.csvExportParams == {"fileName": "cov-areas.csv"}
    assert grid.defaultColDef == {"sortable": True, "filter": True, "resizable": True, "minWidth": 90}
    assert not hasattr(data_grid("x", pd.DataFrame(), []), "getRowId")
