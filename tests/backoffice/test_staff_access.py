"""Supervisors' "new setup link" and "reset second factor", and the operator's command."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.models import SetupLink
from tests.personas import PASSWORD, login_verified, make_investigator, totp_code
from traceobject.models import AuditEntry

LOGIN = reverse("admin:login")
OTP = reverse("backoffice:otp")
TIPS = reverse("admin:tips_tip_changelist")
NEW = "a brand new long passphrase 5"


def _link(html: str) -> str:
    return re.search(r"(/backoffice/setup/[\w-]+/)", html).group(1)


def _with_recovery_codes(user):
    static = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    StaticToken.objects.create(device=static, token="abcd1234")


@pytest.mark.django_db
def test_the_staff_page_shows_both_buttons_to_a_supervisor(client, supervisor):
    investigator = make_investigator()
    login_verified(client, supervisor)
    page = client.get(reverse("admin:auth_user_change", args=[investigator.pk])).content.decode()
    assert reverse("backoffice:staff_setup_link", args=[investigator.pk]) in page
    assert reverse("backoffice:staff_reset_2fa", args=[investigator.pk]) in page


@pytest.mark.django_db
def test_a_new_setup_link_replaces_the_old_one_and_keeps_the_second_factor(client, supervisor):
    call_command("create_staff", "ana@example.org", "--role", "investigator", stdout=io.StringIO())
    ana = SetupLink.objects.get().user
    old = SetupLink.objects.get()
    login_verified(client, supervisor)
    url = reverse("backoffice:staff_setup_link", args=[ana.pk])
    assert client.get(url).status_code == 405
    page = client.post(url).content.decode()
    link = _link(page)
    assert not SetupLink.objects.filter(pk=old.pk).exists()  # the earlier link is dead
    assert SetupLink.objects.filter(user=ana, used_at__isnull=True).count() == 1
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in repr(list(SetupLink.objects.values()))  # stored hashed only
    assert token not in repr(list(AuditEntry.objects.values()))
    entry = AuditEntry.objects.get(action="setup_link", actor=supervisor)
    assert entry.target_id == str(ana.pk)
    newcomer = Client()
    response = newcomer.post(link, {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == OTP
    assert "Set up your second factor" in newcomer.get(OTP).content.decode()


@pytest.mark.django_db
def test_a_setup_link_for_an_account_with_a_second_factor_still_asks_for_a_code(supervisor):
    investigator = make_investigator()
    login_verified(supervisor_client := Client(), supervisor)
    link = _link(
        supervisor_client.post(
            reverse("backoffice:staff_setup_link", args=[investigator.pk])
        ).content.decode()
    )
    person = Client()
    person.post(link, {"new_password1": NEW, "new_password2": NEW})
    page = person.get(OTP).content.decode()
    assert "Set up your second factor" not in page and 'name="token"' in page
    assert person.get(TIPS)["Location"] == OTP
    assert TOTPDevice.objects.filter(user=investigator).count() == 1  # nothing new enrolled


@pytest.mark.django_db
def test_resetting_the_second_factor_ends_sessions_and_needs_the_new_link(client, supervisor):
    investigator = make_investigator()
    _with_recovery_codes(investigator)
    theirs = login_verified(Client(), investigator)
    assert theirs.get(TIPS).status_code == 200
    login_verified(client, supervisor)
    url = reverse("backoffice:staff_reset_2fa", args=[investigator.pk])
    assert client.get(url).status_code == 405
    page = client.post(url).content.decode()
    link = _link(page)
    assert not TOTPDevice.objects.filter(user=investigator).exists()
    assert not StaticToken.objects.filter(device__user=investigator).exists()
    # Every session of theirs has ended, and the old password opens nothing.
    assert theirs.get(TIPS)["Location"].startswith(LOGIN)
    again = Client()
    again.post(LOGIN, {"username": "investigator", "password": PASSWORD})
    assert "_auth_user_id" not in again.session
    # The new link: a new password, then a new authenticator.
    person = Client()
    person.post(link, {"new_password1": NEW, "new_password2": NEW})
    assert "Set up your second factor" in person.get(OTP).content.decode()
    device = TOTPDevice.objects.get(user=investigator, confirmed=False)
    person.post(OTP, {"token": totp_code(device)})
    assert person.get(TIPS).status_code == 200
    actions = list(
        AuditEntry.objects.filter(target_id=str(investigator.pk), target_type="auth.user")
        .order_by("pk")
        .values_list("action", "actor_id")
    )
    assert actions[:2] == [("otp_reset", supervisor.pk), ("setup_link", supervisor.pk)]
    assert AuditEntry.objects.get(action="otp_reset").detail == {
        "totp_devices": 1,
        "recovery_devices": 1,
    }


@pytest.mark.django_db
def test_an_investigator_cannot_reset_anyone(investigator_client, supervisor):
    for name in ("backoffice:staff_setup_link", "backoffice:staff_reset_2fa"):
        assert investigator_client.post(reverse(name, args=[supervisor.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=supervisor).exists()
    assert not SetupLink.objects.exists()


@pytest.mark.django_db
def test_the_command_resets_the_second_factor_for_the_operator():
    investigator = make_investigator()
    theirs = login_verified(Client(), investigator)
    out = io.StringIO()
    call_command("reset_staff_2fa", "investigator", "--base-url", "https://tao.example", stdout=out)
    link = re.search(r"https://tao\.example(/backoffice/setup/\S+/)", out.getvalue()).group(1)
    assert not TOTPDevice.objects.filter(user=investigator).exists()
    assert theirs.get(TIPS)["Location"].startswith(LOGIN)
    entry = AuditEntry.objects.get(action="otp_reset")
    assert (entry.actor, entry.actor_name) == (None, "reset_staff_2fa")
    person = Client()
    person.post(link, {"new_password1": NEW, "new_password2": NEW})
    assert "Set up your second factor" in person.get(OTP).content.decode()


@pytest.mark.django_db
def test_the_command_can_only_replace_the_link():
    investigator = make_investigator()
    out = io.StringIO()
    call_command("reset_staff_2fa", "investigator", "--link-only", stdout=out)
    assert "/backoffice/setup/" in out.getvalue()
    assert TOTPDevice.objects.filter(user=investigator).exists()
    investigator.refresh_from_db()
    assert investigator.check_password(PASSWORD)
    with pytest.raises(Exception, match="no account"):
        call_command("reset_staff_2fa", "nobody@example.org", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_supervisor_cannot_take_over_a_superuser_account(client, supervisor):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    login_verified(client, supervisor)
    for name in ("backoffice:staff_setup_link", "backoffice:staff_reset_2fa"):
        assert client.post(reverse(name, args=[root.pk])).status_code == 403
    assert not SetupLink.objects.exists()
    root.refresh_from_db()
    assert root.check_password(PASSWORD)
