"""The demo seeding: ratings for returned dossiers and feedback in every state, reproducible."""

from __future__ import annotations

import random

import pytest

from motcua.feedback.demo import seed_demo_feedback
from motcua.feedback.models import Feedback, FeedbackStatus, Rating
from motcua.feedback.tests.conftest import returned, vn
from motcua.metrics.recompute import metrics_check

pytestmark = pytest.mark.django_db


def test_demo_feedback_rates_returned_dossiers_and_handles_feedback(province):
    for _ in range(6):
        returned(province, online=False)
    province.at(vn(2025, 12, 15))

    summary = seed_demo_feedback(random.Random(7), count=12)

    assert summary.feedback == Feedback.objects.count() == 12
    assert summary.ratings == Rating.objects.count() > 0
    assert Feedback.objects.filter(status=FeedbackStatus.PUBLISHED).exists()
    assert not Feedback.objects.filter(published_at__gt=vn(2025, 12, 15)).exists()
    assert metrics_check() == []
