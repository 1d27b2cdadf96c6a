"""Staff passwords are hashed with Argon2id; older PBKDF2 hashes verify and are upgraded.

The rest of the suite hashes with MD5 for speed (tests/conftest.py); the tests marked `argon2`
here run with the production PASSWORD_HASHERS, which the first one checks.
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import (
    MD5PasswordHasher,
    get_hasher,
    identify_hasher,
    make_password,
)
from django.urls import reverse

from tests.personas import PASSWORD, make_investigator

pytestmark = pytest.mark.django_db


@pytest.mark.argon2
def test_the_marked_tests_use_the_production_hashers():
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "MD5PasswordHasher" not in " ".join(settings.PASSWORD_HASHERS)


def test_the_other_tests_hash_with_md5():
    assert get_hasher().algorithm == "md5"
    assert make_investigator().password.startswith("md5$")


@pytest.mark.argon2
def test_a_new_password_is_stored_as_argon2id():
    user = make_investigator()
    assert user.password.startswith("argon2$argon2id$")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert PASSWORD not in user.password
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "!")


@pytest.mark.argon2
def test_a_pbkdf2_hash_still_verifies_and_becomes_argon2id_at_the_next_login(client):
    user = make_investigator()
    get_user_model().objects.filter(pk=user.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    response = client.post(
        reverse("admin:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:otp"))  # the password was right
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


@pytest.mark.argon2
def test_an_md5_hash_is_not_accepted_by_the_production_hashers():
    # So nothing outside the tests can ever rely on the tests' fast hasher.
    user = make_investigator()
    md5 = MD5PasswordHasher()
    get_user_model().objects.filter(pk=user.pk).update(password=md5.encode(PASSWORD, md5.salt()))
    user.refresh_from_db()
    assert not user.check_password(PASSWORD)
