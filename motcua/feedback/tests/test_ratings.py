"""Rating a returned dossier: the service, the portal page, the counter tablet and the API."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from motcua.accounts.roles import AccountKind
from motcua.accounts.testing import verified_staff_client
from motcua.core.errors import Conflict, InvalidInput
from motcua.dossiers.factories import UserFactory
from motcua.dossiers.models import Dossier
from motcua.feedback.models import Criterion, Level, Rating, RatingChannel
from motcua.feedback.services.ratings import is_negative, rating_create
from motcua.feedback.tests.conftest import returned

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.feedback.tests.urls")]

REQUIRED = [c.value for c in Criterion if c not in (Criterion.EXPLANATIONS, Criterion.ONLINE_SERVICE, Criterion.OTHER)]


def answers(level: str = Level.SATISFIED, **overrides: str) -> dict[str, str]:
    return {**dict.fromkeys(REQUIRED, str(level)), **overrides}


def form_data(level: str = Level.SATISFIED, **overrides: str) -> dict[str, str]:
    return {**answers(level, **overrides), "comment": "Cán bộ nhiệt tình"}


# --- the service ---------------------------------------------------------------------------------


def test_the_owner_rates_a_returned_dossier_once(province, returned_dossier):
    rating = rating_create(dossier=returned_dossier, answers=answers(), rater=province.citizen)

    assert rating.rater_key == f"user:{province.citizen.pk}"
    assert not rating.negative
    with pytest.raises(Conflict):
        rating_create(dossier=returned_dossier, answers=answers(Level.NOT_SATISFIED), rater=province.citizen)
    assert Rating.objects.get().negative is False


def test_a_tablet_rating_counts_as_the_owner_s_rating(province, returned_dossier):
    rating_create(dossier=returned_dossier, answers=answers(), channel=RatingChannel.COUNTER_TABLET)

    with pytest.raises(Conflict):
        rating_create(dossier=returned_dossier, answers=answers(), rater=province.citizen)
    assert Rating.objects.count() == 1


def test_any_not_yet_satisfied_criterion_makes_the_rating_negative():
    assert is_negative(answers(Level.VERY_SATISFIED, attitude=Level.NOT_SATISFIED))
    assert not is_negative(answers(Level.VERY_SATISFIED, attitude=Level.SATISFIED))


def test_a_dossier_not_returned_cannot_be_rated(province):
    dossier = province.accept(province.online())

    with pytest.raises(Conflict) as refused:
        rating_create(dossier=dossier, answers=answers(), rater=province.citizen)

    assert refused.value.code == "not_returned"
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        ({"speed": Level.SATISFIED}, "unknown_criterion"),
        ({"attitude": "great"}, "unknown_level"),
        ({"overall": ""}, "unknown_level"),
    ],
)
def test_unknown_criteria_and_levels_are_refused(province, returned_dossier, bad, code):
    with pytest.raises(InvalidInput) as refused:
        rating_create(dossier=returned_dossier, answers={**answers(), **bad}, rater=province.citizen)

    assert refused.value.code == code
    assert not Rating.objects.exists()


def test_every_required_criterion_must_be_answered(province, returned_dossier):
    partial = answers()
    del partial["attitude"]

    with pytest.raises(InvalidInput) as refused:
        rating_create(dossier=returned_dossier, answers=partial, rater=province.citizen)

    assert refused.value.code == "missing_criterion"
    assert not Rating.objects.exists()


# --- the portal page -----------------------------------------------------------------------------


def test_the_owner_rates_on_the_portal_and_is_thanked(client, province, returned_dossier):
    client.force_login(province.citizen)
    url = reverse("feedback:rate", args=[returned_dossier.code])

    page = client.get(url)
    response = client.post(url, form_data(attitude=Level.NOT_SATISFIED))

    assert page.status_code == 200
    assert 'type="radio"' in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:thanks")
    rating = Rating.objects.get()
    assert rating.channel == RatingChannel.PORTAL
    assert rating.negative
    assert rating.comment == "Cán bộ nhiệt tình"


def test_a_missing_answer_shows_the_error_summary_and_writes_nothing(client, province, returned_dossier):
    client.force_login(province.citizen)
    data = form_data()
    del data["overall"]

    response = client.post(reverse("feedback:rate", args=[returned_dossier.code]), data)

    assert response.status_code == 422
    assert 'class="error-summary"' in response.content.decode()
    assert not Rating.objects.exists()


def test_another_citizen_and_staff_get_404_and_visitors_log_in(client, province, returned_dossier):
    url = reverse("feedback:rate", args=[returned_dossier.code])
    assert client.get(url).status_code == 302  # to the login page

    client.force_login(UserFactory(kind=AccountKind.CITIZEN))
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404

    verified_staff_client(client, province.a.officer)
    assert client.get(url).status_code == 404
    assert not Rating.objects.exists()


def test_the_rating_page_says_when_the_dossier_cannot_be_rated_yet(client, province):
    dossier = province.accept(province.online())
    client.force_login(province.citizen)

    response = client.post(reverse("feedback:rate", args=[dossier.code]), form_data())

    assert response.status_code == 409
    assert not Rating.objects.exists()


# --- the counter tablet --------------------------------------------------------------------------


def test_the_counter_officer_opens_the_tablet_and_the_applicant_rates(client, province):
    dossier = returned(province, online=False)
    verified_staff_client(client, province.a.officer)

    response = client.post(reverse("feedback:tablet", args=[dossier.code]), form_data())

    assert response.status_code == 302
    rating = Rating.objects.get()
    assert rating.channel == RatingChannel.COUNTER_TABLET
    assert rating.officer == province.a.officer
    assert rating.rater is None


def test_an_officer_of_another_unit_gets_404_on_the_tablet(client, province):
    dossier = returned(province, online=False)
    verified_staff_client(client, province.b.officer)

    assert client.get(reverse("feedback:tablet", args=[dossier.code])).status_code == 404
    assert client.post(reverse("feedback:tablet", args=[dossier.code]), form_data()).status_code == 404
    assert not Rating.objects.exists()


def test_a_specialist_cannot_open_the_tablet(client, province):
    dossier = returned(province, online=False)
    verified_staff_client(client, province.a.specialist)

    assert client.get(reverse("feedback:tablet", args=[dossier.code])).status_code == 404


# --- the API -------------------------------------------------------------------------------------


def _post(client, code: str, body: dict) -> object:
    return client.post(f"/api/v1/ratings/{code}", json.dumps(body), content_type="application/json")


def test_api_the_owner_rates_then_reads_and_cannot_rate_twice(client, province, returned_dossier):
    client.force_login(province.citizen)

    created = _post(client, returned_dossier.code, {"answers": answers(), "comment": "Tốt"})
    again = _post(client, returned_dossier.code, {"answers": answers()})
    read = client.get(f"/api/v1/ratings/{returned_dossier.code}")

    assert created.status_code == 201
    assert created.json()["negative"] is False
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_rated"
    assert read.status_code == 200
    assert read.json()["count"] == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"answers": {"speed": "satisfied"}}, 400, "unknown_criterion"),
        ({"answers": {**answers(), "overall": "meh"}}, 400, "unknown_level"),
        ({"comment": "no answers"}, 400, "invalid_input"),
    ],
)
def test_api_bad_ratings_are_refused_and_change_nothing(client, province, returned_dossier, body, status, code):
    client.force_login(province.citizen)

    response = _post(client, returned_dossier.code, body)

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert not Rating.objects.exists()


def test_api_not_returned_not_yours_and_anonymous(client, province, returned_dossier):
    open_dossier = province.accept(province.online())
    client.force_login(province.citizen)
    assert _post(client, open_dossier.code, {"answers": answers()}).status_code == 409

    client.force_login(UserFactory(kind=AccountKind.CITIZEN))
    assert _post(client, returned_dossier.code, {"answers": answers()}).status_code == 404
    client.logout()
    assert _post(client, returned_dossier.code, {"answers": answers()}).status_code == 401
    assert not Rating.objects.exists()
    assert Dossier.objects.get(pk=returned_dossier.pk).status == "returned"
