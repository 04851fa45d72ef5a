"""The province report pack against a real PostgreSQL loaded by the ETL: the XLSX's numbers equal what the
staging rows say (independent SQL), the CSV zip keeps its diacritics, the PDF's text is Vietnamese, a
province user cannot export another province, and the CLI writes a file or says one clear line."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from common.settings import Settings
from dashboard.__main__ import main
from dashboard.data import NATIONAL, DataAccess, Scope
from dashboard.report import TOTAL_STEPS, ReportScopeError, build
from tests.conftest import rows, scalar

FROM, TO = date(2021, 7, 1), date(2021, 10, 31)


@pytest.fixture(scope="module")
def reporting(loaded_database):
    return loaded_database(0.002, 23, "2021-10-31")


@pytest.fixture(scope="module")
def dx(reporting) -> DataAccess:
    return DataAccess(Settings(database_url=reporting.url.render_as_string(hide_password=False)))


@pytest.fixture(scope="module")
def xlsx(dx):
    steps = []
    name, data = build(dx, Scope.national(), "79", FROM, TO, "xlsx", progress=lambda s, n: steps.append((s, n)))
    assert name == "bao-cao-tiem-chung_79_2021-07-01_2021-10-31.xlsx"
    assert steps[-1] == (TOTAL_STEPS, TOTAL_STEPS) and [s for s, _ in steps] == sorted(s for s, _ in steps)
    return openpyxl.load_workbook(io.BytesIO(data))


def table_of(sheet, header_row: int) -> tuple[list[str], list[list]]:
    values = list(sheet.iter_rows(min_row=header_row, values_only=True))
    header = list(values[0])
    body = []
    for row in values[1:]:
        if all(v is None for v in row):
            break
        body.append(list(row))
    return header, body


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def test_xlsx_sheets_formats_and_first_sheet(xlsx, reporting):
    assert xlsx.sheetnames == ["Tổng hợp", "Quận huyện", "Độ trễ nhập liệu", "Xác thực và phản ánh",
                               "Tiến độ xác thực", "Tồn kho vắc xin", "Xét nghiệm", "Phòng xét nghiệm",
                               "Dương tính theo tuần"]
    summary = xlsx["Tổng hợp"]
    assert summary.freeze_panes == "A4" and xlsx["Quận huyện"].freeze_panes == "A3"
    header, targets = table_of(summary, 3)
    assert header[:3] == ["Mục tiêu", "Ngưỡng", "Hạn"]
    assert {r[0] for r in targets} >= {"50% người từ 18 tuổi trở lên được tiêm ít nhất 1 mũi trong năm 2021"}
    assert isinstance(targets[0][2], datetime) and summary.cell(4, 3).number_format == r"dd\/mm\/yyyy"
    assert summary.cell(4, 2).number_format == "[$-42A]0.0%" and summary.cell(4, 4).number_format == "[$-42A]#,##0"
    facts = {r[0]: r[1] for r in summary.iter_rows(min_row=4 + len(targets), max_col=2, values_only=True) if r[0]}
    assert facts["Phiên bản dữ liệu"] == scalar(reporting, "SELECT version FROM etl.data_version")
    assert isinstance(facts["Thời điểm xuất báo cáo (giờ Việt Nam)"], datetime)
    assert facts["Địa bàn"] == "Thành phố Hồ Chí Minh"
    # the adults' first-dose target: people and coverage from the staging rows, at the end of the period
    people = scalar(reporting, """SELECT count(*) FROM staging.person_milestone m JOIN ref.district d
        ON d.code = m.residence_district WHERE d.province_code = '79' AND m.age_band >= 3 AND m.first_day <= :d""",
                    d=TO)
    adults = int(scalar(reporting, "SELECT sum(population) FROM ref.population WHERE level = 'province' AND "
                                   "area_code = '79' AND age_band >= 3"))
    row = next(r for r in targets if r[0].startswith("50% người từ 18 tuổi trở lên được tiêm"))
    assert row[3] == adults and row[4] == people and row[5] == pytest.approx(people / adults)


def test_xlsx_districts_equal_the_database(xlsx, reporting):
    sheet = xlsx["Quận huyện"]
    header, body = table_of(sheet, 2)
    assert header[:4] == ["Mã", "Quận/huyện", "Dân số", "Dân số từ 18 tuổi"]
    got = {r[0]: dict(zip(header, r)) for r in body}
    districts = dict(rows(reporting, "SELECT code, name_with_type FROM ref.district WHERE province_code = '79'"))
    assert set(got) == set(districts) | {"79"} and got["769"]["Quận/huyện"] == "Thành phố Thủ Đức"
    doses = dict(rows(reporting, """SELECT site_district, count(*) FROM staging.dose
        WHERE status = 'valid' AND quarantine_rule IS NULL AND injected_day BETWEEN :a AND :b
          AND site_district IN (SELECT code FROM ref.district WHERE province_code = '79') GROUP BY 1""", a=FROM, b=TO))
    checked = dict(rows(reporting, """SELECT v.district, count(*) FROM staging.verification v
        WHERE v.is_first AND v.checked_day <= :b GROUP BY 1""", b=TO))
    vaccinated = dict(rows(reporting, """SELECT residence_district, count(*) FROM staging.person_milestone
        WHERE first_day <= :b GROUP BY 1""", b=TO))
    for code in districts:
        assert got[code]["Số mũi tiêm trong kỳ"] == doses.get(code, 0), code
        assert got[code]["Người đã tiêm ≥1 mũi"] == vaccinated.get(code, 0), code
        assert got[code]["Người đã xác thực"] == checked.get(code, 0), code
    assert got["79"]["Số mũi tiêm trong kỳ"] == sum(doses.values())
    assert sheet.cell(3, 3).number_format == "[$-42A]#,##0" and sheet.cell(3, 5).number_format == "[$-42A]0.0%"


def test_xlsx_lag_and_stock_equal_the_database(xlsx, reporting):
    header, body = table_of(xlsx["Độ trễ nhập liệu"], 2)
    weekly = [dict(zip(header, r)) for r in body]
    total = scalar(reporting, """SELECT count(*) FROM staging.dose d JOIN ref.district r ON r.code = d.site_district
        WHERE d.status = 'valid' AND d.quarantine_rule IS NULL AND r.province_code = '79'
          AND d.injected_day BETWEEN :a AND :b""", a=FROM, b=TO)
    assert sum(w["Số mũi tiêm"] for w in weekly) == total
    assert all(isinstance(w["Tuần (từ thứ Hai)"], datetime) and w["Tuần (từ thứ Hai)"].weekday() == 0 for w in weekly)
    late_after_rule = scalar(reporting, """SELECT count(*) FROM staging.dose d JOIN ref.district r
        ON r.code = d.site_district WHERE d.status = 'valid' AND d.quarantine_rule IS NULL AND r.province_code = '79'
          AND d.injected_day BETWEEN '2021-10-20' AND :b AND etl.vn_day(d.recorded_at) > d.injected_day""", b=TO)
    assert sum(w["Vi phạm (từ 20/10/2021)"] for w in weekly) == late_after_rule

    header, body = table_of(xlsx["Tồn kho vắc xin"], 2)
    stock = {(r[1], r[0]): dict(zip(header, r)) for r in body}
    balance = dict(rows(reporting, """SELECT product_code, sum(received - issued - wasted - administered + adjusted)
        FROM mart.stock_daily WHERE level = 'site' AND day <= :b
          AND area IN (SELECT code FROM ref.district WHERE province_code = '79') GROUP BY 1""", b=TO))
    for product, value in balance.items():
        assert stock[(product, "Điểm tiêm")]["Tồn cuối kỳ"] == value
        row = stock[(product, "Điểm tiêm")]
        assert row["Tồn đầu kỳ"] + row["Nhận"] - row["Cấp đi"] - row["Đã tiêm"] - row["Hủy/hao hụt"] \
            + row["Điều chỉnh"] == value


# The samples the ETL loads (collected at a vaccination site, sent to a laboratory, not resulted before their
# collection) of province 79, collected in the period, with their days in Vietnam time.
SAMPLES_79 = """
    SELECT f.district_code AS district, s.lab_id, s.result, s.pooled_count,
           ((s.collected_at AT TIME ZONE 'UTC') + interval '7 hours')::date AS day,
           ((s.resulted_at AT TIME ZONE 'UTC') + interval '7 hours')::date AS result_day,
           extract(epoch FROM s.resulted_at - s.collected_at) / 3600 AS hours
    FROM platform.test_sample s
    JOIN platform.facility f ON f.id = s.site_id AND f.kind = 'site' AND f.province_code = '79'
    JOIN platform.facility l ON l.id = s.lab_id AND l.kind = 'lab'
    WHERE (s.resulted_at IS NULL OR s.resulted_at >= s.collected_at)"""


def test_xlsx_testing_equals_the_platform(xlsx, reporting):
    """The testing sheets: per district and in all, samples, people, positives and positivity of the samples
    collected in the period; per laboratory, results within 24 h and the backlog at the period's end."""
    header, body = table_of(xlsx["Xét nghiệm"], 2)
    got = {r[0]: dict(zip(header, r)) for r in body}
    want = {d: (n, people, pos, valid) for d, n, people, pos, valid in rows(reporting, f"""
        SELECT district, count(*), sum(pooled_count), count(*) FILTER (WHERE result = 'positive'),
               count(*) FILTER (WHERE result IN ('positive', 'negative'))
        FROM ({SAMPLES_79}) x WHERE day BETWEEN :a AND :b GROUP BY 1""", a=FROM, b=TO)}
    assert set(got) - {None} == set(want)
    for district, (n, people, pos, valid) in want.items():
        row = got[district]
        assert (row["Số mẫu"], row["Số người được xét nghiệm"], row["Mẫu dương tính"]) == (n, people, pos)
        assert row["Tỷ lệ dương tính (theo mẫu)"] == pytest.approx(pos / valid)
    whole = got[None]
    assert whole["Địa bàn"] == "Toàn địa bàn" and whole["Số mẫu"] == sum(v[0] for v in want.values())

    header, body = table_of(xlsx["Phòng xét nghiệm"], 2)
    labs = {r[0]: dict(zip(header, r)) for r in body}
    want = rows(reporting, f"""
        SELECT l.name, count(*) FILTER (WHERE x.day BETWEEN :a AND :b),
               count(*) FILTER (WHERE x.day BETWEEN :a AND :b AND x.hours < 24),
               count(*) FILTER (WHERE x.day BETWEEN :a AND :b AND x.result IS NOT NULL),
               count(*) FILTER (WHERE x.day <= :b AND (x.result_day IS NULL OR x.result_day > :b))
        FROM ({SAMPLES_79}) x JOIN ref.facility l ON l.id = x.lab_id GROUP BY 1""", a=FROM, b=TO)
    assert len(want) > 1
    for name, n, within_24, resulted, backlog in want:
        assert labs[name]["Số mẫu"] == n and labs[name]["Mẫu tồn đọng cuối kỳ"] == backlog, name
        assert labs[name]["Có kết quả trong 24 giờ"] == pytest.approx(within_24 / resulted), name


