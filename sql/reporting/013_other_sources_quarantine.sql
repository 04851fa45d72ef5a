-- Issue 10, points 9-10 for the test samples, identity verifications and citizen feedback: an impossible time
-- or a missing person is quarantined (the row leaves staging, as an implausible hand report does), never a
-- failed run, a nonsense day in a mart or a row dropped by an inner join.
INSERT INTO etl.rule VALUES
    ('T01_impossible_time', 'test_sample', 'quarantine',
     'Mẫu xét nghiệm có thời điểm lấy mẫu hoặc trả kết quả không thể có (vô hạn, trước 2000 hoặc từ 2100)',
     'Test sample collected or resulted at an impossible time (infinite, before 2000 or from 2100)'),
    ('V01_impossible_time', 'identity_verification', 'quarantine',
     'Lần đối chiếu định danh có thời điểm không thể có (vô hạn, trước 2000 hoặc từ 2100)',
     'Identity check at an impossible time (infinite, before 2000 or from 2100)'),
    ('V02_unknown_person', 'identity_verification', 'quarantine',
     'Đối chiếu định danh của một người không có trong hệ thống, hoặc không có nơi cư trú lẫn mũi tiêm hợp lệ'
     || ' tại điểm tiêm đã biết (thử lại khi người đó hoặc mũi tiêm xuất hiện)',
     'Identity check of a person the platform does not return, or with neither a residence commune nor a valid'
     || ' dose at a known site (retried when the person or a dose appears)'),
    ('C01_impossible_time', 'citizen_feedback', 'quarantine',
     'Phản ánh của người dân có thời điểm nhận hoặc xử lý không thể có (vô hạn, trước 2000 hoặc từ 2100)',
     'Citizen feedback received or resolved at an impossible time (infinite, before 2000 or from 2100)'),
    ('C02_unknown_person', 'citizen_feedback', 'quarantine',
     'Phản ánh của một người không có trong hệ thống, hoặc không có nơi cư trú lẫn mũi tiêm hợp lệ'
     || ' tại điểm tiêm đã biết (thử lại khi người đó hoặc mũi tiêm xuất hiện)',
     'Citizen feedback of a person the platform does not return, or with neither a residence commune nor a valid'
     || ' dose at a known site (retried when the person or a dose appears)');

-- Rows staged before these rules may carry an impossible day: the next run is a rebuild, which applies them.
DELETE FROM etl.watermark;
