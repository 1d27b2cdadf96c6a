"""The demo commands: `seed_demo` fills a gallery once, and both refuse production settings."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from objects.models import Category, ObjectImage, TraceObject
from tips.models import Tip


def _files(root) -> set[Path]:
    return {p for p in Path(root).rglob("*") if p.is_file()}


@pytest.mark.django_db
def test_seed_demo_creates_a_gallery_and_a_second_run_changes_nothing(client):
    call_command("seed_demo", stdout=io.StringIO())
    objects = TraceObject.objects.count()
    tips = Tip.objects.count()
    assert tips >= 20  # the triage queue has work in it
    assert Tip.objects.filter(status=Tip.Status.NEW).count() == tips
    assert 28 <= objects <= 32
    assert Category.objects.count() >= 6
    assert TraceObject.objects.identified().exists()
    assert ObjectImage.objects.filter(is_primary=True).count() == objects
    snapshot = (
        list(TraceObject.objects.values_list("number", "title", "updated_at").order_by("number")),
        list(ObjectImage.objects.values_list("pk", "renditions").order_by("pk")),
        _files(settings.MEDIA_PUBLIC_ROOT) | _files(settings.MEDIA_PRIVATE_ROOT),
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert Tip.objects.count() == tips
    assert snapshot == (
        list(TraceObject.objects.values_list("number", "title", "updated_at").order_by("number")),
        list(ObjectImage.objects.values_list("pk", "renditions").order_by("pk")),
        _files(settings.MEDIA_PUBLIC_ROOT) | _files(settings.MEDIA_PRIVATE_ROOT),
    )
    assert len(client.get(reverse("objects:gallery")).context["page"].object_list) == 24


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["seed_demo", "create_demo_login"])
@override_settings(DEBUG=False, DEMO_APP=False)
def test_demo_commands_refuse_production_settings_and_change_nothing(command):
    with pytest.raises(CommandError, match=f"{command} only runs in development") as excinfo:
        call_command(command, stdout=io.StringIO())
    assert "DEBUG=1, or DEMO_APP=1" in str(excinfo.value)
    assert not TraceObject.objects.exists() and not Category.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
@override_settings(DEBUG=True, DEMO_APP=False)
def test_create_demo_login_prints_a_login_per_role():
    out = io.StringIO()
    call_command("create_demo_login", stdout=out)
    for role, group in [
        ("investigator", "Investigator"),
        ("editor", "Editor"),
        ("supervisor", "Supervisor"),
    ]:
        user = get_user_model().objects.get(username=f"demo-{role}")
        assert user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [group]
        section = out.getvalue().split(f"    {role}:")[1]
        password = section.split("password: ")[1].split()[0]
        assert user.check_password(password)
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


@pytest.mark.django_db
def test_the_demo_flood_folds_into_a_few_leads():
    call_command("seed_demo", stdout=io.StringIO())
    from tips import selectors

    flooded = TraceObject.objects.filter(tips__isnull=False).order_by("-published_at").distinct()
    first, second = (selectors.object_leads(object_id=o.pk) for o in flooded[:2])
    assert [(a.label, a.support) for a in first[:3]] == [
        ("Biedronce", 14),
        ("Pepco", 4),
        ("Żabce", 2),
    ]
    assert [a.label for a in second[:3]] == ["Hema", "Action", "Kruidvat"]


@pytest.mark.django_db
@override_settings(DEBUG=True, DEMO_APP=False)
def test_create_demo_login_prints_a_fresh_login_with_a_second_factor_each_run():
    first = io.StringIO()
    call_command("create_demo_login", "--username", "demo", stdout=first)
    user = get_user_model().objects.get(username="demo")
    assert user.is_staff and user.is_superuser
    assert "user: demo" in first.getvalue() and "otpauth://" in first.getvalue()
    password = first.getvalue().split("password: ")[1].split()[0]
    assert user.check_password(password)
    recovery = first.getvalue().split("recovery code: ")[1].split()[0]
    assert StaticToken.objects.filter(device__user=user, token=recovery).exists()
    second = io.StringIO()
    call_command("create_demo_login", "--username", "demo", stdout=second)
    user.refresh_from_db()
    assert not user.check_password(password)
    assert TOTPDevice.objects.filter(user=user).count() == 1
