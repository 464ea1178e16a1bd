"""The HTTP API of dossiers and public tracking (SPEC §8)."""

import json

import pytest

from motcua.accounts.roles import AccountKind
from motcua.accounts.tokens import api_token_create
from motcua.dossiers.factories import ID_NUMBER, UserFactory, register
from motcua.dossiers.models import PersonalDataAccess

pytestmark = pytest.mark.django_db

BODY = {
    "procedure": "2.000815",
    "channel": "direct",
    "return_method": "counter",
    "applicant": {
        "kind": "person",
        "full_name": "Nguyễn Văn An",
        "id_number": ID_NUMBER,
        "date_of_birth": "1990-05-17",
        "address": "12 Phố Huế, Hà Nội",
        "phone": "0912345678",
        "email": "an@example.vn",
    },
    "components": [{"code": "TP1", "originals": 1, "copies": 0, "files": ["f-1"], "vault_document": None}],
    "form_data": {},
}


class Api:
    def __init__(self, client, user=None):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user)}"} if user else {}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(self, path, body=None, **headers):
        data = json.dumps(body) if body is not None else ""
        return self.client.post(f"/api/v1{path}", data=data, content_type="application/json", **self.headers, **headers)


@pytest.fixture
def as_officer(client, world):
    return Api(client, world.officer)


@pytest.fixture
def as_citizen(client, world):
    return Api(client, world.citizen)


def test_counter_officer_registers_and_the_dossier_is_accepted_at_once(as_officer):
    response = as_officer.post("/dossiers", BODY)

    assert response.status_code == 201
    body = response.json()
    assert body["code"] == "000.00.21.H99-250909-0001"
    assert body["status"] == "processing"
    assert body["due_at"] == "2025-09-16T09:00:00+07:00"
    assert body["warnings"] == []
    assert isinstance(body["id"], int)


def test_citizen_submits_online_and_waits_for_acceptance(as_citizen, world):
    response = as_citizen.post("/dossiers", {**BODY, "channel": "online", "receiving_unit": world.unit.code})

    assert response.status_code == 201
    assert response.json()["status"] == "submitted"
    assert response.json()["due_at"] is None


def test_an_integration_pushes_an_online_dossier_with_its_token(client, world):
    portal = UserFactory(username="dvcqg", kind=AccountKind.INTEGRATION)

    response = Api(client, portal).post("/dossiers", {**BODY, "channel": "online", "receiving_unit": world.unit.code})

    assert response.status_code == 201
    assert response.json()["status"] == "submitted"


def test_the_same_idempotency_key_returns_the_same_dossier(as_officer):
    first = as_officer.post("/dossiers", BODY, HTTP_IDEMPOTENCY_KEY="abc")
    again = as_officer.post("/dossiers", BODY, HTTP_IDEMPOTENCY_KEY="abc")
    changed = as_officer.post("/dossiers", {**BODY, "return_method": "post"}, HTTP_IDEMPOTENCY_KEY="abc")

    assert again.status_code == 201
    assert again.json()["code"] == first.json()["code"]
    assert changed.status_code == 409
    assert changed.json()["error"]["code"] == "idempotency_conflict"


def test_a_second_filing_the_same_day_comes_with_a_warning(as_officer):
    first = as_officer.post("/dossiers", BODY).json()

    second = as_officer.post("/dossiers", BODY).json()

    assert first["code"] in second["warnings"][0]


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"procedure": "9.999999"}, 404, "procedure"),
        ({"components": []}, 400, "components"),
        ({"applicant": {**BODY["applicant"], "id_number": "123"}}, 400, "applicant.id_number"),
        ({"channel": "fax"}, 400, "channel"),
        ({"receiving_unit": "000.00.22.H99"}, 403, None),
    ],
)
def test_bad_registrations_are_refused_with_a_reason(as_officer, change, status, field):
    response = as_officer.post("/dossiers", {**BODY, **change})

    assert response.status_code == status
    error = response.json()["error"]
    assert error["message"]
    assert error.get("field") == field


