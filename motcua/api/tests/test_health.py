import pytest

pytestmark = pytest.mark.django_db


def test_health_answers_ok(client):
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_docs_page_loads_swagger_from_the_app_not_a_cdn(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    body = response.content.decode()
    assert "cdn.jsdelivr" not in body
    assert "/static/ninja/" in body


def test_an_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing", headers={"accept-language": "en"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