def test_csv_zip_round_trips_with_diacritics(dx, reporting):
    name, data = build(dx, Scope.national(), "79", FROM, TO, "csv")
    assert name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert set(zf.namelist()) == {"thong_tin.csv", "muc_tieu.csv", "dia_ban.csv", "do_tre_nhap_lieu.csv",
                                      "xac_thuc_phan_anh.csv", "tien_do_xac_thuc.csv", "ton_kho_vac_xin.csv",
                                      "xet_nghiem.csv", "phong_xet_nghiem.csv", "duong_tinh_theo_tuan.csv"}
        raw = zf.read("dia_ban.csv")
        assert raw.startswith("\ufeff".encode())
        areas = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype={"Mã": str})
        info = pd.read_csv(io.BytesIO(zf.read("thong_tin.csv")), encoding="utf-8-sig")
    assert "Thành phố Thủ Đức" in set(areas["Quận/huyện"])
    assert "Thành phố Hồ Chí Minh" in set(info["Giá trị"])
    doses = scalar(reporting, """SELECT count(*) FROM staging.dose WHERE site_district = '769' AND status = 'valid'
        AND quarantine_rule IS NULL AND injected_day BETWEEN :a AND :b""", a=FROM, b=TO)
    assert int(areas.loc[areas["Mã"] == "769", "Số mũi tiêm trong kỳ"].iloc[0]) == doses
    assert areas["Tỷ lệ ≥1 mũi (từ 18 tuổi)"].dtype == float


