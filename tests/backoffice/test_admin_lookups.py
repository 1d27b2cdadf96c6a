"""Every back-office list is filtered, ordered and searched only by what its admin declares, and
never by a secret (traceobject/admin_lookups.py), walked over every registered admin and every
field."""

import logging

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import FieldListFilter, SimpleListFilter
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.templatetags.admin_list import date_hierarchy, result_headers
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.roles import SUPERVISOR
from backoffice.site import BackofficeSite
from tests.factories import make_object, make_tip
from tests.personas import login_superuser_supervisor
from tips.models import Tag, Tip
from traceobject.admin import BackofficeModelAdmin
from traceobject.admin_lookups import LookupAllowList, is_secret
from traceobject.audit import audit_record

REGISTERED = [model for model in apps.get_models() if admin.site.is_registered(model)]
REGISTERED.sort(key=lambda model: model._meta.label)
LOOKUPS = ["exact", "startswith", "regex", "gt", "isnull"]


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.fixture
def world(db):
    obj = make_object()
    receipt = make_tip(obj, contact="me@example.org")
    Tag.objects.create(name="brand")
    audit_record(action="view", actor_name="someone")
    return receipt.tip


@pytest.fixture
def supervisor_client(client, world):
    return login_superuser_supervisor(client)


def _declared_parameters(model_admin, request) -> set[str]:
    """Every parameter a declared filter or the date hierarchy takes, as Django builds them."""
    model = model_admin.model
    names = set()
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            spec = item(request, {}, model, model_admin)
        else:
            path, cls = item if isinstance(item, list | tuple) else (item, FieldListFilter.create)
            field = get_fields_from_path(model, path)[-1]
            spec = cls(field, request, {}, model, model_admin, field_path=path)
        names |= set(spec.expected_parameters())
    if model_admin.date_hierarchy:
        names |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    return names


def _probes(model, declared: set[str]) -> list[str]:
    """Lookups on every field of the model (and every secret one step along a relation) that no
    declared filter takes."""
    probes = []
    for field in model._meta.get_fields():
        probes += [field.name] + [f"{field.name}__{lookup}" for lookup in LOOKUPS]
        if field.is_relation and field.related_model is not None:
            for other in field.related_model._meta.get_fields():
                if is_secret(other):
                    probes.append(f"{field.name}__{other.name}__startswith")
    probes.append("user__password__startswith")
    return [key for key in probes if key not in declared]


def test_every_registered_admin_has_the_allow_list():
    assert len(REGISTERED) >= 7
    assert all(isinstance(admin.site.get_model_admin(m), LookupAllowList) for m in REGISTERED)


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_a_lookup_no_filter_declares_is_a_400_on_every_list(supervisor_client, model):
    model_admin = admin.site.get_model_admin(model)
    request = RequestFactory().get("/")
    request.user = supervisor_client.user
    declared = _declared_parameters(model_admin, request)
    url = _changelist(model)
    answers = {}
    for key in _probes(model, declared):
        value = "1" if key.endswith("__isnull") else "8"
        answers[key] = supervisor_client.get(url, {key: value}).status_code
    assert len(answers) > 10
    assert {key: status for key, status in answers.items() if status != 400} == {}


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_a_list_is_ordered_only_by_the_columns_it_offers_to_sort(supervisor_client, model):
    url = _changelist(model)
    cl = supervisor_client.get(url).context["cl"]
    headers = list(result_headers(cl))
    for index, header in enumerate(headers):
        for order in (str(index), f"-{index}"):
            status = supervisor_client.get(url, {"o": order}).status_code
            assert status == (200 if header["sortable"] else 400), (header["text"], status)
    for junk in (str(len(headers)), "99", "x", "1.x", "--1", "key"):
        assert supervisor_client.get(url, {"o": junk}).status_code == 400, junk


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_filter_link_a_list_offers_still_works(supervisor_client, model):
    url = _changelist(model)
    cl = supervisor_client.get(url).context["cl"]
    # The first few links of each filter (the country filter alone offers some 250).
    links = [
        choice["query_string"] for spec in cl.filter_specs for choice in list(spec.choices(cl))[:6]
    ]
    if cl.date_hierarchy:
        links += [choice["link"] for choice in date_hierarchy(cl)["choices"]]
    for link in links:
        response = supervisor_client.get(url + link)
        assert response.status_code == 200, (link, response.status_code)
    if model_admin_filters := admin.site.get_model_admin(model).get_list_filter(None):
        assert links, model_admin_filters