def test_a_malformed_body_is_a_400_not_a_500(as_officer):
    response = as_officer.post("/dossiers", {"applicant": "nobody"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"


def test_registration_needs_authentication(client, world):
    assert Api(client).post("/dossiers", BODY).status_code == 401


def test_list_is_scoped_to_the_officers_units_and_filters(client, world, as_officer):
    code = as_officer.post("/dossiers", BODY).json()["code"]

    mine = as_officer.get("/dossiers", status="processing", procedure="2.000815", unit=world.unit.code).json()
    theirs = Api(client, world.outsider).get("/dossiers").json()
    none = as_officer.get("/dossiers", status="returned").json()

    assert [d["code"] for d in mine["items"]] == [code]
    assert mine["items"][0]["status_label"]
    assert theirs == {"items": [], "count": 0}
    assert none["count"] == 0


def test_citizens_see_only_their_own_dossiers(client, world, as_citizen):
    register(world.officer, world.procedure)
    own = as_citizen.post("/dossiers", {**BODY, "channel": "online", "receiving_unit": world.unit.code}).json()

    listed = as_citizen.get("/dossiers").json()

    assert [d["code"] for d in listed["items"]] == [own["code"]]


def test_detail_shows_the_full_dossier_and_logs_the_staff_read(world, as_officer):
    code = as_officer.post("/dossiers", BODY).json()["code"]

    response = as_officer.get(f"/dossiers/{code}")

    assert response.status_code == 200
    body = response.json()
    assert body["handling_unit"] == "000.00.21.H99"
    assert body["receiving_unit_detail"]["name"] == "UBND xã An Bình"
    assert body["procedure"] == "2.000815"
    assert body["status"] == "processing"
    assert body["applicant"]["id_number"] == ID_NUMBER
    assert body["accepted_at"] == "2025-09-09T09:00:00+07:00"
    assert [c["code"] for c in body["components"]] == ["TP1"]
    assert body["fees"][0]["name"] == "Lệ phí"
    assert [s["name"] for s in body["steps"]] == ["Tiếp nhận hồ sơ", "Thẩm định hồ sơ"]
    assert body["due_explanation"][0]["kind"] == "basis"
    assert "withdraw" in body["allowed_actions"]
    assert "resolve" not in body["allowed_actions"]
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.dossier.code) == (world.officer, code)


def test_an_officer_of_another_unit_gets_404(client, world, as_officer):
    code = as_officer.post("/dossiers", BODY).json()["code"]
    outsider = Api(client, world.outsider)

    assert outsider.get(f"/dossiers/{code}").status_code == 404
    assert outsider.get(f"/dossiers/{code}/events").status_code == 404
    assert outsider.post(f"/dossiers/{code}/actions/withdraw", {}).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_owner_reads_the_dossier_without_an_access_log(world, as_citizen):
    code = as_citizen.post("/dossiers", {**BODY, "channel": "online", "receiving_unit": world.unit.code}).json()["code"]

    assert as_citizen.get(f"/dossiers/{code}").status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_actions_through_the_api(client, world, as_citizen):
    code = as_citizen.post("/dossiers", {**BODY, "channel": "online", "receiving_unit": world.unit.code}).json()["code"]
    officer = Api(client, world.officer)

    accepted = officer.post(f"/dossiers/{code}/actions/accept")
    again = officer.post(f"/dossiers/{code}/actions/accept")
    by_citizen = as_citizen.post(f"/dossiers/{code}/actions/resolve", {"outcome": "approved"})
    unknown = officer.post(f"/dossiers/{code}/actions/teleport", {})

    assert accepted.status_code == 200
    assert accepted.json()["status"] == "processing"
    assert accepted.json()["due_at"] == "2025-09-16T09:00:00+07:00"
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "transition_not_allowed"
    assert by_citizen.status_code == 403
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "unknown_action"


def test_action_bodies_carry_what_the_action_needs(client, world, as_officer):
    code = as_officer.post("/dossiers", BODY).json()["code"]
    specialist = Api(client, world.specialist)

    missing = specialist.post(f"/dossiers/{code}/actions/request_supplement", {"missing": []})
    asked = specialist.post(f"/dossiers/{code}/actions/request_supplement", {"missing": ["Tờ khai"], "note": "Ký tên"})
    bad_time = specialist.post(f"/dossiers/{code}/actions/apologize", {"reason": "x", "new_due_at": "tomorrow"})

    assert missing.status_code == 400
    assert asked.json()["status"] == "awaiting_supplement"
    assert bad_time.status_code == 400


def test_events_come_with_their_hashes(as_officer):
    code = as_officer.post("/dossiers", BODY).json()["code"]

    items = as_officer.get(f"/dossiers/{code}/events").json()["items"]

    assert [(e["sequence"], e["action"], e["from"], e["to"]) for e in items] == [
        (1, "submit", "draft", "submitted"),
        (2, "accept", "submitted", "processing"),
    ]
    assert items[1]["prev_hash"] == items[0]["hash"]
    assert items[0]["at"] == "2025-09-09T09:00:00+07:00"


def test_documents_list_is_empty_for_now(as_officer):
    code = as_officer.post("/dossiers", BODY).json()["code"]

    assert as_officer.get(f"/dossiers/{code}/documents").json() == {"items": []}


def test_public_tracking_shows_status_without_personal_data(client, as_officer):
    code = as_officer.post("/dossiers", BODY).json()["code"]

    response = client.get(f"/api/v1/track/{code}")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == code
    assert body["procedure_code"] == "2.000815"
    assert body["status"] == "processing"
    assert body["received_at"] == "2025-09-09T09:00:00+07:00"
    assert body["due_at"] == "2025-09-16T09:00:00+07:00"
    text = response.content.decode()
    for personal in ("Nguyễn Văn An", ID_NUMBER, "0912345678", "an@example.vn", "Phố Huế", "1990-05-17"):
        assert personal not in text


def test_tracking_an_unknown_code_is_404(client, db):
    response = client.get("/api/v1/track/000.00.21.H99-250909-9999")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
