"""Staff accounts change only through backoffice.services: nobody gives more than they hold,
nobody changes their own role or access, nobody becomes a superuser through the back-office,
and every change is in the audit log with who, whom and what."""

import io
import re
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice import services
from backoffice.models import SetupLink
from backoffice.roles import CONTACT_PERMISSION, EDITOR, INVESTIGATOR, SUPERVISOR
from tests.personas import (
    PASSWORD,
    login_verified,
    make_editor,
    make_investigator,
    make_investigator_with_contact,
    make_staff,
)
from traceobject.models import AuditEntry

User = get_user_model()


def _state(user) -> tuple:
    """Everything about an account that decides what it may do."""
    user = User.objects.get(pk=user.pk)
    return (
        user.is_superuser,
        user.is_staff,
        user.is_active,
        services.staff_roles(user),
        sorted(services.staff_permissions(user)),
    )


def _account_manager_editor():
    """An editor who may manage accounts, but holds no tip permission and no contact access."""
    return make_staff(
        "manager", groups=[EDITOR], perms=["auth.change_user", "auth.add_user", "auth.view_user"]
    )


# --- No way to superuser through the back-office -------------------------------------------


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), f"{namespace}{p.name}"


BACKOFFICE = sorted(
    {(route, name) for route, name in _walk(get_resolver().url_patterns) if "backoffice/" in route}
)
ESCALATION = {
    "is_superuser": "on",
    "is_staff": "on",
    "is_active": "on",
    "role": SUPERVISOR,
    "username": "supervisor",
    "email": "supervisor@example.org",
    "_save": "Save",
}


def _kwargs(route: str, user) -> dict:
    names = re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)
    values = {
        "pk": user.pk,
        "object_id": user.pk,
        "id": user.pk,
        "app_label": "auth",
        "content_type_id": ContentType.objects.get_for_model(User).pk,
        "token": "not-a-token",
    }
    return {name: values[name] for name in names}


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), BACKOFFICE, ids=[n for _, n in BACKOFFICE])
def test_no_backoffice_post_makes_a_supervisor_a_superuser_or_gives_them_more(
    client, supervisor, route, name
):
    before = _state(supervisor)
    login_verified(client, supervisor)
    data = {
        **ESCALATION,
        "groups": list(Group.objects.values_list("pk", flat=True)),
        "user_permissions": list(Permission.objects.values_list("pk", flat=True)),
    }
    client.post(reverse(name, kwargs=_kwargs(route, supervisor)), data)
    assert _state(supervisor) == before
    assert not User.objects.filter(is_superuser=True).exists()
    assert (
        not User.objects.filter(user_permissions__isnull=False)
        .exclude(user_permissions__codename=CONTACT_PERMISSION.split(".")[1])
        .exists()
    )


@pytest.mark.django_db
def test_posting_is_superuser_to_the_account_page_is_refused_and_changes_nothing(
    client, supervisor
):
    login_verified(client, supervisor)
    url = reverse("admin:auth_user_change", args=[supervisor.pk])
    response = client.post(url, {**ESCALATION, "groups": [Group.objects.get(name=SUPERVISOR).pk]})
    assert response.status_code == 405
    supervisor.refresh_from_db()
    assert not supervisor.is_superuser


@pytest.mark.django_db
def test_the_admin_add_view_refuses_a_post_and_leads_to_the_staff_form(client, supervisor):
    login_verified(client, supervisor)
    url = reverse("admin:auth_user_add")
    data = {"username": "root2", "password1": PASSWORD, "password2": PASSWORD, **ESCALATION}
    assert client.post(url, data).status_code == 405
    assert not User.objects.filter(username="root2").exists()
    assert client.get(url)["Location"] == reverse("backoffice:staff_add")


@pytest.mark.django_db
def test_the_account_page_has_no_editable_field_and_offers_the_actions(client, supervisor):
    investigator = make_investigator()
    login_verified(client, supervisor)
    page = client.get(reverse("admin:auth_user_change", args=[investigator.pk])).content.decode()
    for field in ("is_superuser", "is_staff", "groups", "user_permissions", "password", "email"):
        assert f'name="{field}"' not in page
    for action in (
        "staff_role",
        "staff_contact_grant",
        "staff_deactivate",
        "staff_setup_link",
        "staff_reset_2fa",
    ):
        assert reverse(f"backoffice:{action}", args=[investigator.pk]) in page
    assert 'value="Editor"' in page and 'value="Supervisor"' in page


