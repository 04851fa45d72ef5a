"""The metric catalogue (DESIGN.md section 3): every chart names its metric and shows this definition."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    id: str
    name: tuple[str, str]          # (vi, en)
    formula: tuple[str, str]
    denominator: tuple[str, str]
    source: tuple[str, str]
    date_basis: tuple[str, str]

    def text(self, field: str, lang: str) -> str:
        vi, en = getattr(self, field)
        return en if lang == "en" else vi


STOCK_SOURCE = ("Phiếu xuất nhập kho và bản ghi mũi tiêm → ETL → mart.stock_lot_daily",
                "Stock movements and dose records → ETL → mart.stock_lot_daily")
MARTS_SOURCE = ("Nền tảng quốc gia về tiêm chủng COVID-19 → ETL (bản ghi hợp lệ, đã loại bản ghi cách ly) → "
                "bảng tổng hợp mart", "National COVID-19 vaccination platform → ETL (valid records, quarantined "
                "ones left out) → marts")

TESTS_SOURCE = ("Nền tảng xét nghiệm (mẫu và kết quả) → ETL (đã cách ly mẫu có thời điểm không thể, có kết quả "
                "trước khi lấy mẫu, hoặc ghi nơi lấy mẫu không phải điểm lấy mẫu hay nơi xét nghiệm không phải phòng "
                "xét nghiệm) → mart.tests_daily", "The testing platform (samples and results) → ETL (samples with an "
                "impossible time, a result before collection, or recorded at a facility that is no collection point "
                "or sent to one that is no laboratory quarantined) → mart.tests_daily")
TESTS_BASIS = ("Theo ngày lấy mẫu (giờ Việt Nam) và quận/huyện của điểm lấy mẫu; 7 ngày kết thúc tại ngày đang xem. "
               "Kết quả đến muộn được tính vào ngày lấy mẫu, nên các ngày gần đây còn thay đổi",
               "By collection day (Vietnam time) and the collecting site's district; the 7 days ending on the chosen "
               "day. A late result counts on its collection day, so recent days still change")

CATALOGUE: dict[str, Metric] = {m.id: m for m in (
    Metric("doses_administered",
           ("Số mũi đã tiêm", "Doses administered"),
           ("Số bản ghi mũi tiêm hợp lệ (không bị hủy, không bị cách ly do vi phạm quy tắc kiểm tra)",
            "Count of valid dose records (not voided, not quarantined by a validation rule)"),
           ("Không có (số đếm)", "None (a count)"),
           MARTS_SOURCE,
           ("Theo ngày tiêm và quận/huyện của điểm tiêm; số ngày gần đây còn tăng khi mũi tiêm nhập muộn",
            "By injection date and the site's district; recent days still grow as late entries arrive")),
    Metric("doses_7day_average",
           ("Trung bình 7 ngày", "7-day average"),
           ("Tổng số mũi của 7 ngày kết thúc tại ngày đang xem ÷ 7", "Doses of the 7 days ending on the day ÷ 7"),
           ("7 ngày", "7 days"), MARTS_SOURCE, ("Theo ngày tiêm", "By injection date")),
    Metric("coverage_first",
           ("Tỷ lệ tiêm ít nhất 1 mũi", "Coverage, at least one dose"),
           ("Số người đã tiêm ít nhất 1 mũi (đếm mỗi người một lần) ÷ dân số của nhóm và địa bàn",
            "People with at least one dose (each person once) ÷ population of the group and area"),
           ("Dân số theo nhóm tuổi (toàn dân, từ 18 tuổi, 12-17 tuổi) của địa bàn, mẫu số do nền tảng công bố",
            "Population of the age group (total, 18+, 12-17) of the area, the platform's published denominators"),
           MARTS_SOURCE,
           ("Theo ngày tiêm mũi đầu tiên và nơi cư trú (quận/huyện); nhóm tuổi tại mũi đầu tiên",
            "By the day of the first dose and the residence district; age group at the first dose")),
    Metric("coverage_full",
           ("Tỷ lệ tiêm đủ liều cơ bản", "Coverage, fully vaccinated"),
           ("Số người đã hoàn thành liều cơ bản của vắc xin (2 mũi; Abdala 3 mũi; Janssen 1 mũi) ÷ dân số",
            "People who completed their product's primary series (2 doses; Abdala 3; Janssen 1) ÷ population"),
           ("Dân số theo nhóm tuổi của địa bàn", "Population of the age group of the area"),
           MARTS_SOURCE,
           ("Theo ngày tiêm mũi hoàn thành liều cơ bản và nơi cư trú",
            "By the day of the dose completing the series and the residence district")),
    Metric("coverage_booster",
           ("Tỷ lệ tiêm mũi nhắc lại", "Coverage, booster"),
           ("Số người đã tiêm mũi vượt quá liều cơ bản ÷ dân số", "People with a dose beyond the primary series ÷ "
            "population"),
           ("Dân số theo nhóm tuổi của địa bàn", "Population of the age group of the area"),
           MARTS_SOURCE, ("Theo ngày tiêm mũi nhắc lại và nơi cư trú", "By the booster's day and the residence")),
    Metric("target_progress",
           ("Tiến độ mục tiêu", "Target progress"),
           ("Độ bao phủ hiện tại so với ngưỡng; khoảng thiếu = ngưỡng × dân số − số người đã đạt; tốc độ cần = "
            "khoảng thiếu ÷ số ngày còn lại; ngày dự kiến đạt = hôm nay + khoảng thiếu ÷ tốc độ trung bình 7 ngày "
            "qua. Trạng thái: Đã đạt; Đúng tiến độ (tốc độ ≥ tốc độ cần); Có nguy cơ chậm (≥ 75% tốc độ cần); "
            "Chậm tiến độ (thấp hơn)",
            "Coverage now against the threshold; gap = threshold × population − people reached; rate needed = "
            "gap ÷ days left; expected date = today + gap ÷ the last 7 days' average pace. Status: reached; on "
            "track (pace ≥ rate needed); at risk (≥ 75% of it); off track (below)"),
           ("Dân số của nhóm mục tiêu", "Population of the target group"), MARTS_SOURCE,
           ("Theo ngày tiêm, tính đến ngày đang xem", "By injection date, up to the day shown")),
    Metric("target_path",
           ("Lộ trình mục tiêu", "Target path"),
           ("Đường thẳng từ 0% ngày 08/03/2021 đến ngưỡng mục tiêu tại hạn chót",
            "A straight line from 0% on 08/03/2021 to the threshold on the deadline"),
           ("Dân số của nhóm mục tiêu", "Population of the target group"),
           ("Bảng mục tiêu (ref.target)", "Targets table (ref.target)"), ("Theo ngày", "By day")),
    Metric("lag_shares",
           ("Tỷ lệ mũi tiêm được nhập đúng hạn", "Share of doses entered in time"),
           ("Số mũi nhập trong ngày tiêm (trong 1, 3, 7 ngày) ÷ số mũi tiêm trong kỳ. Độ trễ = ngày nhập − ngày "
            "tiêm (giờ Việt Nam)", "Doses entered on the injection day (within 1, 3, 7 days) ÷ doses injected in "
            "the period. Lag = day entered − day injected (Vietnam time)"),
           ("Số mũi tiêm hợp lệ trong kỳ, theo ngày tiêm", "Valid doses injected in the period"), MARTS_SOURCE,
           ("Theo ngày tiêm và quận/huyện của điểm tiêm; các ngày gần đây còn thiếu mũi nhập muộn",
            "By injection date and the site's district; recent days still miss late entries")),
    Metric("lag_percentiles",
           ("Trung vị và phân vị 90 của độ trễ", "Median and 90th percentile of the lag"),
           ("Đọc từ biểu đồ tần suất theo nhóm độ trễ (0, 1, 2, 3, 4-7, 8-14, 15-30, 31-60, trên 60 ngày): nhóm "
            "mà tỷ lệ cộng dồn vượt 50% (90%). Chính xác ở mọi cấp tổng hợp",
            "Read from the lag histogram (0, 1, 2, 3, 4-7, 8-14, 15-30, 31-60, 61+ days): the bucket where the "
            "cumulative share passes 50% (90%). Exact at any roll-up"),
           ("Số mũi tiêm hợp lệ trong kỳ", "Valid doses in the period"), MARTS_SOURCE,
           ("Theo ngày tiêm", "By injection date")),
    Metric("rule_violations",
           ("Vi phạm quy định nhập liệu trong ngày (từ 20/10/2021)", "Violations of same-day entry (from 20/10/2021)"),
           ("Số mũi tiêm từ 20/10/2021 được nhập sau ngày tiêm, theo tuần", "Doses injected from 20/10/2021 and "
            "entered after their injection day, by week"),
           ("Không có (số đếm); tỷ lệ chia cho số mũi trong tuần", "None (a count); the share divides by the "
            "week's doses"), MARTS_SOURCE, ("Theo tuần của ngày tiêm", "By the week of the injection")),
    Metric("completeness",
           ("Độ đầy đủ so với báo cáo của tỉnh", "Completeness against the province's report"),
           ("Số mũi trên nền tảng ÷ số mũi tỉnh báo cáo hằng ngày (nhanh), theo ngày tiêm",
            "Doses on the platform ÷ doses in the province's own daily report, by injection day"),
           ("Số mũi tỉnh báo cáo", "Doses the province reported"),
           ("Nền tảng tiêm chủng và báo cáo nhanh hằng ngày của tỉnh", "The platform and the provinces' daily "
            "hand reports"), ("Theo ngày tiêm (nền tảng) và ngày báo cáo (tỉnh)", "By injection day (platform) and "
                              "report day (province)")),
    Metric("nowcast",
           ("Ước tính số mũi cuối cùng của những ngày gần đây", "Nowcast of recent days' final doses"),
           ("Với mỗi ngày tiêm gần đây có tuổi a ngày: số mũi đã nhập ÷ F(a), trong đó F(a) là tỷ lệ mũi được nhập "
            "trong vòng a ngày, đo trên các ngày tiêm cách đây 29-56 ngày của cùng địa bàn (nội suy tuyến tính trong "
            "các nhóm độ trễ rộng). Dải 95%: ± 1,96·√(đã nhập·(1−F))/F. Một thay đổi cách nhập liệu (như quy định "
            "20/10/2021) chỉ vào mô hình sau 4 tuần",
            "For each recent injection day of age a days: doses entered so far ÷ F(a), where F(a) is the share of "
            "doses entered within a days, measured on the area's injection days 29-56 days ago (linear inside the "
            "wide lag buckets). 95% band: ± 1.96·√(entered·(1−F))/F. A change of practice (such as the 20/10/2021 "
            "rule) reaches the model after 4 weeks"),
           ("Không có (số đếm)", "None (a count)"), MARTS_SOURCE,
           ("Theo ngày tiêm; ước tính tính tại ngày số liệu mới nhất", "By injection date, estimated at the newest "
            "data day")),
    Metric("verification_progress",
           ("Tiến độ xác thực dữ liệu tiêm chủng", "Verification progress"),
           ("Số người đã tiêm được đối chiếu (lần đầu) với CSDL quốc gia về dân cư ÷ số người đã tiêm ít nhất 1 "
            "mũi; theo kết quả lần đối chiếu đầu: khớp, sai lệch (họ tên, ngày sinh, giới tính, số định danh), "
            "không tìm thấy, thiếu số định danh. Mục tiêu 100% trước 11/11/2021",
            "People checked (first check) against the national population database ÷ people with at least one "
            "dose; by the first check's outcome: verified, mismatch (name, birth date, sex, ID number), not found, "
            "missing ID number. Target 100% by 11/11/2021"),
           ("Số người đã tiêm ít nhất 1 mũi, theo nơi cư trú", "People with at least one dose, by residence"),
           ("Kết quả xác thực của trạm y tế xã và công an xã trên nền tảng → ETL → mart",
            "Checks by commune health stations and police on the platform → ETL → marts"),
           ("Theo ngày xác thực và nơi cư trú", "By check date and residence")),
    Metric("verification_fields",
           ("Sai lệch theo trường thông tin", "Mismatches by field"),
           ("Số lần đối chiếu với CSDL quốc gia về dân cư (mọi lần, không chỉ lần đầu) đến ngày đang xem có kết quả "
            "sai lệch ở trường: họ và tên, ngày sinh, giới tính, số định danh. Tỷ lệ = số đó ÷ số lần đối chiếu có "
            "kết quả sai lệch; một lần sai lệch nhiều trường được đếm ở mỗi trường, nên tổng các tỷ lệ có thể vượt "
            "100%",
            "Checks against the national population database (every check, not only the first) up to the day shown "
            "that found the field different: full name, birth date, sex, ID number. Share = that count ÷ checks "
            "with a mismatch; a check with several fields wrong counts for each, so the shares can add up to more "
            "than 100%"),
           ("Số lần đối chiếu có kết quả sai lệch", "Checks with a mismatch"),
           ("Kết quả xác thực của trạm y tế xã và công an xã trên nền tảng → ETL → mart",
            "Checks by commune health stations and police on the platform → ETL → marts"),
           ("Theo ngày xác thực và nơi cư trú", "By check date and residence")),
    Metric("feedback",
           ("Phản ánh của người dân", "Citizens' feedback"),
           ("Nhận, đã xử lý (giải quyết hoặc từ chối), còn mở; quá hạn = còn mở và nhận trước 25/10/2021 (hạn xử "
            "lý tồn đọng) hoặc quá 14 ngày (thời hạn phục vụ)",
            "Received, closed (resolved or rejected), open; overdue = open and received before 25/10/2021 (the "
            "backlog deadline) or older than 14 days (the service time)"),
           ("Không có (số đếm)", "None (a count)"),
           ("Cổng thông tin tiêm chủng → ETL → mart", "The vaccination portal → ETL → marts"),
           ("Theo ngày nhận và ngày xử lý", "By day received and day closed")),
    Metric("supply_on_hand",
           ("Tồn kho và số ngày đủ dùng", "Stock on hand and days of supply"),
           ("Tồn kho cuối ngày = cộng dồn (nhận − xuất − đã tiêm − hao hụt ± điều chỉnh) theo từng kho/điểm và lô. "
            "Số ngày đủ dùng = tồn kho ÷ (số mũi đã tiêm trong 7 ngày qua ÷ 7). Sắp hết hạn = tồn kho của các lô có "
            "hạn dùng trong 30 (60) ngày tới",
            "On hand at the end of a day = the running sum of (received − issued − given − wasted ± adjusted) per "
            "store or site and lot. Days of supply = on hand ÷ (doses given in the last 7 days ÷ 7). Expiring = "
            "on hand in lots whose expiry date is within the next 30 (60) days"),
           ("Số mũi tiêm trung bình mỗi ngày của 7 ngày qua", "Average daily doses given over the last 7 days"),
           STOCK_SOURCE, ("Cuối ngày đang xem", "End of the chosen day")),
    Metric("supply_utilisation",
           ("Tỷ lệ sử dụng và phân bổ", "Utilisation and allocation"),
           ("Tỷ lệ sử dụng = số mũi đã tiêm ÷ số liều đã cấp về địa bàn (nhận trừ xuất đi, cộng trên mọi kho và "
            "điểm tiêm của địa bàn: phần đến từ bên ngoài). Phân bổ = tổng liều theo các quyết định của Bộ Y tế",
            "Utilisation = doses given ÷ doses delivered to the area (received minus issued, summed over every store "
            "and site of the area: what came from outside it). Allocated = the doses of the Ministry's decisions"),
           ("Số liều đã cấp về địa bàn", "Doses delivered to the area"),
           ("Quyết định phân bổ, phiếu xuất nhập kho, bản ghi mũi tiêm → ETL → mart",
            "Allocation decisions, stock movements, dose records → ETL → marts"),
           ("Cộng dồn đến ngày đang xem (phân bổ: ngày quyết định)",
            "Cumulative to the day (allocation: decision day)")),
    Metric("supply_wastage",
           ("Tỷ lệ hao hụt vắc xin", "Vaccine wastage rate"),
           ("Hao hụt ÷ (đã tiêm + hao hụt), theo loại vắc xin; hao hụt theo lý do: hết hạn, lọ đã mở, vỡ, dây chuyền "
            "lạnh. Mức cho phép là dữ liệu (ref.wastage_allowance): 10% với lọ nhiều liều (Ấn Độ, 2020), 5% với lọ "
            "1-2 liều (WHO)",
            "Wasted ÷ (given + wasted), by vaccine; wastage by reason: expiry, open vials, breakage, cold chain. "
            "The allowed rate is data (ref.wastage_allowance): 10% for multi-dose vials (India, 2020), 5% for 1-2 "
            "dose vials (WHO)"),
           ("Số liều đã dùng (đã tiêm + hao hụt)", "Doses used up (given + wasted)"),
           STOCK_SOURCE, ("Cộng dồn đến ngày đang xem", "Cumulative to the day")),
    Metric("supply_stockouts",
           ("Hết vắc xin", "Stock-outs"),
           ("Một kho hoặc điểm tiêm hết một loại vắc xin khi tồn kho loại đó ≤ 0 cuối ngày đang xem mà đã dùng loại "
            "đó trong 14 ngày qua: điểm tiêm đã tiêm, kho đã xuất (như eVIN, DHIS2). Số ngày hết = từ ngày đầu có "
            "phát sinh sau lần cuối còn tồn đến ngày đang xem",
            "A store or site is out of a vaccine when its stock of it is ≤ 0 at the end of the chosen day although "
            "it used that vaccine in the last 14 days: a site gave it, a store issued it (as eVIN and DHIS2 count). "
            "Days without stock = from the first day with flows after it last had stock, to the chosen day"),
           ("Không có (số đếm)", "None (a count)"), STOCK_SOURCE, ("Cuối ngày đang xem", "End of the chosen day")),
    Metric("supply_lot",
           ("Hành trình của một lô", "A lot's journey"),
           ("Theo cấp kho: nhận, xuất xuống, đã tiêm, hao hụt, điều chỉnh, tồn kho. Khớp khi không kho/điểm nào có "
            "lúc tồn âm lô này và đã dùng + tồn kho không vượt cỡ lô; nếu không là cảnh báo chất lượng số liệu",
            "By store level: received, issued down, given, wasted, adjusted, on hand. It adds up when no store or "
            "site ever held less than zero of the lot and used + on hand do not exceed the lot's size; otherwise a "
            "data-quality flag"),
           ("Cỡ lô (ref.lot)", "The lot's size (ref.lot)"), STOCK_SOURCE,
           ("Cộng dồn đến ngày đang xem", "Cumulative to the day")),
    Metric("testing_samples",
           ("Số mẫu và số người được xét nghiệm", "Samples and people tested"),
           ("Số mẫu lấy trong kỳ (RT-PCR và test nhanh kháng nguyên); số người = tổng số người trong các mẫu (một mẫu "
            "gộp RT-PCR chứa 5 hoặc 10 người). Trên 1.000 dân = số mẫu (số người) trong 7 ngày ÷ dân số của địa bàn "
            "× 1.000. Trung bình 7 ngày = tổng 7 ngày kết thúc tại ngày đó ÷ 7",
            "Samples collected in the period (RT-PCR and rapid antigen); people = the people in those samples (a "
            "pooled RT-PCR sample holds 5 or 10). Per 1,000 = samples (people) of the 7 days ÷ the area's population "
            "× 1,000. 7-day average = the sum of the 7 days ending on the day ÷ 7"),
           ("Dân số của địa bàn (mọi lứa tuổi)", "The area's population (all ages)"), TESTS_SOURCE, TESTS_BASIS),
    Metric("testing_positivity",
           ("Tỷ lệ xét nghiệm dương tính", "Test positivity"),
           ("Theo mẫu: số mẫu dương tính ÷ số mẫu có kết quả hợp lệ (dương tính hoặc âm tính; mẫu không hợp lệ "
            "được xét nghiệm lại nên bị loại). Theo người: số mẫu dương tính ÷ số người trong các mẫu có kết quả "
            "hợp lệ: một mẫu gộp dương tính chỉ được đếm một lần (chưa biết bao nhiêu người trong đó dương tính), "
            "nên đây là cận dưới. Trung bình 7 "
            "ngày = tổng dương tính ÷ tổng kết quả của 7 ngày. Ngưỡng WHO (5/2020): dưới 5% trong ít nhất 2 tuần là "
            "một dấu hiệu dịch được kiểm soát",
            "Per sample: positive samples ÷ samples with a valid result (positive or negative; invalid results are "
            "retested, so they are left out). Per person: positive samples ÷ people in samples with a valid result: "
            "a positive pooled sample counts once (how many of its people are positive is unknown), so it is a "
            "lower bound. 7-day = the 7 days' positives ÷ their results. WHO threshold (May 2020): below 5% for "
            "at least 2 weeks is one sign that the epidemic is under control"),
           ("Số mẫu có kết quả hợp lệ (theo người: số người trong các mẫu đó)",
            "Samples with a valid result (per person: the people in them)"), TESTS_SOURCE, TESTS_BASIS),
    Metric("testing_turnaround",
           ("Thời gian trả kết quả", "Turnaround time"),
           ("Thời gian từ lấy mẫu đến có kết quả, đếm theo nhóm: mỗi giờ đến 72 giờ, mỗi ngày đến 168 giờ, rồi một "
            "nhóm từ 168 giờ (một tuần) trở lên. Tỷ lệ trong 24 giờ, 48 giờ: chính xác. Trung vị, phân vị 90: nhóm "
            "mà số mẫu cộng dồn đạt 50% (90%), nội suy tuyến tính trong nhóm (sai khác với giá trị chính xác nhỏ "
            "hơn độ rộng của nhóm: dưới 1 giờ đến 72 giờ); rơi vào nhóm cuối thì ghi “≥ 168 giờ”. Phòng xét nghiệm "
            "xếp theo tỷ lệ trong 24 giờ, thấp nhất trước",
            "Time from collection to result, counted in buckets: one per hour to 72 hours, one per day to 168 hours, "
            "then one of 168 hours (a week) or more. Shares within 24 h and 48 h: exact. Median, 90th percentile: "
            "the bucket where the cumulative count reaches 50% (90%), linear inside it (off the exact value by less "
            "than the bucket's width: under an hour up to 72 hours); in the last bucket it reads “≥ 168 h”. "
            "Laboratories ranked by the share within 24 h, the lowest first"),
           ("Số mẫu có kết quả, lấy trong 7 ngày (mẫu chưa có kết quả nằm trong số tồn đọng)",
            "Samples with a result collected in the 7 days (those still waiting are in the backlog)"),
           TESTS_SOURCE, TESTS_BASIS),
    Metric("testing_backlog",
           ("Mẫu tồn đọng", "Backlog"),
           ("Số mẫu đã lấy đến hết ngày đang xem mà cuối ngày đó chưa có kết quả (kết quả đến sau, hoặc chưa bao "
            "giờ đến), theo phòng xét nghiệm và số ngày chờ = ngày đang xem − ngày lấy mẫu: 0 (lấy trong ngày), 1, "
            "2, 3-6, từ 7 ngày",
            "Samples collected by the end of the chosen day still without a result at its end (the result came "
            "later, or never), by laboratory and days waiting = the chosen day − the collection day: 0 (collected "
            "that day), 1, 2, 3-6, 7 or more"),
           ("Không có (số đếm)", "None (a count)"),
           ("Nền tảng xét nghiệm → ETL → mart.tests_backlog", "The testing platform → ETL → mart.tests_backlog"),
           ("Cuối ngày đang xem, theo ngày lấy mẫu (giờ Việt Nam)", "End of the chosen day, by collection day "
            "(Vietnam time)")),
    Metric("testing_areas",
           ("Địa bàn theo tỷ lệ dương tính", "Areas by positivity"),
           ("Tỷ lệ dương tính theo mẫu 7 ngày của từng tỉnh (quận/huyện), cao nhất trước; địa bàn có dưới 20 kết quả "
            "hợp lệ trong 7 ngày xếp sau cùng (1 dương tính trên 2 kết quả là 50% nhưng không nói lên nhiều)",
            "7-day positivity per sample of each province (district), the highest first; an area with fewer than 20 "
            "valid results in the 7 days comes after the others (1 positive of 2 results is 50% and says little)"),
           ("Số mẫu có kết quả hợp lệ", "Samples with a valid result"), TESTS_SOURCE, TESTS_BASIS),
    Metric("testing_coverage",
           ("Tỷ lệ dương tính bên cạnh độ bao phủ tiêm chủng", "Positivity beside vaccination coverage"),
           ("Mỗi quận/huyện: độ bao phủ = số người từ 18 tuổi đã tiêm đủ liều cơ bản (theo nơi cư trú) đến ngày đang "
            "xem ÷ dân số từ 18 tuổi, đặt cạnh tỷ lệ dương tính 7 ngày của các mẫu lấy tại quận/huyện đó. Theo tuần: "
            "mỗi quận/huyện vào nhóm (<25%, 25-50%, 50-75%, ≥75%) theo độ bao phủ cuối tuần đó (tuần cuối: ngày đang "
            "xem), tỷ lệ của nhóm = tổng dương tính ÷ tổng kết quả hợp lệ của các quận/huyện trong nhóm; quận/huyện "
            "lên nhóm khi độ bao phủ tăng. Đây là tương quan, không phải nhân quả: cách xét nghiệm mỗi nơi mỗi khác",
            "Per district: coverage = people 18+ fully vaccinated (by residence) by the chosen day ÷ the 18+ "
            "population, beside the 7-day positivity of the samples collected there. By week: each district joins "
            "a band (<25%, 25-50%, 50-75%, ≥75%) by its coverage at the week's end (the last week: the chosen day); "
            "a band's positivity = its districts' positives ÷ their valid results; a district moves up as coverage "
            "grows. A correlation, not a cause: testing differs from place to place"),
           ("Dân số từ 18 tuổi (độ bao phủ); số mẫu có kết quả hợp lệ (tỷ lệ dương tính)",
            "Population 18+ (coverage); samples with a valid result (positivity)"),
           ("Nền tảng xét nghiệm và nền tảng tiêm chủng → ETL → mart.tests_daily, mart.people_daily",
            "The testing and vaccination platforms → ETL → mart.tests_daily, mart.people_daily"),
           ("Ngày lấy mẫu, ngày tiêm mũi hoàn thành liều cơ bản", "Collection day; the day of the dose completing "
            "the series")),
    Metric("dq_fields",
           ("Đầy đủ trường bắt buộc", "Required fields complete"),
           ("Số mũi hợp lệ mà hồ sơ người tiêm có đủ số định danh cá nhân (12 chữ số; bắt buộc từ 18 tuổi, trẻ em "
            "thời đó thường chưa có; số sai định dạng luôn bị tính), ngày sinh và xã/phường cư trú ÷ số mũi hợp lệ "
            "trong tuần", "Valid doses whose person has a citizen ID number (12 digits; required from 18 years, as "
            "children then mostly had none; a malformed one always counts), a birth date and a residence commune "
            "÷ valid doses of the week"),
           ("Số mũi hợp lệ trong tuần", "Valid doses of the week"), MARTS_SOURCE,
           ("Theo ngày tiêm, 7 ngày kết thúc tại ngày đang xem", "By injection day, the 7 days ending on the day")),
    Metric("dq_timeliness",
           ("Kịp thời", "Timeliness"),
           ("Số mũi được nhập trong vòng 1 ngày sau ngày tiêm ÷ số mũi tiêm trong tuần",
            "Doses entered within 1 day of the injection ÷ doses injected in the week"),
           ("Số mũi hợp lệ trong tuần", "Valid doses of the week"), MARTS_SOURCE,
           ("Theo ngày tiêm", "By injection day")),
    Metric("dq_report",
           ("Nhất quán với báo cáo của tỉnh", "Consistency with the province's report"),
           ("Tỷ lệ ngày mà |số mũi trên nền tảng ÷ số mũi tỉnh báo cáo − 1| ≤ 10%; ngày lệch hơn 10% bị đánh dấu. "
            "Báo cáo là của tỉnh: các quận/huyện mang giá trị của tỉnh",
            "Share of days on which |platform doses ÷ the province's reported doses − 1| ≤ 10%; a day beyond 10% "
            "is flagged. The report is the province's: its districts carry the province's value"),
           ("Số ngày có báo cáo của tỉnh trong tuần", "Days of the week with a province report"),
           ("Nền tảng tiêm chủng và báo cáo nhanh hằng ngày của tỉnh", "The platform and the provinces' daily "
            "hand reports"), ("Theo ngày tiêm", "By injection day")),
    Metric("dq_stock",
           ("Nhất quán với kho vắc xin", "Consistency with vaccine stock"),
           ("Một quận/huyện không đạt khi số mũi đã tiêm vượt số liều đã cấp vào kho của huyện và các điểm tiêm "
            "(nhận trừ xuất đi, cộng dồn đến ngày đang xem), hoặc khi kho huyện hay một điểm tiêm có tồn kho âm "
            "của một lô vào cuối một ngày (tiêm hoặc xuất nhiều hơn đã nhận) — điều không thể xảy ra. "
            "Điểm = tỷ lệ quận/huyện đạt",
            "A district fails when its doses administered exceed the doses delivered to its district store and "
            "sites (received minus sent on, cumulative to the day), or when its district store or a site held "
            "less than zero doses of a lot at the end of a day (gave or issued more than it received) — which "
            "is impossible. Score = share of districts passing"),
           ("Số quận/huyện", "Districts"), ("Phiếu xuất nhập kho và bản ghi mũi tiêm → ETL → mart",
                                            "Stock movements and dose records → ETL → marts"),
           ("Cộng dồn đến ngày đang xem", "Cumulative to the day")),
    Metric("dq_dropout",
           ("Tỷ lệ bỏ mũi 1 → mũi 2", "Dropout, dose 1 → dose 2"),
           ("(Mũi 1 − mũi 2) ÷ mũi 1, vắc xin 2-3 mũi, trên các nhóm đã qua khoảng cách tối thiểu: mũi 1 tiêm đến "
            "ngày đang xem trừ khoảng cách tối thiểu của vắc xin, mũi 2 tiêm đến ngày đang xem. Tỷ lệ âm (mũi 2 "
            "nhiều hơn mũi 1) là dấu hiệu sai số liệu. Điểm = tỷ lệ quận/huyện không âm",
            "(Dose 1 − dose 2) ÷ dose 1 for 2-3 dose products, over cohorts past the minimum interval: first doses "
            "given by the day minus the product's minimum interval, second doses given by the day. A negative "
            "dropout (more second doses than first) is a data error. Score = share of districts not negative"),
           ("Số mũi 1 của các nhóm đã qua khoảng cách", "First doses of the cohorts past the interval"),
           MARTS_SOURCE, ("Theo ngày tiêm và quận/huyện của điểm tiêm", "By injection day and the site's district")),
    Metric("dq_outliers",
           ("Ngày bất thường", "Outlier days"),
           ("Điểm z hiệu chỉnh = 0,6745 × (x − trung vị) ÷ MAD của số mũi tiêm hằng ngày của quận/huyện trong 8 tuần "
            "trước đó (MAD = trung vị của |x − trung vị|); bất thường khi |z| > 3,5, rất bất thường khi |z| > 5. "
            "Khi MAD = 0 dùng cách của công cụ rà soát chất lượng số liệu của WHO: z = (x − trung vị) ÷ (1,2533 × "
            "độ lệch tuyệt đối trung bình); không đánh giá khi cả hai bằng 0. Điểm = tỷ lệ ngày-quận không bất "
            "thường",
            "Modified z-score = 0.6745 × (x − median) ÷ MAD of the district's daily doses over the preceding 8 "
            "weeks (MAD = median of |x − median|); an outlier when |z| > 3.5, extreme when |z| > 5. When the MAD is "
            "0, as in the WHO data-quality review app: z = (x − median) ÷ (1.2533 × mean absolute deviation); not "
            "judged when both are 0. Score = share of district-days that are not outliers"),
           ("Số ngày-quận được đánh giá trong tuần", "District-days judged in the week"), MARTS_SOURCE,
           ("Theo ngày tiêm", "By injection day")),
    Metric("dq_quarantine",
           ("Bản ghi bị cách ly", "Quarantined records"),
           ("Số bản ghi mũi tiêm bị ETL cách ly theo quy tắc (trùng lặp, sai thứ tự, ngày tương lai, ...) ; điểm = "
            "số mũi hợp lệ ÷ (hợp lệ + bị cách ly)", "Dose records the ETL quarantined, by rule (duplicate, out of "
            "order, future date, ...); score = valid doses ÷ (valid + quarantined)"),
           ("Số bản ghi hợp lệ và bị cách ly trong tuần", "Valid and quarantined records of the week"),
           ("Bảng cách ly của ETL (etl.quarantine) → mart", "The ETL's quarantine (etl.quarantine) → marts"),
           ("Theo ngày tiêm của bản ghi", "By the record's injection day")),
    Metric("dq_score",
           ("Điểm chất lượng số liệu tổng hợp", "Composite data-quality score"),
           ("Trung bình (0-100) của bảy điểm thành phần, mỗi điểm từ 0 đến 1: đầy đủ trường bắt buộc, kịp thời, "
            "nhất quán với báo cáo, nhất quán với kho, bỏ mũi không âm, ngày không bất thường, không bị cách ly "
            "(điểm không tính được thì bỏ qua). Xếp hạng 1 = tốt nhất; thay đổi hạng so với tuần trước (+ là tăng "
            "hạng)", "Mean (0-100) of the seven check scores, each 0 to 1: required fields complete, timeliness, "
            "consistency with the report, consistency with stock, dropout not negative, days not outliers, records "
            "not quarantined (a score that cannot be computed is left out). Rank 1 = best; rank change against the "
            "week before (+ moved up)"),
           ("Các tỉnh (quận/huyện) cùng cấp", "The provinces (districts) compared"), MARTS_SOURCE,
           ("7 ngày kết thúc tại ngày đang xem, so với 7 ngày trước đó", "The 7 days ending on the day, against the "
            "7 days before")),
    Metric("site_doses",
           ("Số mũi theo điểm tiêm", "Doses by site"),
           ("Số bản ghi mũi tiêm hợp lệ tại điểm tiêm", "Valid dose records at the site"),
           ("Không có: điểm tiêm không có dân số riêng", "None: a site has no population of its own"),
           MARTS_SOURCE, ("Theo ngày tiêm", "By injection date")),
)}


def metric_for_milestone(milestone: str) -> Metric:
    return CATALOGUE[{"first": "coverage_first", "full": "coverage_full", "booster": "coverage_booster"}[milestone]]