def test_pdf_text_has_the_province_with_its_diacritics(dx):
    name, data = build(dx, Scope.national(), "79", FROM, TO, "pdf")
    assert name.endswith(".pdf") and data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert 1 <= len(reader.pages) <= 4
    text = nfc(" ".join(page.extract_text() for page in reader.pages))
    for phrase in ("Thành phố Hồ Chí Minh", "Thủ Đức", "Tiến độ so với từng mục tiêu", "Tồn kho",
                   "Thời gian trả kết quả theo phòng xét nghiệm"):
        assert phrase in text, phrase
    english = nfc(PdfReader(io.BytesIO(build(dx, Scope.national(), "79", FROM, TO, "pdf", lang="en")[1]))
                  .pages[0].extract_text())
    assert "Progress against each target" in english and "Hồ Chí Minh" in english


class CountingAccess(DataAccess):
    def __init__(self, inner: DataAccess) -> None:
        super().__init__(inner.settings)
        self.calls: list[tuple[str, Scope]] = []

    def query(self, name, params=None, scope=NATIONAL):
        self.calls.append((name, scope))
        return super().query(name, params, scope)


def test_a_province_scope_cannot_export_another_province_or_the_country(dx):
    counting = CountingAccess(dx)
    for asked in ("79", None):
        with pytest.raises(ReportScopeError, match="scope of province 01"):
            build(counting, Scope("01"), asked, FROM, TO, "xlsx")
    assert counting.calls == []  # refused before anything was read
    assert isinstance(ReportScopeError("x"), PermissionError)
    # its own province works, and every read carried the scope
    name, data = build(counting, Scope("79"), "79", FROM, TO, "csv")
    assert data and counting.calls and all(scope == Scope("79") for _, scope in counting.calls)


