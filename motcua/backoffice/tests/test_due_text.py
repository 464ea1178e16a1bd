"""The stored due-time explanation in words."""

from __future__ import annotations

from django.utils import translation

from motcua.backoffice.due_text import due_lines


def test_every_stored_item_reads_as_a_sentence():
    items = [
        {"kind": "basis", "amount": "5", "unit": "working_days", "after_15h": True},
        {"kind": "start_moved", "day": "2025-09-01", "at": "2025-09-03T00:00:00Z", "reason": "non_working_day"},
        {"kind": "skipped", "day": "2025-09-02", "day_kind": "holiday", "day_name": "Quốc khánh"},
        {"kind": "counted", "day": "2025-09-03", "hours": "8"},
        {"kind": "due", "day": "2025-09-09", "at": "2025-09-09T10:00:00Z", "hours": "40"},
        {"kind": "resume", "hours": "12.5"},
        {"kind": "imported"},
        {"kind": "from_the_future"},
    ]
    with translation.override("vi"):
        lines = due_lines(items)

    assert lines == [
        "Thời hạn giải quyết: 5 ngày làm việc. Tiếp nhận sau 15 giờ: theo quy định riêng của thủ tục, thời hạn "
        "được tính từ ngày làm việc tiếp theo.",
        "Không phải ngày làm việc: bắt đầu tính từ đầu giờ làm việc tiếp theo, 07:00 Thứ Tư 03/09/2025.",
        "Bỏ qua Thứ Ba 02/09/2025: ngày nghỉ lễ (Quốc khánh).",
        "Tính Thứ Tư 03/09/2025: 8 giờ làm việc.",
        "Hạn giải quyết: Thứ Ba 09/09/2025 lúc 17:00, sau 40 giờ làm việc.",
        "Tiếp tục tính thời gian sau khi thực hiện nghĩa vụ tài chính, còn lại 12,5 giờ làm việc.",
        "Thời gian hẹn trả kết quả được chuyển từ hệ thống cũ.",
    ]  # the unknown item is left out
