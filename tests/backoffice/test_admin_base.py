"""traceobject.admin.BackofficeModelAdmin: every back-office admin inherits it (system check
backoffice.E002), and a missing object is a 404 instead of Django's redirect with a message."""

import pytest
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from backoffice.checks import every_admin_is_a_backoffice_admin
from tests.personas import login_superuser_supervisor, login_verified, make_staff
from tips.models import Tag
from traceobject.admin import BackofficeModelAdmin


@pytest.fixture
def registered_for_a_test():
    """Registers an admin on the back-office site for one test, and takes it away again."""
    registered = []

    def register(model, admin_class):
        admin.site.register(model, admin_class)
        registered.append(model)

    yield register
    for model in registered:
        admin.site.unregister(model)


def _e002() -> list[str]:
    return [e.msg for e in every_admin_is_a_backoffice_admin() if e.id == "backoffice.E002"]


def test_every_registered_admin_passes_the_check():
    assert _e002() == []


def test_an_admin_that_does_not_inherit_the_base_class_fails_the_check(registered_for_a_test):
    registered_for_a_test(ContentType, admin.ModelAdmin)
    assert _e002() == [
        "The back-office admin of contenttypes.ContentType (ModelAdmin) does not inherit "
        "traceobject.admin.BackofficeModelAdmin."
    ]


def test_an_admin_that_overrides_the_allow_list_fails_the_check(registered_for_a_test):
    class OwnSearch(BackofficeModelAdmin):
        def get_search_fields(self, request):
            return ["model"]

    registered_for_a_test(ContentType, OwnSearch)
    errors = _e002()
    assert len(errors) == 1
    assert "(OwnSearch) overrides get_search_fields of the lookup allow-list" in errors[0]


def test_djangos_own_admin_in_front_of_the_base_class_fails_the_check(registered_for_a_test):
    # UserAdmin has its own lookup_allowed: in front, it would answer before the allow-list.
    class UserAdminFirst(UserAdmin, BackofficeModelAdmin):
        pass

    registered_for_a_test(ContentType, UserAdminFirst)
    errors = _e002()
    assert len(errors) == 1 and "overrides lookup_allowed of the lookup allow-list" in errors[0]


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_a_missing_object_is_a_404_not_a_redirect(client, view):
    login_superuser_supervisor(client)
    response = client.get(reverse(f"admin:tips_tag_{view}", args=[987654]))
    assert response.status_code == 404
    assert not list(response.wsgi_request._messages)


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_a_missing_object_is_a_403_to_someone_who_may_not_see_the_list(client, view):
    tag = Tag.objects.create(name="brand")
    login_verified(client, make_staff("nobody"))
    for object_id in (tag.pk, 987654):  # an existing and a missing one look the same
        response = client.get(reverse(f"admin:tips_tag_{view}", args=[object_id]))
        assert response.status_code == 403, object_id
