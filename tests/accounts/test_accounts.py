"""Getting a token without an administrator: sign up, see it, replace it; rate-limited."""

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-unusual-passphrase-42"


def sign_up(client, username="alice", **extra):
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", data, **extra)


def test_signing_up_logs_in_and_the_account_page_shows_the_token(client, django_user_model):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    user = django_user_model.objects.get(username="alice")
    page = client.get("/accounts/")
    token = Token.objects.get(user=user)
    assert token.key in page.content.decode()
    assert "export VIRTCOMPARE_TOKEN=" in page.content.decode()
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]


def test_a_weak_password_is_refused_with_the_reason(client, django_user_model):
    data = {"username": "bob", "password1": "123", "password2": "123"}
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    assert not django_user_model.objects.filter(username="bob").exists()


def test_sign_ups_are_rate_limited_per_address(client):
    for n in range(5):
        assert sign_up(client, f"user{n}").status_code == 302
        client.logout()
    response = sign_up(client, "one-too-many")
    assert response.status_code == 429
    assert "Too many sign-ups" in response.content.decode()


def test_log_in_attempts_are_rate_limited(client, django_user_model):
    django_user_model.objects.create_user("carol", password=PASSWORD)
    for _ in range(20):
        client.post("/accounts/login/", {"username": "carol", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "carol", "password": PASSWORD})
    assert response.status_code == 429


def test_log_in_goes_to_the_account_page(client, django_user_model):
    django_user_model.objects.create_user("dave", password=PASSWORD)
    response = client.post("/accounts/login/", {"username": "dave", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"


def test_the_account_page_needs_a_login(client):
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/"


def test_replacing_the_token_retires_the_old_one(client, django_user_model):
    user = django_user_model.objects.create_user("erin", password=PASSWORD)
    client.force_login(user)
    client.get("/accounts/")
    old = Token.objects.get(user=user).key
    assert client.get("/accounts/token/rotate/").status_code == 405
    assert client.post("/accounts/token/rotate/").status_code == 302
    new = Token.objects.get(user=user).key
    assert new != old
    answer = client.post(
        "/api/v1/runs/", "{}", content_type="application/json", HTTP_AUTHORIZATION=f"Token {old}"
    )
    assert answer.status_code == 401


def test_log_out_is_a_post(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("fay", password=PASSWORD))
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/accounts/").status_code == 302


def test_the_sign_up_page_in_chinese(client):
    client.cookies["django_language"] = "zh-hans"
    text = client.get("/accounts/signup/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "创建账号" in text


def test_the_sign_up_form_states_the_password_rules(client):
    text = client.get("/accounts/signup/").content.decode()
    assert "at least 12 characters" in text