@pytest.mark.django_db
def test_a_supervisors_own_page_offers_no_change_of_role_or_access(client, supervisor):
    login_verified(client, supervisor)
    page = client.get(reverse("admin:auth_user_change", args=[supervisor.pk])).content.decode()
    assert reverse("backoffice:staff_role", args=[supervisor.pk]) not in page
    assert reverse("backoffice:staff_deactivate", args=[supervisor.pk]) not in page
    assert "Nobody may change their own role" in page


# --- Refusals -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("backoffice:staff_role", {"role": EDITOR}),
        ("backoffice:staff_contact_revoke", {}),
        ("backoffice:staff_deactivate", {}),
    ],
)
def test_a_supervisor_cannot_change_their_own_role_or_access(client, supervisor, name, data):
    before = _state(supervisor)
    login_verified(client, supervisor)
    response = client.post(reverse(name, args=[supervisor.pk]), data)
    assert response.status_code == 403
    assert "Nobody may change their own role" in response.content.decode()
    assert _state(supervisor) == before
    refused = AuditEntry.objects.get(action="staff_refused")
    assert (refused.actor, refused.target_id) == (supervisor, str(supervisor.pk))


@pytest.mark.django_db
def test_the_services_refuse_a_change_of_ones_own_role():
    supervisor = make_staff("boss", groups=[SUPERVISOR])
    with pytest.raises(services.StaffChangeRefused):
        services.staff_role_change(user=supervisor, role=EDITOR, by=supervisor)
    with pytest.raises(services.StaffChangeRefused):
        services.staff_deactivate(user=supervisor, by=supervisor)
    assert services.staff_roles(supervisor) == [SUPERVISOR]


@pytest.mark.django_db
def test_nobody_grants_a_role_with_a_permission_they_do_not_hold(client):
    manager, editor = _account_manager_editor(), make_editor()
    login_verified(client, manager)
    response = client.post(
        reverse("backoffice:staff_role", args=[editor.pk]), {"role": INVESTIGATOR}
    )
    assert response.status_code == 403
    assert "tips.change_tip" in response.content.decode()
    assert services.staff_roles(editor) == [EDITOR]
    with pytest.raises(services.StaffChangeRefused):
        services.staff_role_change(user=editor, role=SUPERVISOR, by=manager)
    assert services.staff_roles(editor) == [EDITOR]


@pytest.mark.django_db
def test_nobody_grants_contact_access_they_do_not_have(client):
    manager, editor = _account_manager_editor(), make_editor()
    login_verified(client, manager)
    response = client.post(reverse("backoffice:staff_contact_grant", args=[editor.pk]))
    assert response.status_code == 403
    assert not services.staff_has_contact_access(editor)
    assert AuditEntry.objects.filter(action="staff_refused", target_id=str(editor.pk)).exists()


@pytest.mark.django_db
def test_nobody_creates_an_account_with_more_than_they_hold(client):
    manager = _account_manager_editor()
    login_verified(client, manager)
    data = {"email": "new@example.org", "role": SUPERVISOR}
    response = client.post(reverse("backoffice:staff_add"), data)
    assert response.status_code == 403
    assert not User.objects.filter(username="new@example.org").exists()
    page = client.get(reverse("backoffice:staff_add")).content.decode()
    assert '<option value="Editor"' in page and '<option value="Supervisor"' not in page


@pytest.mark.django_db
def test_nobody_acts_on_an_account_that_holds_more_than_they_do(client, supervisor):
    manager = _account_manager_editor()
    login_verified(client, manager)
    for name in (
        "backoffice:staff_deactivate",
        "backoffice:staff_setup_link",
        "backoffice:staff_reset_2fa",
    ):
        assert client.post(reverse(name, args=[supervisor.pk])).status_code == 403
    supervisor.refresh_from_db()
    assert supervisor.is_active and TOTPDevice.objects.filter(user=supervisor).exists()


