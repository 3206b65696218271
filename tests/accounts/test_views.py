import re

from django.core import mail

from accounts.models import ApiToken
from accounts.services import token_create


def test_login_with_email_and_logout(db, client, citizen):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    wrong = client.post("/accounts/login/", {"username": citizen.email, "password": "nope"})
    assert wrong.status_code == 200
    assert "correct email address and password" in wrong.text
    response = client.post(
        "/accounts/login/",
        {"username": citizen.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert client.get("/accounts/profile/").status_code == 200
    out = client.post("/accounts/logout/")
    assert out.status_code == 302
    assert client.get("/accounts/profile/").status_code == 302


def test_the_profile_needs_a_login(db, client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_password_reset_email_leads_to_a_new_password(db, client, citizen):
    response = client.post("/accounts/password/reset/", {"email": citizen.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a much better passphrase", "new_password2": "a much better passphrase"},
    )
    assert done.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("a much better passphrase")


def test_a_password_reset_for_an_unknown_email_sends_nothing_and_reveals_nothing(db, client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_new_token_key_is_shown_once(db, client_as, citizen):
    client = client_as(citizen)
    response = client.post("/accounts/tokens/new/", {"name": "kiosk"})
    assert response.status_code == 200
    key = re.search(r'value="(jnt_[^"]+)"', response.text).group(1)
    token = ApiToken.objects.get(user=citizen)
    assert token.name == "kiosk"
    profile = client.get("/accounts/profile/")
    assert token.display_key in profile.text
    assert key not in profile.text


def test_a_token_without_a_name_shows_the_field_error(db, client_as, citizen):
    response = client_as(citizen).post("/accounts/tokens/new/", {"name": ""})
    assert response.status_code == 400
    assert response.context["token_form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_revoking_a_token_from_the_profile(db, client_as, citizen):
    token, _key = token_create(user=citizen, name="kiosk", actor=citizen)
    response = client_as(citizen).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_can_revoke_someone_elses_token(db, client_as, citizen, integrator):
    token, _key = token_create(user=integrator, name="theirs", actor=integrator)
    response = client_as(citizen).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_preferred_language_is_saved_and_applied(db, client_as, citizen):
    client = client_as(citizen)
    response = client.post(
        "/accounts/profile/", {"full_name": "Cida", "preferred_language": "pt-br"}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.preferred_language == "pt-br"
    assert 'lang="pt-br"' in client.get("/accounts/profile/").text