def test_english_switch_and_the_whole_country(dx):
    book = openpyxl.load_workbook(io.BytesIO(build(dx, Scope.national(), None, FROM, TO, "xlsx", lang="en")[1]))
    assert book.sheetnames[:2] == ["Summary", "Provinces"]
    header, body = table_of(book["Provinces"], 2)
    assert header[:2] == ["Code", "Province"] and len(body) == 64  # 63 provinces and the country
    assert book["Provinces"].cell(3, 3).number_format == "#,##0"


def test_cli_writes_the_file_and_refuses_bad_arguments(reporting, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", reporting.url.render_as_string(hide_password=False))
    out = tmp_path / "pack.pdf"
    assert main(["export", "--province", "79", "--from", "2021-07-01", "--to", "2021-10-31", "--format", "pdf",
                 "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out) and out.read_bytes().startswith(b"%PDF")
    for argv in (["--province", "7"], ["--province", "99"], ["--from", "2021-11-30"], ["--format", "doc"],
                 ["--to", "2021-02-30"]):
        args = {"--province": "79", "--from": "2021-07-01", "--to": "2021-10-31", "--format": "csv"}
        args.update(dict(zip(argv[::2], argv[1::2])))
        flat = ["export", *[x for kv in args.items() for x in kv], "--out", str(tmp_path / "x.zip")]
        try:
            code = main(flat)
        except SystemExit as exc:
            code = exc.code
        err = capsys.readouterr().err.strip()
        assert code == 2 and len(err.splitlines()) == 1 and "error" in err, (argv, err)
    assert not (tmp_path / "x.zip").exists()
