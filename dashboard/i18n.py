"""Vietnamese first, English on the switch: texts, numbers (1.234.567; 45,6%) and dates (dd/mm/yyyy)."""

from __future__ import annotations

import math
from datetime import date, datetime

from dashboard.measures.lag import LAG_UPPER

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"

TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("Bảng điều hành chiến dịch tiêm chủng COVID-19",
                  "COVID-19 vaccination campaign steering dashboard"),
    "nav_overview": ("Tổng quan", "Overview"),
    "nav_coverage": ("Độ bao phủ", "Coverage"),
    "nav_lag": ("Độ trễ nhập liệu", "Recording lag"),
    "nav_verification": ("Xác thực dữ liệu", "Verification"),
    "nav_quality": ("Chất lượng dữ liệu", "Data quality"),
    "nav_supply": ("Cung ứng vắc xin", "Vaccine supply"),
    "level_national": ("Kho quốc gia", "National store"),
    "level_province": ("Kho tỉnh", "Province store"),
    "level_district": ("Kho quận/huyện", "District stores"),
    "level_site": ("Điểm tiêm", "Vaccination sites"),
    "supply_doses": ("Số liều", "Doses"),
    "supply_on_hand": ("Tồn kho", "On hand"),
    "supply_days": ("Số ngày đủ dùng", "Days of supply"),
    "supply_days_line": ("Tồn kho ÷ số mũi tiêm trung bình/ngày của 7 ngày qua ({n}/ngày)",
                         "On hand ÷ average daily doses of the last 7 days ({n} a day)"),
    "supply_expiring": ("Sắp hết hạn (30 ngày)", "Expiring within 30 days"),
    "supply_expiring_60": ("Hết hạn trong 60 ngày: {n}", "Expiring within 60 days: {n}"),
    "supply_expired": ("Đã quá hạn còn trong kho: {n}", "Expired, still on shelves: {n}"),
    "supply_utilisation": ("Tỷ lệ sử dụng", "Utilisation"),
    "supply_utilisation_line": ("Đã tiêm {a} / đã cấp về địa bàn {d}", "Given {a} / delivered to the area {d}"),
    "supply_wastage_rate": ("Tỷ lệ hao hụt", "Wastage rate"),
    "supply_wasted_line": ("Hao hụt {w}: hết hạn {e}, lọ đã mở {o}, vỡ {b}, dây chuyền lạnh {c}",
                           "Wasted {w}: expiry {e}, open vials {o}, breakage {b}, cold chain {c}"),
    "supply_allowed_rate": ("Mức hao hụt cho phép", "Allowed wastage"),
    "supply_allocated": ("Được phân bổ", "Allocated"),
    "supply_delivered": ("Đã cấp", "Delivered"),
    "supply_administered": ("Đã tiêm", "Administered"),
    "supply_wasted": ("Hao hụt", "Wasted"),
    "supply_received": ("Nhận vào", "Received"),
    "supply_issued": ("Xuất đi", "Issued"),
    "supply_adjusted": ("Điều chỉnh", "Adjusted"),
    "supply_wasted_expiry": ("Hao hụt: hết hạn", "Wasted: expiry"),
    "supply_wasted_open_vial": ("Hao hụt: lọ đã mở", "Wasted: open vials"),
    "supply_wasted_breakage": ("Hao hụt: vỡ", "Wasted: breakage"),
    "supply_wasted_cold_chain": ("Hao hụt: dây chuyền lạnh", "Wasted: cold chain"),
    "supply_delivered_share": ("Đã cấp / phân bổ", "Delivered / allocated"),
    "supply_used_share": ("Đã tiêm / đã cấp", "Given / delivered"),
    "supply_unused": ("Đã cấp chưa tiêm", "Delivered, not given"),
    "supply_stock_title": ("Tồn kho theo cấp kho", "Stock on hand by store level"),
    "supply_flows_title": ("Cấp về, đã tiêm và hao hụt mỗi tuần", "Delivered, given and wasted per week"),
    "supply_areas_title": ("Số ngày đủ dùng theo địa bàn (ít nhất trước)", "Days of supply by area (fewest first)"),
    "supply_allocation_title": ("Phân bổ, đã cấp và đã tiêm theo tỉnh (tỷ lệ sử dụng thấp nhất trước)",
                                "Allocated, delivered and given by province (lowest use first)"),
    "supply_wastage_title": ("Tỷ lệ hao hụt theo loại vắc xin so với mức cho phép",
                             "Wastage rate by vaccine against the allowed rate"),
    "supply_stockouts": ("Hết vắc xin", "Stock-outs"),
    "supply_stockouts_title": ("Kho và điểm tiêm hết vắc xin (không còn liều của loại đã dùng trong 14 ngày)",
                               "Stores and sites at stock-out (no dose of a vaccine used in the last 14 days)"),
    "supply_stockouts_note": ("{n} trường hợp hết vắc xin; bảng hiện {shown} trường hợp lâu nhất",
                              "{n} stock-outs; the table shows the {shown} longest"),
    "supply_out_since": ("Hết từ ngày", "Out since"),
    "supply_days_out": ("Số ngày hết", "Days without stock"),
    "supply_level": ("Cấp kho", "Store level"),
    "supply_facility": ("Kho / điểm tiêm", "Store / site"),
    "supply_lot": ("Lô vắc xin", "Vaccine lot"),
    "supply_lot_title": ("Hành trình của lô {lot} ({product}, hạn dùng {expiry})",
                         "Journey of lot {lot} ({product}, expires {expiry})"),
    "supply_lot_ok": ("Khớp: {d} liều cấp về = {u} đã tiêm và hao hụt + {h} tồn kho ({a:+} điều chỉnh); lô có {n} liều",
                      "Adds up: {d} delivered = {u} given and wasted + {h} on hand ({a:+} adjusted); "
                      "the lot holds {n}"),
    "supply_lot_short": ("Cảnh báo chất lượng số liệu: {n} kho/điểm tiêm có lúc tồn âm lô này",
                         "Data-quality flag: {n} stores or sites held less than zero of this lot"),
    "supply_lot_beyond": ("Cảnh báo chất lượng số liệu: đã dùng và tồn kho vượt cỡ lô {n} liều",
                          "Data-quality flag: used and on hand exceed the lot's size by {n} doses"),
    "supply_no_lot": ("Chưa có lô vắc xin nào về địa bàn đến ngày này",
                      "No vaccine lot had reached the area by this day"),
    "supply_site_pick": ("Điểm tiêm", "Site"),
    "facilities": ("Số kho/điểm", "Facilities"),
    "nav_testing": ("Xét nghiệm", "Testing"),
    "testing_samples": ("Số mẫu xét nghiệm (7 ngày)", "Samples tested (7 days)"),
    "testing_people_line": ("{n} người được xét nghiệm", "{n} people tested"),
    "testing_per_1000": ("Trên 1.000 dân: {s} mẫu, {p} người", "Per 1,000 population: {s} samples, {p} people"),
    "testing_of_lab": ("Các mẫu lấy tại {area} do phòng này xét nghiệm", "The samples collected in {area} tested "
                       "here"),
    "testing_all_of_lab": ("Mọi mẫu phòng này xét nghiệm", "Every sample this laboratory tested"),
    "testing_among_bands": ("Các quận/huyện của {province}", "The districts of {province}"),
    "testing_among": ("Các quận/huyện của {province}; vòng tròn: quận/huyện đang xem",
                      "The districts of {province}; ringed: the district in view"),
    "testing_positivity": ("Tỷ lệ dương tính (7 ngày)", "Positivity (7 days)"),
    "testing_positivity_line": ("{p} dương tính / {v} kết quả hợp lệ", "{p} positive / {v} valid results"),
    "testing_person_line": ("Theo người: {x} (cận dưới)", "Per person: {x} (a lower bound)"),
    "testing_who_line": ("Ngưỡng WHO: dưới {x}", "WHO threshold: below {x}"),
    "testing_within_24": ("Có kết quả trong 24 giờ", "Results within 24 h"),
    "testing_within_48_line": ("Trong 48 giờ: {x}", "Within 48 h: {x}"),
    "testing_results_line": ("{n} mẫu có kết quả; {w} mẫu chưa có", "{n} samples with a result; {w} waiting"),
    "testing_median": ("Trung vị thời gian trả kết quả", "Median turnaround"),
    "testing_p90_line": ("Phân vị 90: {x}", "90th percentile: {x}"),
    "testing_backlog": ("Mẫu tồn đọng cuối ngày", "Backlog at the end of the day"),
    "testing_backlog_line": ("{n} người; {o} mẫu chờ từ 3 ngày trở lên", "{n} people; {o} samples waiting 3+ days"),
    "testing_hours": ("{x} giờ", "{x} h"),
    "testing_hours_open": ("≥ {x} giờ", "≥ {x} h"),
    "testing_daily_title": ("Số mẫu và số người được xét nghiệm mỗi ngày, trung bình 7 ngày",
                            "Samples and people tested per day, 7-day average"),
    "testing_positivity_title": ("Tỷ lệ dương tính mỗi ngày và trung bình 7 ngày so với ngưỡng 5% của WHO",
                                 "Positivity per day and 7-day average against WHO's 5%"),
    "testing_labs_title": ("Thời gian trả kết quả theo phòng xét nghiệm, 7 ngày (chậm nhất trước)",
                           "Turnaround by laboratory, 7 days (slowest first)"),
    "testing_backlog_title": ("Mẫu tồn đọng theo phòng xét nghiệm và số ngày chờ, cuối ngày {day}",
                              "Backlog by laboratory and days waiting, end of {day}"),
    "testing_lab_backlog_title": ("Mẫu tồn đọng theo số ngày chờ, cuối ngày {day}",
                                  "Backlog by days waiting, end of {day}"),
    "testing_histogram_title": ("Phân bố thời gian trả kết quả (mẫu lấy trong 7 ngày)",
                                "Turnaround distribution (samples of the 7 days)"),
    "testing_areas_title": ("Địa bàn có tỷ lệ dương tính cao nhất (7 ngày)",
                            "Areas with the highest positivity (7 days)"),
    "testing_coverage_title": ("Độ bao phủ (từ 18 tuổi, đủ liều cơ bản) và tỷ lệ dương tính 7 ngày, theo quận/huyện",
                               "Coverage (18+, fully vaccinated) and 7-day positivity, by district"),
    "testing_bands_title": ("Tỷ lệ dương tính mỗi tuần của các quận/huyện theo nhóm độ bao phủ",
                            "Weekly positivity of districts grouped by coverage"),
    "testing_click_lab": ("Bấm vào một phòng xét nghiệm (thanh hoặc dòng trong bảng) để xem riêng phòng đó",
                          "Click a laboratory (a bar or a table row) to open it"),
    "method_rt_pcr": ("RT-PCR", "RT-PCR"),
    "method_rapid_antigen": ("Test nhanh kháng nguyên", "Rapid antigen"),
    "testing_samples_avg7": ("Số mẫu, TB 7 ngày", "Samples, 7-day avg"),
    "testing_people_avg7": ("Số người, TB 7 ngày", "People tested, 7-day avg"),
    "testing_positivity_day": ("Trong ngày (theo mẫu)", "Of the day (per sample)"),
    "testing_positivity_avg7": ("Theo mẫu, TB 7 ngày", "Per sample, 7-day"),
    "testing_person_avg7": ("Theo người, TB 7 ngày", "Per person, 7-day"),
    "testing_who": ("Ngưỡng WHO 5%", "WHO 5% threshold"),
    "testing_age_0": ("Lấy mẫu trong ngày", "Collected that day"),
    "testing_age_1": ("1 ngày", "1 day"),
    "testing_age_2": ("2 ngày", "2 days"),
    "testing_age_3-6": ("3-6 ngày", "3-6 days"),
    "testing_age_7+": ("Từ 7 ngày", "7 days or more"),
    "testing_lab": ("Phòng xét nghiệm", "Laboratory"),
    "testing_lab_outside": ("Phòng xét nghiệm ngoài tỉnh #{id}", "Laboratory outside the province #{id}"),
    "testing_hours_axis": ("Giờ từ lấy mẫu đến có kết quả (mỗi cột 1 giờ đến 72 giờ, sau đó 1 ngày)",
                           "Hours from collection to result (a bar an hour to 72 h, then a day)"),
    "testing_samples_axis": ("Số mẫu", "Samples"),
    "testing_sample_count": ("Số mẫu", "Samples"),
    "testing_people_tested": ("Số người", "People tested"),
    "testing_positives": ("Dương tính", "Positive"),
    "testing_valid": ("Kết quả hợp lệ", "Valid results"),
    "testing_resulted": ("Có kết quả", "With a result"),
    "testing_waiting": ("Chưa có kết quả", "Waiting"),
    "testing_rate": ("Tỷ lệ dương tính", "Positivity"),
    "testing_person_rate": ("Tỷ lệ dương tính theo người", "Positivity per person"),
    "testing_per_1000_col": ("Mẫu / 1.000 dân", "Samples per 1,000"),
    "testing_few": ("Ít kết quả", "Few results"),
    "testing_valid_hover": ("{n} kết quả hợp lệ", "{n} valid results"),
    "testing_few_note": ("Thanh nhạt: dưới {n} kết quả hợp lệ trong 7 ngày, xếp sau cùng",
                         "Pale bars: fewer than {n} valid results in the 7 days, ranked last"),
    "testing_share_24": ("Trong 24 giờ", "Within 24 h"),
    "testing_share_48": ("Trong 48 giờ", "Within 48 h"),
    "testing_median_h": ("Trung vị (giờ)", "Median (h)"),
    "testing_p90_h": ("Phân vị 90 (giờ)", "p90 (h)"),
    "testing_p90_open": ("Phân vị 90 ≥ 168 giờ", "p90 ≥ 168 h"),
    "testing_median_open": ("Trung vị ≥ 168 giờ", "Median ≥ 168 h"),
    "testing_bucket": ("Từ (giờ)", "From (h)"),
    "testing_upper": ("Đến (giờ)", "To (h)"),
    "testing_cumulative": ("Tỷ lệ cộng dồn", "Cumulative share"),
    "testing_backlog_total": ("Tồn đọng", "Backlog"),
    "testing_coverage": ("Độ bao phủ (≥18, đủ liều)", "Coverage (18+, full)"),
    "testing_band": ("Nhóm độ bao phủ", "Coverage band"),
    "testing_districts": ("Số quận/huyện", "Districts"),
    "testing_no_lab_samples": ("Không có mẫu nào trong 7 ngày này", "No sample in these 7 days"),
    "dq_week": ("Tuần {start} – {end}", "Week {start} – {end}"),
    "dq_scorecard": ("Bảng điểm chất lượng số liệu", "Data-quality scorecard"),
    "dq_scorecard_days": ("Chất lượng số liệu theo ngày", "Data quality by day"),
    "dq_score": ("Điểm tổng hợp", "Composite score"),
    "dq_rank": ("Hạng", "Rank"),
    "dq_rank_change": ("Thay đổi hạng", "Rank change"),
    "dq_fields": ("Đủ trường bắt buộc", "Required fields"),
    "dq_timeliness": ("Nhập trong 1 ngày", "Entered within 1 day"),
    "dq_report": ("Khớp báo cáo tỉnh (±10%)", "Matches province report (±10%)"),
    "dq_report_ratio": ("Nền tảng ÷ báo cáo", "Platform ÷ report"),
    "dq_stock": ("Tiêm ≤ cấp kho", "Administered ≤ delivered"),
    "dq_stock_bad": ("Quận/huyện tiêm vượt kho", "Districts above stock"),
    "dq_dropout": ("Bỏ mũi 1→2", "Dropout 1→2"),
    "dq_dropout_bad": ("Quận/huyện bỏ mũi âm", "Districts with negative dropout"),
    "dq_outliers": ("Ngày bất thường", "Outlier days"),
    "dq_extreme": ("Rất bất thường", "Extreme"),
    "dq_quarantine": ("Bị cách ly", "Quarantined"),
    "dq_quarantine_share": ("Không bị cách ly", "Not quarantined"),
    "dq_id_bad": ("Thiếu/sai số định danh", "ID number missing/malformed"),
    "dq_birth_missing": ("Thiếu ngày sinh", "Birth date missing"),
    "dq_residence_missing": ("Thiếu nơi cư trú", "Residence missing"),
    "dq_delivered": ("Liều đã cấp", "Doses delivered"),
    "dq_administered": ("Mũi đã tiêm (kho)", "Doses administered (stock)"),
    "dq_short_ledgers": ("Kho/điểm tiêm tồn âm", "Stores or sites below zero"),
    "dq_quarantine_title": ("Bản ghi bị cách ly theo quy tắc, theo tuần", "Quarantined records by rule, by week"),
    "dq_rules_title": ("Các quy tắc kiểm tra của ETL", "The ETL's validation rules"),
    "dq_outliers_title": ("Ngày bất thường (điểm z hiệu chỉnh)", "Outlier days (modified z-score)"),
    "dq_daily_title": ("Số mũi hằng ngày và ngày bất thường", "Daily doses and outlier days"),
    "dq_median8w": ("Trung vị 8 tuần trước", "Median of the 8 weeks before"),
    "dq_z": ("Điểm z", "z-score"),
    "dq_no_outliers": ("Không có ngày bất thường trong tuần", "No outlier day in the week"),
    "dq_click": ("Bấm vào một dòng để xem địa bàn/ngày có vấn đề", "Click a row to open the area or day at fault"),
    "dq_areas_flagged": ("Địa bàn có cảnh báo", "Areas flagged"),
    "dq_rule": ("Quy tắc", "Rule"),
    "dq_rule_text": ("Nội dung", "Text"),
    "dq_action": ("Xử lý", "Action"),
    "dq_rows": ("Số bản ghi", "Rows"),
    "checked": ("Người đã được xác thực", "People checked"),
    "vaccinated": ("Người đã tiêm ≥1 mũi", "People with ≥1 dose"),
    "people_checked": ("{n} người đã xác thực", "{n} people checked"),
    "of_vaccinated": ("trên {n} người đã tiêm", "of {n} vaccinated"),
    "outcome_verified": ("Khớp CSDL dân cư", "Verified"),
    "outcome_mismatch": ("Sai lệch thông tin", "Mismatch"),
    "outcome_not_found": ("Không tìm thấy", "Not found"),
    "outcome_missing_id": ("Thiếu số định danh", "Missing ID number"),
    "backlog": ("Chưa xác thực", "Not yet checked"),
    "needed_pace": ("Tốc độ cần để xong trước 11/11/2021", "Pace needed by 11/11/2021"),
    "per_day": ("người/ngày", "a day"),
    "feedback": ("Phản ánh của người dân", "Citizens' feedback"),
    "feedback_line": ("Đã nhận {r}; đã xử lý {c}; còn mở {o}; quá hạn {d}",
                      "Received {r}; closed {c}; open {o}; overdue {d}"),
    "verify_title": ("Người đã tiêm được đối chiếu với CSDL quốc gia về dân cư, theo kết quả",
                     "Vaccinated people checked against the population database, by outcome"),
    "burndown_title": ("Số người chưa được xác thực và lộ trình đến 11/11/2021",
                       "People not yet checked and the path to 11/11/2021"),
    "feedback_title": ("Phản ánh nhận và xử lý theo tuần; số còn mở", "Feedback received and closed by week; open"),
    "fields_title": ("Sai lệch theo trường thông tin", "Mismatches by field"),
    "mismatch_checks": ("Lần đối chiếu sai lệch", "Mismatched checks"),
    "of_mismatches": ("Tỷ lệ trong các lần sai lệch", "Share of mismatched checks"),
    "field_name": ("Trường thông tin", "Field"),
    "field_full_name": ("Họ và tên", "Full name"),
    "field_birth_date": ("Ngày sinh", "Birth date"),
    "field_sex": ("Giới tính", "Sex"),
    "field_citizen_id": ("Số định danh cá nhân", "ID number"),
    "verify_rank_title": ("Tỷ lệ người đã xác thực theo địa bàn", "Share of people checked by area"),
    "received": ("Nhận", "Received"),
    "closed": ("Đã xử lý", "Closed"),
    "open": ("Còn mở", "Open"),
    "path": ("Lộ trình", "Path"),
    "period": ("Kỳ", "Period"),
    "same_day": ("Nhập trong ngày", "Entered the same day"),
    "within_1": ("Trong 1 ngày", "Within 1 day"),
    "within_3": ("Trong 3 ngày", "Within 3 days"),
    "within_7": ("Trong 7 ngày", "Within 7 days"),
    "median_lag": ("Trung vị độ trễ", "Median lag"),
    "p90_lag": ("Phân vị 90 độ trễ", "90th percentile lag"),
    "violations": ("Mũi nhập muộn từ 20/10/2021", "Late entries from 20/10/2021"),
    "completeness": ("Độ đầy đủ so với báo cáo tỉnh (7 ngày cuối kỳ)", "Completeness vs province reports (last "
                     "7 days)"),
    "lag_share_title": ("Tỷ lệ mũi tiêm được nhập đúng hạn theo tuần", "Share of doses entered in time, by week"),
    "completeness_title": ("Nền tảng so với báo cáo nhanh của tỉnh", "Platform against the provinces' reports"),
    "violations_title": ("Mũi tiêm nhập sau ngày tiêm, theo tuần (quy định từ 20/10/2021)",
                         "Doses entered after their day, by week (rule from 20/10/2021)"),
    "lag_rank_title": ("Địa bàn nhập chậm nhất (tỷ lệ nhập trong 1 ngày)",
                       "Slowest areas (share entered within 1 day)"),
    "lag_site_rank_title": ("Điểm tiêm nhập chậm nhất (tỷ lệ nhập trong 1 ngày)",
                            "Slowest sites (share entered within 1 day)"),
    "week": ("Tuần", "Week"),
    "nowcast_title": ("Những ngày gần đây: đã nhập và ước tính khi đủ",
                      "Recent days: entered and expected when complete"),
    "entered": ("Đã nhập", "Entered"),
    "expected_final": ("Ước tính khi đủ", "Expected when complete"),
    "band": ("Dải 95%", "95% band"),
    "incomplete_note": ("chưa đủ, ước tính {n}", "incomplete, expected {n}"),
    "late_doses": ("Mũi nhập muộn", "Late entries"),
    "rule_day": ("20/10: cấm \"tiêm trước, nhập sau\"", "20/10: \"inject first, enter later\" forbidden"),
    "freshness": ("Số liệu đến {day}, cập nhật {time}", "Data to {day}, updated {time}"),
    "no_data": ("Chưa có số liệu: hãy chạy ETL (python -m etl run).", "No data yet: run the ETL (python -m etl run)."),
    "db_down": ("Không kết nối được cơ sở dữ liệu báo cáo. Số liệu sẽ hiển thị lại khi kết nối được khôi phục.",
                "The reporting database cannot be reached. Figures will show again once it is back."),
    "bad_input": ("Tham số không hợp lệ: {detail}", "Invalid parameter: {detail}"),
    "as_of": ("Tính đến ngày", "As of"),
    "nation": ("Toàn quốc", "Nationwide"),
    "doses_total": ("Tổng số mũi đã tiêm", "Doses administered"),
    "doses_day": ("Số mũi trong ngày", "Doses on the day"),
    "doses_7d": ("Trung bình 7 ngày", "7-day average"),
    "adults_first": ("Người ≥18 tuổi tiêm ≥1 mũi", "Adults (18+) with ≥1 dose"),
    "adults_full": ("Người ≥18 tuổi tiêm đủ liều cơ bản", "Adults (18+) fully vaccinated"),
    "population_full": ("Dân số tiêm đủ liều cơ bản", "Population fully vaccinated"),
    "target": ("Mục tiêu", "Target"),
    "by": ("trước", "by"),
    "status_reached": ("Đã đạt", "Reached"),
    "status_on_track": ("Đúng tiến độ", "On track"),
    "status_at_risk": ("Có nguy cơ chậm", "At risk"),
    "status_off_track": ("Chậm tiến độ", "Off track"),
    "status_missed": ("Không đạt đúng hạn", "Missed"),
    "reach_on": ("Dự kiến đạt ngày {day} theo tốc độ 7 ngày qua", "Expected on {day} at the last 7 days' pace"),
    "reach_never": ("Chưa thể đạt theo tốc độ 7 ngày qua", "Not reached at the last 7 days' pace"),
    "reached_on": ("Đạt ngày {day}", "Reached on {day}"),
    "gap": ("Còn thiếu {people} người; cần {rate} người/ngày", "{people} people to go; {rate} a day needed"),
    "daily_doses_title": ("Số mũi tiêm mỗi ngày và trung bình 7 ngày", "Daily doses and 7-day average"),
    "coverage_title": ("Tỷ lệ bao phủ cộng dồn so với lộ trình mục tiêu",
                       "Cumulative coverage against the target path"),
    "map_title": ("Bản đồ các tỉnh theo {metric}", "Provinces by {metric}"),
    "rank_title": ("Xếp hạng tỉnh theo {metric}", "Provinces ranked by {metric}"),
    "behind_pace": ("chậm so với tiến độ mục tiêu", "behind the target pace"),
    "doses": ("Số mũi", "Doses"),
    "avg7": ("TB 7 ngày", "7-day avg"),
    "day": ("Ngày", "Day"),
    "coverage": ("Độ bao phủ", "Coverage"),
    "target_path": ("Lộ trình mục tiêu", "Target path"),
    "province": ("Tỉnh/thành phố", "Province"),
    "district": ("Quận/huyện", "District"),
    "commune": ("Xã/phường", "Commune"),
    "site": ("Điểm tiêm", "Site"),
    "area": ("Địa bàn", "Area"),
    "people": ("Số người", "People"),
    "population": ("Dân số", "Population"),
    "age_group": ("Nhóm tuổi", "Age group"),
    "milestone": ("Mốc tiêm", "Milestone"),
    "product": ("Loại vắc xin", "Vaccine"),
    "dose_number": ("Mũi số", "Dose number"),
    "all": ("Tất cả", "All"),
    "group_total": ("Toàn dân", "Whole population"),
    "group_18": ("Từ 18 tuổi", "Adults 18+"),
    "group_12_17": ("12-17 tuổi", "12-17 years"),
    "milestone_first": ("Ít nhất 1 mũi", "At least one dose"),
    "milestone_full": ("Đủ liều cơ bản", "Fully vaccinated"),
    "milestone_booster": ("Mũi nhắc lại", "Booster"),
    "tab_chart": ("Biểu đồ", "Chart"),
    "tab_table": ("Bảng số liệu", "Data table"),
    "tab_about": ("Cách tính", "How is this computed?"),
    "download_csv": ("Tải CSV", "Download CSV"),
    "formula": ("Công thức", "Formula"),
    "denominator": ("Mẫu số", "Denominator"),
    "source": ("Nguồn", "Source"),
    "date_basis": ("Cơ sở ngày", "Date basis"),
    "breadcrumb_root": ("Toàn quốc", "Vietnam"),
    "doses_by_area": ("Số mũi tiêm theo địa bàn", "Doses by area"),
    "coverage_by_area": ("{metric} theo địa bàn", "{metric} by area"),
    "click_to_drill": ("Bấm vào một địa bàn để xem chi tiết", "Click an area to drill down"),
    "language": ("English", "Tiếng Việt"),
    "sites_note": ("Điểm tiêm: số mũi tiêm tại điểm (không có mẫu số dân số)",
                   "Sites: doses given at the site (no population denominator)"),
    # access control (issue #6)
    "nav_admin": ("Quản trị", "Administration"),
    "nav_report": ("Báo cáo", "Reports"),
    "report_title": ("Báo cáo của địa bàn cho Ban chỉ đạo", "The area's report pack for its committee"),
    "report_intro": ("Tiến độ so với mục tiêu, các quận/huyện, độ trễ nhập liệu, xác thực và phản ánh, kho vắc xin "
                     "trong kỳ đã chọn; tệp được tạo ở phía máy chủ, trang vẫn dùng được trong lúc chờ.",
                     "Progress against the targets, the districts, recording lag, verification and feedback, vaccine "
                     "stock over the chosen period; the file is built on the server while the page stays usable."),
    "report_format": ("Định dạng", "Format"),
    "report_make": ("Tạo báo cáo", "Make the report"),
    "report_working": ("Đang tạo báo cáo: bước {step}/{total}", "Building the report: step {step} of {total}"),
    "report_ready": ("Báo cáo đã sẵn sàng:", "The report is ready:"),
    "report_failed": ("Không tạo được báo cáo: {detail}", "The report could not be made: {detail}"),
    "report_lost": ("Không tìm thấy báo cáo đang tạo (đã hết hạn hoặc không phải của bạn)",
                    "The report being made was not found (expired, or not yours)"),
    "sign_in_title": ("Đăng nhập", "Sign in"),
    "sign_in_lead": ("Dành cho cán bộ được cấp tài khoản.", "For officials with an account."),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "sign_in": ("Đăng nhập", "Sign in"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "sign_in_failed": ("Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password."),
    "sign_in_throttled": ("Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau {seconds} giây.",
                          "Too many failed sign-ins. Please try again in {seconds} seconds."),
    "form_expired": ("Biểu mẫu đã hết hạn. Vui lòng đăng nhập lại.", "The form has expired. Please sign in again."),
    "signed_out": ("Bạn đã đăng xuất.", "You have signed out."),
    "not_in_scope": ("Khu vực được yêu cầu không thuộc phạm vi của tài khoản này.",
                     "The requested area is not in your scope."),
    "not_allowed": ("Tài khoản này không được mở trang này.", "This account may not open this page."),
    "role_national": ("Trung ương", "National"),
    "role_province": ("Tỉnh/thành phố", "Province"),
    "role_analyst": ("Phân tích", "Analyst"),
    "role_admin": ("Quản trị", "Administrator"),
    "users_title": ("Tài khoản", "Accounts"),
    "audit_title": ("Nhật ký truy cập (mới nhất trước)", "Audit log (newest first)"),
    "col_username": ("Tên đăng nhập", "Username"),
    "col_role": ("Vai trò", "Role"),
    "col_province": ("Tỉnh", "Province"),
    "col_disabled": ("Đã khoá", "Disabled"),
    "col_created": ("Tạo lúc", "Created"),
    "col_at": ("Thời điểm", "At"),
    "col_address": ("Địa chỉ", "Address"),
    "col_action": ("Hành động", "Action"),
    "col_scope": ("Phạm vi", "Scope"),
    "col_detail": ("Chi tiết", "Detail"),
}


