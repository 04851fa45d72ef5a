"""The pack as a zip of CSV files, one per table (UTF-8 with a byte-order mark, so Excel reads the
diacritics), plus `thong_tin.csv` with the report's facts (area, period, data version, time of export).

CSV cells are for machines as much as for people: numbers are plain (1234567; shares as fractions 0.4561,
'.' decimal), dates ISO (2021-10-31), so pandas, R or a database load them without locale guessing. The
headers are the report's (Vietnamese) labels; the readable renderings are the XLSX and the PDF.
"""

from __future__ import annotations

import csv
import io
import zipfile

from dashboard.report.cells import empty
from dashboard.report.model import Report, Table
from dashboard.report.texts import rt

BOM = "\ufeff"
FILE_NAMES = {"targets": "muc_tieu", "areas": "dia_ban", "lag": "do_tre_nhap_lieu",
              "verification": "xac_thuc_phan_anh", "verification_weekly": "tien_do_xac_thuc",
              "stock": "ton_kho_vac_xin", "testing": "xet_nghiem", "testing_labs": "phong_xet_nghiem",
              "testing_weekly": "duong_tinh_theo_tuan"}


def _literal(value, kind: str) -> str:
    if empty(value):
        return ""
    if kind == "int":
        return str(int(value))
    if kind == "dec":
        return repr(round(float(value), 1))
    if kind == "pct":
        return repr(round(float(value), 6))
    if kind in ("date", "datetime"):
        return value.isoformat(sep=" ") if kind == "datetime" else value.isoformat()
    return str(value)


def _csv(header: list[str], rows) -> bytes:
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180 line ends, what Excel writes too
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def table_csv(table: Table) -> bytes:
    values = table.values()
    columns = [(c, values[c.key].tolist()) for c in table.columns]
    rows = ([_literal(v[i], c.kind) for c, v in columns] for i in range(len(values)))
    return _csv([c.label for c in table.columns], rows)


def write_csv_zip(report: Report) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        facts = [[f.label, _literal(f.value, f.kind)] for f in report.facts + report.figures]
        zf.writestr("thong_tin.csv", _csv([rt("c_indicator", report.lang), rt("c_value", report.lang)], facts))
        for table in report.tables:
            zf.writestr(f"{FILE_NAMES.get(table.key, table.key)}.csv", table_csv(table))
    return out.getvalue()