@pytest.mark.django_db
def test_a_supervisor_cannot_act_on_a_superuser(client, supervisor):
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD, is_staff=True)
    for change in (
        lambda: services.staff_role_change(user=root, role=EDITOR, by=supervisor),
        lambda: services.staff_deactivate(user=root, by=supervisor),
        lambda: services.staff_contact_access_revoke(user=root, by=supervisor),
        lambda: services.staff_setup_link_issue(user=root, by=supervisor),
    ):
        with pytest.raises(services.StaffChangeRefused, match="superuser"):
            change()
    login_verified(client, supervisor)
    url = reverse("admin:auth_user_password_change", args=[root.pk])
    response = client.post(
        url, {"password1": "x" * 20, "password2": "x" * 20, "usable_password": "true"}
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.is_active and root.check_password(PASSWORD)


@pytest.mark.django_db
def test_contact_access_that_comes_with_the_role_cannot_be_revoked_alone(client, supervisor):
    other = make_staff("boss2", groups=[SUPERVISOR])
    with pytest.raises(services.StaffChangeRefused, match="comes with"):
        services.staff_contact_access_revoke(user=other, by=supervisor)
    assert services.staff_has_contact_access(other)


@pytest.mark.django_db
def test_an_unknown_role_is_a_400_and_changes_nothing(client, supervisor):
    investigator = make_investigator()
    login_verified(client, supervisor)
    url = reverse("backoffice:staff_role", args=[investigator.pk])
    response = client.post(url, {"role": "Superuser"})
    assert response.status_code == 400
    assert services.staff_roles(investigator) == [INVESTIGATOR]


# --- What each service does and records ---------------------------------------------------


def _entry(action: str) -> AuditEntry:
    return AuditEntry.objects.get(action=action)


@pytest.mark.django_db
def test_staff_add_creates_an_account_and_shows_its_setup_link_once(client, supervisor):
    login_verified(client, supervisor)
    data = {
        "email": "ana@example.org",
        "role": INVESTIGATOR,
        "contact_access": "on",
        "is_superuser": "on",
    }
    page = client.post(reverse("backoffice:staff_add"), data).content.decode()
    ana = User.objects.get(username="ana@example.org")
    assert ana.is_staff and not ana.is_superuser and not ana.has_usable_password()
    assert services.staff_roles(ana) == [INVESTIGATOR] and services.staff_has_contact_access(ana)
    token = re.search(r"/backoffice/setup/([\w-]+)/", page).group(1)
    assert SetupLink.objects.get(user=ana).token_hash == services.setup_link_token_hash(token)
    created = _entry("staff_created")
    assert (created.actor, created.target_id) == (supervisor, str(ana.pk))
    assert created.detail == {"role": INVESTIGATOR, "contact_access": True}
    assert _entry("setup_link").actor == supervisor
    assert token not in repr(list(AuditEntry.objects.values()))


@pytest.mark.django_db
def test_staff_add_refuses_an_address_that_has_an_account_in_any_case(client, supervisor):
    make_investigator()
    User.objects.filter(username="investigator").update(username="Ana@Example.org")
    login_verified(client, supervisor)
    response = client.post(
        reverse("backoffice:staff_add"), {"email": "ana@example.org", "role": EDITOR}
    )
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert User.objects.filter(username__iexact="ana@example.org").count() == 1
    assert not AuditEntry.objects.filter(action="staff_created").exists()


@pytest.mark.django_db
def test_a_role_change_is_audited_with_the_old_and_new_role(client, supervisor):
    investigator = make_investigator()
    login_verified(client, supervisor)
    response = client.post(
        reverse("backoffice:staff_role", args=[investigator.pk]), {"role": EDITOR}
    )
    assert response["Location"] == reverse("admin:auth_user_change", args=[investigator.pk])
    assert services.staff_roles(investigator) == [EDITOR]
    entry = _entry("staff_role")
    assert (entry.actor, entry.target_type, entry.target_id) == (
        supervisor,
        "auth.user",
        str(investigator.pk),
    )
    assert entry.detail == {"old": [INVESTIGATOR], "new": EDITOR}


@pytest.mark.django_db
def test_granting_and_revoking_contact_access_are_audited(client, supervisor):
    investigator = make_investigator()
    login_verified(client, supervisor)
    client.post(reverse("backoffice:staff_contact_grant", args=[investigator.pk]))
    assert services.staff_has_contact_access(investigator)
    client.post(reverse("backoffice:staff_contact_revoke", args=[investigator.pk]))
    assert not services.staff_has_contact_access(investigator)
    for action in ("contact_granted", "contact_revoked"):
        entry = _entry(action)
        assert (entry.actor, entry.target_id) == (supervisor, str(investigator.pk))


@pytest.mark.django_db
def test_a_deactivated_account_is_logged_out_and_can_be_reactivated(client, supervisor):
    investigator = make_investigator_with_contact()
    theirs = login_verified(Client(), investigator)
    tips = reverse("admin:tips_tip_changelist")
    assert theirs.get(tips).status_code == 200
    login_verified(client, supervisor)
    client.post(reverse("backoffice:staff_deactivate", args=[investigator.pk]))
    assert theirs.get(tips)["Location"].startswith(reverse("admin:login"))
    assert _entry("staff_deactivated").target_id == str(investigator.pk)
    client.post(reverse("backoffice:staff_reactivate", args=[investigator.pk]))
    investigator.refresh_from_db()
    assert investigator.is_active
    assert services.staff_has_contact_access(investigator)  # as it was
    assert _entry("staff_reactivated").actor == supervisor


@pytest.mark.django_db
def test_an_unchanged_role_writes_nothing(supervisor):
    investigator = make_investigator()
    assert services.staff_role_change(user=investigator, role=INVESTIGATOR, by=supervisor) is False
    assert not AuditEntry.objects.filter(action="staff_role").exists()


@pytest.mark.django_db
def test_create_staff_goes_through_the_service_and_is_audited():
    call_command("create_staff", "ana@example.org", "--role", "supervisor", stdout=io.StringIO())
    ana = User.objects.get(username="ana@example.org")
    assert services.staff_roles(ana) == [SUPERVISOR] and not ana.is_superuser
    entry = _entry("staff_created")
    assert (entry.actor, entry.actor_name) == (None, "create_staff")
    assert _entry("setup_link").actor_name == "create_staff"
    with pytest.raises(Exception, match="already has an account"):
        call_command("create_staff", "ANA@example.org", "--role", "editor", stdout=io.StringIO())


# --- In the database, for good --------------------------------------------------------------


def _audit_dump() -> str:
    db = connection.settings_dict
    return subprocess.run(
        [
            "pg_dump",
            "--host",
            db["HOST"] or "127.0.0.1",
            "--port",
            str(db["PORT"] or 5432),
            "--username",
            db["USER"] or "postgres",
            "--no-password",
            "--data-only",
            "--table",
            "backoffice_auditentry",
            db["NAME"],
        ],
        check=True,
        capture_output=True,
        timeout=120,
        text=True,
    ).stdout


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_every_staff_account_change_is_in_a_database_dump(client):
    supervisor = make_staff("supervisor", groups=[SUPERVISOR])
    login_verified(client, supervisor)
    client.post(reverse("backoffice:staff_add"), {"email": "ana@example.org", "role": EDITOR})
    ana = User.objects.get(username="ana@example.org")
    for name, data in [
        ("staff_role", {"role": INVESTIGATOR}),
        ("staff_contact_grant", {}),
        ("staff_contact_revoke", {}),
        ("staff_deactivate", {}),
        ("staff_reactivate", {}),
        ("staff_setup_link", {}),
        ("staff_reset_2fa", {}),
    ]:
        assert client.post(reverse(f"backoffice:{name}", args=[ana.pk]), data).status_code < 400
    client.post(reverse("backoffice:staff_role", args=[supervisor.pk]), {"role": EDITOR})
    rows = [line.split("\t") for line in _audit_dump().splitlines() if "\tsupervisor\t" in line]
    # COPY columns: id, at, actor_name, action, target_type, target_id, detail, actor_id.
    found = {(row[3], row[5]) for row in rows}
    changes = [
        "staff_created",
        "staff_role",
        "contact_granted",
        "contact_revoked",
        "staff_deactivated",
        "staff_reactivated",
        "setup_link",
        "otp_reset",
    ]
    for action in changes:
        assert (action, str(ana.pk)) in found, action
    assert ("staff_refused", str(supervisor.pk)) in found