def t(key: str, lang: str, **kw) -> str:
    vi, en = TEXTS[key]
    text = en if lang == "en" else vi
    return text.format(**kw) if kw else text


def norm_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def fmt_int(value: float | int | None, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    s = f"{round(value):,}"
    return s.replace(",", ".") if lang != "en" else s


def fmt_pct(share: float | None, lang: str, digits: int = 1) -> str:
    """A share (0.456) as a percentage: 45,6% in Vietnamese, 45.6% in English."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    s = f"{share * 100:,.{digits}f}"
    if lang != "en":
        s = s.replace(",", " ").replace(".", ",").replace(" ", ".")
    return s + "%"


def fmt_date(day: date | datetime | None, lang: str) -> str:
    if day is None:
        return "–"
    return day.strftime("%d/%m/%Y") if lang != "en" else day.strftime("%-d %b %Y")


def fmt_dec(value: float | None, lang: str, digits: int = 1) -> str:
    """A number with decimals: 12,5 in Vietnamese, 12.5 in English."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    s = f"{value:,.{digits}f}"
    return s.replace(",", " ").replace(".", ",").replace(" ", ".") if lang != "en" else s


def fmt_hours(hours: float | None, lang: str, open_ended: bool = False) -> str:
    """A turnaround: "12,5 giờ", or "≥ 168 giờ" when it lies in the open-ended bucket of a week or more."""
    if hours is None or (isinstance(hours, float) and math.isnan(hours)):
        return "–"
    if open_ended:
        return t("testing_hours_open", lang, x=fmt_int(hours, lang))
    return t("testing_hours", lang, x=fmt_dec(hours, lang))


def lag_label(bucket: int | float | None, lang: str) -> str:
    """A lag histogram bucket as text: "0 ngày", "4-7 ngày", "> 60 ngày" ("–" for none)."""
    if bucket is None or (isinstance(bucket, float) and math.isnan(bucket)):
        return "–"
    bucket = int(bucket)
    upper = LAG_UPPER[bucket]
    unit = "ngày" if lang != "en" else "days"
    if upper is None:
        return f"> {bucket - 1} {unit}"
    return f"{bucket} {unit}" if upper == bucket else f"{bucket}-{upper} {unit}"


def plotly_separators(lang: str) -> str:
    """Plotly's `separators`: decimal mark then thousands mark."""
    return ",." if lang != "en" else ".,"


def d3_int() -> str:
    return ",.0f"