@pytest.mark.django_db
def test_the_tip_list_refuses_the_review_s_lookups_and_keeps_its_own(supervisor_client, world):
    url = _changelist(Tip)
    tip = Tip.objects.get()
    for query in (
        {"receipt_hash__startswith": tip.receipt_hash[:2]},
        {"submission_hash__startswith": tip.submission_hash[:2]},
        {"contact_encrypted__isnull": "0"},
        {"assignee__password__startswith": "m"},
        {"status__regex": "."},
        {"status_changed_by__id__exact": "1"},
        {"_to_field": "receipt_hash"},
    ):
        assert supervisor_client.get(url, query).status_code == 400, query
    shown = supervisor_client.get(url, {"status__exact": "new", "has_contact": "yes", "o": "-1"})
    assert [t.pk for t in shown.context["cl"].result_list] == [tip.pk]


@pytest.mark.django_db
def test_the_user_list_refuses_lookups_on_passwords_and_second_factors(supervisor_client):
    url = _changelist(get_user_model())
    for key in (
        "password__startswith",
        "password__regex",
        "totpdevice__key__startswith",
        "staticdevice__token_set__token__exact",
        "groups__name__exact",
    ):
        assert supervisor_client.get(url, {key: "a"}).status_code == 400, key
    assert supervisor_client.get(url, {"is_active__exact": "1"}).status_code == 200
    # The fixed lookup of a raw-id popup for Tip.assignee (limit_choices_to) still works.
    assert supervisor_client.get(url, {"is_staff": "1", "_popup": "1"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "=", "^", "@"])
def test_searching_never_reaches_a_secret(supervisor_client, world, prefix):
    tip = Tip.objects.get()
    user = supervisor_client.user
    for model, secret, row in [
        (Tip, tip.receipt_hash, tip),
        (Tip, tip.submission_hash, tip),
        (get_user_model(), user.password, user),
    ]:
        response = supervisor_client.get(_changelist(model), {"q": prefix + secret})
        assert response.status_code == 200
        assert row.pk not in [r.pk for r in response.context["cl"].result_list]


@pytest.mark.django_db
def test_a_refused_lookup_is_logged_without_its_value(supervisor_client, world, caplog):
    with caplog.at_level(logging.WARNING, logger="traceobject.admin_lookups"):
        response = supervisor_client.get(_changelist(Tip), {"receipt_hash__gt": "c0ffee42"})
    assert response.status_code == 400
    lines = [r.getMessage() for r in caplog.records if r.name == "traceobject.admin_lookups"]
    assert lines and "receipt_hash__gt" in lines[0] and "tips.tip" in lines[0]
    assert "c0ffee42" not in " ".join(lines)


class _DeclaresSecrets(BackofficeModelAdmin):
    list_filter = ["receipt_hash", "status"]
    search_fields = ["body", "=receipt_hash", "assignee__password"]
    ordering = ["submission_hash"]


def test_declaring_a_secret_filter_search_or_ordering_fails_the_system_check():
    site = BackofficeSite(name="probe")
    site.register(Tip, _DeclaresSecrets)
    errors = [e for e in site.get_model_admin(Tip).check() if e.id == "backoffice.E001"]
    assert len(errors) == 4
    assert "receipt_hash" in errors[0].msg
    ours = [e for m in REGISTERED for e in admin.site.get_model_admin(m).check()]
    assert [e for e in ours if e.id == "backoffice.E001"] == []


@pytest.mark.django_db
def test_a_secret_filter_or_search_is_refused_even_when_declared(world):
    site = BackofficeSite(name="probe")
    site.register(Tip, _DeclaresSecrets)
    model_admin = site.get_model_admin(Tip)
    tip = Tip.objects.get()
    user = get_user_model().objects.create_superuser("root", password="x" * 16)

    def get(**query):
        request = RequestFactory().get("/", query)
        request.user = user
        return model_admin.changelist_view(request)

    with pytest.raises(DisallowedModelAdminLookup):
        get(receipt_hash__exact=tip.receipt_hash)
    assert list(get(q=tip.receipt_hash).context_data["cl"].result_list) == []
    cl = get(status__exact="new").context_data["cl"]
    assert [t.pk for t in cl.result_list] == [tip.pk]
    assert [spec.title for spec in cl.filter_specs] == ["status"]  # no sidebar of hashes
    assert not [part for part in cl.queryset.query.order_by if "submission_hash" in str(part)]


@pytest.mark.django_db
def test_second_factor_devices_are_not_in_the_back_office(supervisor_client):
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
    assert supervisor_client.get("/backoffice/otp_totp/totpdevice/").status_code == 404
    assert supervisor_client.get("/backoffice/otp_static/staticdevice/").status_code == 404
    perms = Group.objects.get(name=SUPERVISOR).permissions
    assert not perms.filter(content_type__app_label__startswith="otp_").exists()
