from accounts.models import ApiToken
from accounts.services import token_create


def test_me_with_a_token(db, api_client, integrator, integrator_key):
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {integrator_key}")
    assert response.status_code == 200
    assert response.data["email"] == integrator.email
    assert response.data["roles"] == [{"role": "integrator", "scope": None}]


def test_bearer_is_accepted_too(db, api_client, integrator_key):
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {integrator_key}")
    assert response.status_code == 200


def test_a_bad_token_is_a_401_problem(db, api_client):
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token jnt_dead_beef")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Token"
    body = response.json()
    assert body["status"] == 401
    assert body["title"] == "Unauthorized"
    assert "revoked" in body["detail"]


def test_me_needs_authentication(db, api_client):
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_create_list_and_revoke_tokens_through_the_api(db, api_client, integrator, integrator_key):
    auth = {"HTTP_AUTHORIZATION": f"Token {integrator_key}"}
    created = api_client.post("/api/v1/tokens/", {"name": "partner app"}, format="json", **auth)
    assert created.status_code == 201
    new_key = created.data["key"]
    assert api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {new_key}").status_code == 200

    listed = api_client.get("/api/v1/tokens/", **auth)
    assert {t["name"] for t in listed.data["results"]} == {"tests", "partner app"}
    assert all("key" not in t for t in listed.data["results"])

    revoked = api_client.delete(f"/api/v1/tokens/{created.data['id']}/", **auth)
    assert revoked.status_code == 204
    assert api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {new_key}").status_code == 401
    assert ApiToken.objects.get(pk=created.data["id"]).revoked_at is not None


def test_a_token_without_a_name_is_a_field_error(db, api_as, citizen):
    response = api_as(citizen).post("/api/v1/tokens/", {"name": ""}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    assert not ApiToken.objects.exists()


def test_someone_elses_token_is_not_found(db, api_as, citizen, integrator):
    token, _key = token_create(user=integrator, name="theirs", actor=integrator)
    response = api_as(citizen).delete(f"/api/v1/tokens/{token.pk}/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
