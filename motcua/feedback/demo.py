"""Demo ratings and feedback for the demo province (called by `motcua.demo.seed`)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from motcua.accounts.models import User
from motcua.accounts.roles import AccountKind
from motcua.core import clock
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Channel, Dossier
from motcua.feedback.models import Category, Criterion, FeedbackChannel, Level, Rating, RatingChannel
from motcua.feedback.services import feedback as fb
from motcua.feedback.services.ratings import rating_create
from motcua.workcalendar.services import next_working_day_start

TOPICS = (
    ("Thời gian chờ tại quầy quá lâu", "Sáng thứ Hai tôi phải chờ hơn một giờ mới được tiếp nhận hồ sơ."),
    ("Đề nghị công khai mẫu tờ khai", "Đề nghị niêm yết mẫu tờ khai điền sẵn tại Bộ phận Một cửa."),
    ("Thủ tục yêu cầu giấy tờ không cần thiết", "Cán bộ yêu cầu nộp thêm bản sao sổ hộ khẩu dù đã bỏ quy định này."),
    ("Hồ sơ trả kết quả chậm", "Hồ sơ của tôi đã quá hẹn nhưng chưa nhận được văn bản xin lỗi."),
    ("Cổng dịch vụ công khó sử dụng", "Không tải được tệp đính kèm lớn hơn 5 MB trên điện thoại."),
)
ANSWER = "Cơ quan đã tiếp thu, kiểm tra và chấn chỉnh; cảm ơn ông/bà đã phản ánh."


@dataclass(frozen=True)
class DemoFeedbackSummary:
    ratings: int
    feedback: int


def _answers(rng: random.Random) -> dict[str, str]:
    happy = rng.random() < 0.93  # most applicants are satisfied; a few are not yet
    levels = [Level.VERY_SATISFIED, Level.SATISFIED] if happy else [Level.SATISFIED, Level.NOT_SATISFIED]
    return {c.value: rng.choice(levels).value for c in Criterion if c != Criterion.OTHER}


def seed_demo_ratings(rng: random.Random, *, limit: int = 400) -> int:
    """Rate a sample of the returned demo dossiers (counter tablet for direct ones, else the portal)."""
    rated = Rating.objects.values_list("dossier_id", flat=True)
    returned = list(
        Dossier.objects.filter(status=Status.RETURNED).exclude(pk__in=rated).order_by("pk").values_list("pk", "channel")
    )
    count = 0
    for pk, channel in rng.sample(returned, min(limit, len(returned))):
        if rng.random() < 0.4:
            continue  # not everybody rates
        tablet = channel == Channel.DIRECT
        rating_create(
            dossier=Dossier.objects.get(pk=pk),
            answers=_answers(rng),
            channel=RatingChannel.COUNTER_TABLET if tablet else RatingChannel.PORTAL,
        )
        count += 1
    return count


def seed_demo_feedback(rng: random.Random, *, count: int = 24) -> DemoFeedbackSummary:
    """Ratings for returned demo dossiers and feedback items in every state, over the last months."""
    ratings = seed_demo_ratings(rng)
    officer = User.objects.filter(kind=AccountKind.STAFF, is_superuser=False).order_by("pk").first()
    dossiers = list(Dossier.objects.filter(status=Status.RETURNED).select_related("handling_unit")[:200])
    if officer is None or not dossiers:
        return DemoFeedbackSummary(ratings, 0)
    now = clock.now()
    for n in range(count):
        dossier = rng.choice(dossiers)
        title, content = TOPICS[n % len(TOPICS)]
        received = next_working_day_start(now - timedelta(days=rng.randint(20, 200)))
        category = (Category.DOSSIER, Category.OFFICER_UNIT, Category.REGULATION)[n % 3]
        item = fb.feedback_submit(
            data=fb.FeedbackInput(
                category=category,
                target_unit=dossier.handling_unit.code,
                title=title,
                content=content,
                contact_name="Người dân (dữ liệu mẫu)",
                contact_phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                dossier_code=dossier.code or "" if category == Category.DOSSIER else "",
            ),
            channel=rng.choice(FeedbackChannel.values),
            received_at=received,
        )
        _handle(rng, item, officer, now)
    return DemoFeedbackSummary(ratings, count)


def _handle(rng: random.Random, item: fb.Feedback, officer: User, now: datetime) -> None:
    roll = rng.random()
    later = min(now, item.received_at + timedelta(days=rng.randint(1, 25)))
    if roll < 0.1:
        fb.feedback_reject(feedback=item, officer=officer, reason="Nội dung thuộc phạm vi khiếu nại.", at=later)
    elif roll < 0.85:
        item = fb.feedback_answer(feedback=item, officer=officer, answer=ANSWER, at=later)
        if roll < 0.75:
            fb.feedback_publish(feedback=item, officer=officer, at=min(now, later + timedelta(days=rng.randint(0, 4))))
