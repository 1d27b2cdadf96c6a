"""Staff login: password, then a second factor; throttling, sessions, logout, audit."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.personas import (
    PASSWORD,
    login_verified,
    make_investigator,
    make_staff_without_2fa,
    make_supervisor,
    totp_code,
    totp_device,
)
from traceobject.models import AuditEntry

LOGIN = reverse("admin:login")
OTP = reverse("backoffice:otp")
INDEX = reverse("admin:index")
TIPS = reverse("admin:tips_tip_changelist")


def _password_step(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password, "next": TIPS})


@pytest.mark.django_db
def test_a_full_login_takes_password_then_code(client):
    user = make_investigator()
    response = _password_step(client, "investigator")
    assert response.status_code == 302 and response["Location"].startswith(OTP)
    assert client.get(TIPS)["Location"] == OTP  # nothing before the second factor
    response = client.post(OTP, {"token": totp_code(totp_device(user)), "next": TIPS})
    assert response.status_code == 302 and response["Location"] == TIPS
    assert client.get(TIPS).status_code == 200


@pytest.mark.django_db
def test_a_totp_code_cannot_be_used_twice(client):
    user = make_investigator()
    code = totp_code(totp_device(user))
    _password_step(client, "investigator")
    assert client.post(OTP, {"token": code})["Location"] == INDEX
    other = Client()
    _password_step(other, "investigator")
    response = other.post(OTP, {"token": code})
    assert response.status_code == 200
    assert "not valid" in response.content.decode()
    assert other.get(TIPS)["Location"] == OTP
    assert AuditEntry.objects.filter(action="otp_failed", actor_name="investigator").exists()


def _setup_link(email="newcomer@example.org", role="investigator"):
    out = io.StringIO()
    call_command("create_staff", email, "--role", role, stdout=out)
    return re.search(r"(/backoffice/setup/\S+/)", out.getvalue()).group(1)


@pytest.mark.django_db
def test_a_recovery_code_works_once(client):
    link = _setup_link()
    new = "a fresh long passphrase 19"
    client.post(link, {"new_password1": new, "new_password2": new})
    user = get_user_model().objects.get(username="newcomer@example.org")
    setup = client.get(OTP)
    secret = re.search(r'id="totp-secret">([A-Z2-7=]+)<', setup.content.decode()).group(1)
    assert 'src="data:image/svg+xml;base64,' in setup.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert secret  # the key is on our own page, the QR code is a data: URI (no third party)
    shown = client.post(OTP, {"token": totp_code(device)})
    codes = re.findall(r"<li><code>(\w+)</code></li>", shown.content.decode())
    assert len(codes) == 10 and StaticToken.objects.filter(device__user=user).count() == 10
    assert client.get(TIPS).status_code == 200
    for attempt, expected in ((1, INDEX), (2, None)):
        again = Client()
        _password_step(again, "newcomer@example.org", new)
        response = again.post(OTP, {"token": codes[0]})
        if expected:
            assert response["Location"] == expected, attempt
        else:
            assert response.status_code == 200 and again.get(TIPS)["Location"] == OTP


@pytest.mark.django_db
def test_a_password_alone_cannot_enrol_a_second_factor(client):
    user = make_staff_without_2fa()  # e.g. added in the admin with a password, no setup link
    _password_step(client, "newcomer")
    response = client.get(OTP)
    assert response.status_code == 403
    assert "setup link" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    client.post(OTP, {"token": "123456"})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(TIPS)["Location"] == OTP
    assert AuditEntry.objects.filter(action="otp_failed", detail__step="no_device").exists()


@pytest.mark.django_db
def test_login_is_throttled_per_account_and_not_globally(client):
    make_investigator()
    make_supervisor()
    for _ in range(5):
        assert _password_step(client, "investigator", "wrong password").status_code == 200
    response = _password_step(client, "investigator")  # even the right password now waits
    assert response.status_code == 429
    # Another account is not affected by the attack on the first.
    assert _password_step(Client(), "supervisor").status_code == 302
    assert AuditEntry.objects.filter(action="login_throttled").count() == 1


@pytest.mark.django_db
def test_a_very_long_password_is_refused_without_checking_it(client, django_assert_max_num_queries):
    make_investigator()
    response = _password_step(client, "investigator", PASSWORD + "x" * 5000)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_gives_a_new_session_id_and_the_second_factor_another(client):
    user = make_investigator()
    client.get(LOGIN)
    client.session.save()
    session = client.session
    session["seen"] = 1
    session.save()
    before = client.cookies["sessionid"].value
    _password_step(client, "investigator")
    after_password = client.cookies["sessionid"].value
    client.post(OTP, {"token": totp_code(totp_device(user))})
    after_otp = client.cookies["sessionid"].value
    assert len({before, after_password, after_otp}) == 3
    assert not Session.objects.filter(session_key=before).exists()


@pytest.mark.django_db
def test_an_idle_session_expires_after_30_minutes(client, settings):
    user = make_investigator()
    login_verified(client, user)
    assert client.get(TIPS).status_code == 200
    key = client.cookies["sessionid"].value
    expiry = Session.objects.get(session_key=key).expire_date
    # Each request pushes the expiry to 30 minutes from now (idle timeout, not absolute).
    assert abs((expiry - timezone.now()).total_seconds() - settings.SESSION_COOKIE_AGE) < 60
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # 31 idle minutes later the stored expiry has passed: the session no longer logs anyone in.
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timezone.timedelta(minutes=1)
    )
    assert client.get(TIPS)["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_a_password_change_ends_every_session_of_the_user_including_this_one(client):
    user = make_investigator()
    other = login_verified(Client(), user)
    assert other.get(TIPS).status_code == 200
    login_verified(client, user)
    old_key = client.cookies["sessionid"].value
    new = "another long passphrase 77"
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert response.redirect_chain[0] == (LOGIN, 302)
    assert "Log in again with the new password" in response.content.decode()
    assert other.get(TIPS)["Location"].startswith(LOGIN)
    assert client.get(TIPS)["Location"].startswith(LOGIN)
    assert not Session.objects.filter(session_key=old_key).exists()
    user.refresh_from_db()
    assert user.check_password(new)
    row = AuditEntry.objects.get(action="password_changed")
    assert (row.actor, row.target_id, row.detail) == (user, str(user.pk), {"own": True})
    assert new not in repr(list(AuditEntry.objects.values()))


@pytest.mark.django_db
def test_a_supervisor_changing_a_password_ends_that_users_sessions(client):
    investigator = make_investigator()
    theirs = login_verified(Client(), investigator)
    supervisor = make_supervisor()
    login_verified(client, supervisor)
    new = "another long passphrase 78"
    url = reverse("admin:auth_user_password_change", args=[investigator.pk])
    response = client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302
    assert theirs.get(TIPS)["Location"].startswith(LOGIN)
    assert client.get(TIPS).status_code == 200  # the supervisor's own session is untouched
    row = AuditEntry.objects.get(action="password_changed")
    assert (row.actor, row.target_id, row.detail) == (
        supervisor,
        str(investigator.pk),
        {"own": False},
    )


@pytest.mark.django_db
def test_a_supervisor_changing_their_own_password_on_the_user_page_is_logged_out(client):
    supervisor = make_supervisor()
    login_verified(client, supervisor)
    new = "another long passphrase 79"
    url = reverse("admin:auth_user_password_change", args=[supervisor.pk])
    response = client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert response["Location"] == LOGIN
    assert client.get(TIPS)["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_set_password_saved_anywhere_ends_the_sessions(client):
    user = make_investigator()
    login_verified(client, user)
    user.set_password("changed by a shell or a script 1")
    user.save()
    assert client.get(TIPS)["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_logout_is_post_only(client):
    login_verified(client, make_investigator())
    assert client.get(reverse("backoffice:logout")).status_code == 405
    assert client.get(reverse("admin:logout")).status_code == 405
    assert client.get(TIPS).status_code == 200
    client.post(reverse("backoffice:logout"))
    assert client.get(TIPS)["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_logins_are_audited_without_passwords_or_unknown_names(client):
    make_investigator()
    _password_step(client, "investigator", "Wrong-Secret-Passw0rd")
    _password_step(client, "Typed-My-Password-Here", "whatever")
    _password_step(client, "investigator")
    rows = list(AuditEntry.objects.order_by("pk").values_list("action", "actor_name"))
    assert rows[0] == ("login_failed", "investigator")
    assert rows[1][0] == "login_failed" and rows[1][1].startswith("unknown:")
    assert rows[2] == ("login", "investigator")
    dump = repr(list(AuditEntry.objects.values()))
    for secret in ("Wrong-Secret-Passw0rd", "Typed-My-Password-Here", PASSWORD):
        assert secret not in dump
    assert client.session.session_key not in dump


@pytest.mark.django_db
def test_create_staff_prints_a_one_time_setup_link(client, capsys):
    call_command("create_staff", "ana@example.org", "--role", "investigator")
    link = re.search(r"(/backoffice/setup/\S+/)", capsys.readouterr().out).group(1)
    new = "a fresh long passphrase 19"
    response = client.post(link, {"new_password1": new, "new_password2": new})
    assert response["Location"] == OTP
    assert "Set up your second factor" in client.get(OTP).content.decode()
    assert Client().get(link).status_code == 404  # used once


@pytest.mark.django_db
@pytest.mark.parametrize(
    "look_alike",
    [
        "ｉnvestigator",
        "INVESTIGATOR",
        " investigator ",
        "Investigator\u3000",
        "ｉｎｖｅｓｔｉｇａｔｏｒ",
    ],
)
def test_a_look_alike_username_shares_the_accounts_throttle(client, look_alike):
    make_investigator()
    for _ in range(5):
        _password_step(client, "investigator", "wrong password")
    response = _password_step(Client(), look_alike)  # the right password, another spelling
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    throttled = AuditEntry.objects.filter(action="login_throttled").get()
    assert throttled.actor_name == "investigator", "audited under the account it resolves to"


@pytest.mark.django_db
def test_look_alike_attempts_count_towards_the_same_account(client):
    make_investigator()
    spellings = ["ｉnvestigator", "INVESTIGATOR", "investigator ", "Investigator", "ｉｎvestigator"]
    for spelling in spellings:
        assert _password_step(Client(), spelling, "wrong password").status_code == 200
    assert _password_step(Client(), "investigator").status_code == 429
    failed = AuditEntry.objects.filter(action="login_failed").values_list("actor_name", flat=True)
    failed = set(failed)
    assert failed == {"investigator"}


@pytest.mark.django_db
def test_staff_can_log_in_while_the_rate_limit_cache_is_unreachable(client, settings, caplog):
    make_investigator()
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        },
    }
    response = _password_step(client, "investigator")
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert "rate-limit cache unreachable" in caplog.text
