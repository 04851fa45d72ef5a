"""The province report pack (issue #6): the area's progress against its targets, its districts, recording
lag, verification and feedback, and vaccine stock, as XLSX, a zip of CSV files, or a printable PDF.

    filename, data = build(dx, scope, "79", date(2021, 7, 1), date(2021, 10, 31), "xlsx", lang="vi",
                           progress=lambda step, total: ...)

`scope` is the signed-in user's: a province user may export only their own province (ReportScopeError, a
PermissionError, otherwise, before anything is read); a national user may export any province or the whole
country (province None). Every read goes through `dx.query(..., scope)`.
"""

from __future__ import annotations

from datetime import date

from dashboard.data import DataAccess, Scope
from dashboard.report.tables import ASSEMBLY_STEPS, Progress, ReportScopeError, assemble, check_request

FORMATS = ("xlsx", "csv", "pdf")
MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "csv": "application/zip", "pdf": "application/pdf"}
TOTAL_STEPS = ASSEMBLY_STEPS + 1  # the tables, then writing the file

__all__ = ["FORMATS", "MEDIA_TYPES", "TOTAL_STEPS", "ReportScopeError", "build", "filename_for"]


def filename_for(province: str | None, date_from: date, date_to: date, fmt: str) -> str:
    """ASCII only (safe in a Content-Disposition header): bao-cao-tiem-chung_79_2021-07-01_2021-10-31.xlsx;
    the CSV pack is a .zip."""
    ext = "zip" if fmt == "csv" else fmt
    return f"bao-cao-tiem-chung_{province or 'VN'}_{date_from.isoformat()}_{date_to.isoformat()}.{ext}"


def build(dx: DataAccess, scope: Scope, province: str | None, date_from: date, date_to: date, fmt: str,
          lang: str = "vi", progress: Progress | None = None) -> tuple[str, bytes]:
    """(file name, file bytes) of the pack for `province` (None: the whole country) over [date_from, date_to].

    progress(step, total) is called after each part (total = TOTAL_STEPS), e.g. to feed a Dash background
    callback's set_progress. Raises ReportScopeError (PermissionError) when the scope does not cover the
    province, ValueError for an unknown format, province or an inverted period, and DataUnavailable when the
    database cannot be read."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    lang = "en" if lang == "en" else "vi"
    check_request(scope, province, date_from, date_to)
    report = assemble(dx, scope, province, date_from, date_to, lang,
                      (lambda step, _total: progress(step, TOTAL_STEPS)) if progress else None)
    if fmt == "xlsx":
        from dashboard.report.xlsx import write_xlsx as write
    elif fmt == "csv":
        from dashboard.report.csv_zip import write_csv_zip as write
    else:
        from dashboard.report.pdf import write_pdf as write
    data = write(report)
    if progress:
        progress(TOTAL_STEPS, TOTAL_STEPS)
    return filename_for(province, date_from, date_to, fmt), data
