"""Back-office input gets the public side's treatment: a NUL byte, another control character, an
impossible date or a huge number is a clear 400, an ignored filter or a form error, never a 500
(backoffice/middleware.py, backoffice/admin.py WhenFilter, traceobject/admin_lookups.py)."""

from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.admin import FieldListFilter, SimpleListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.factories import make_object, make_tip
from tests.personas import PASSWORD, login_superuser_supervisor, make_supervisor
from tips.models import Tag
from traceobject.audit import audit_record
from traceobject.models import AuditEntry

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
TIPS = "/backoffice/tips/tip/"
AUDIT = "/backoffice/traceobject/auditentry/"
CONTROL_MESSAGE = "This address holds invisible control characters"


@pytest.fixture
def world(db):
    obj = make_object()
    make_tip(obj, contact="me@example.org", country="FR")
    Tag.objects.create(name="brand")
    audit_record(action="view", actor_name="someone")


@pytest.fixture
def supervisor_client(client, world):
    return login_superuser_supervisor(client)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"{TIPS}?q=%00",
        f"{TIPS}?q=lamp%00",
        f"{TIPS}?country__exact=%00",
        f"{TIPS}?language=%00",
        f"{TIPS}?q=a%01b",
        f"{TIPS}?%00=1",
        "/backoffice/autocomplete/?term=%00&app_label=tips&model_name=tip&field_name=tags",
        f"{AUDIT}?q=%1b",
        "/backoffice/triage/?object=%00",
        "/backoffice/login/?next=%00",
    ],
)
def test_a_control_character_in_a_backoffice_query_string_is_a_clear_400(supervisor_client, url):
    before = AuditEntry.objects.count()
    response = supervisor_client.get(url)
    assert response.status_code == 400
    assert CONTROL_MESSAGE in response.content.decode()
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_tabs_and_line_breaks_in_a_search_are_accepted(supervisor_client):
    assert supervisor_client.get(TIPS, {"q": "rue\tde la\r\nRépublique"}).status_code == 200


@pytest.mark.django_db
def test_a_nul_in_the_login_username_is_a_form_error(client, world):
    make_supervisor()
    response = client.post(
        reverse("admin:login"), {"username": "super\x00visor", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.latest("pk")
    assert entry.action == AuditEntry.Action.LOGIN_FAILED
    assert entry.actor_name.startswith("unknown:")


@pytest.mark.django_db
@pytest.mark.parametrize("bound", ["at__gte", "at__lt"])
@pytest.mark.parametrize("typed", ["2026-02-30", "2026-13-01", "2026-01-01T25:00", "yesterday"])
def test_an_impossible_date_in_the_audit_filter_is_ignored_with_a_message(
    supervisor_client, bound, typed
):
    response = supervisor_client.get(AUDIT, {bound: typed, "action__exact": "view"})
    assert response.status_code == 200
    assert [e.actor_name for e in response.context["cl"].result_list] == ["someone"]
    page = response.content.decode()
    assert "is not a date: that bound is not applied" in page
    assert f'value="{typed}"' in page  # what was typed stays in its field


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["99999999999", "9999&published_at__month=12", "0", "-1"])
def test_an_impossible_date_hierarchy_year_is_no_500(supervisor_client, year):
    response = supervisor_client.get(f"/backoffice/objects/traceobject/?published_at__year={year}")
    assert response.status_code == 302  # Django's "?e=1": the list without its filters


def _declared_parameters(model_admin) -> list[str]:
    request = RequestFactory().get("/")
    model, names = model_admin.model, set()
    for item in model_admin.list_filter:
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            names.add(item.parameter_name)
            continue
        path, cls = item if isinstance(item, list | tuple) else (item, FieldListFilter.create)
        field = get_fields_from_path(model, path)[-1]
        # Built without the request's user: only the parameter names are read.
        names |= set(
            cls(field, request, {}, model, model_admin, field_path=path).expected_parameters()
        )
    if model_admin.date_hierarchy:
        names |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    return sorted(names)


ADMIN_PARAMETERS = ["q", "o", "p", "e", "all", "_popup", "_to_field", "_facets"]
values = (
    st.text(max_size=40)
    | st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "\x1b[2J",
            "2026-02-30",
            "2026-13-01",
            "0000-00-00",
            "9999-12-31T24:00",
            "-1",
            "0",
            "1",
            "yes",
            "True",
            "",
            "1.2",
            "-0",
            "²",
        ]
    )
    | st.integers(min_value=-(10**30), max_value=10**30).map(str)
)


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_admin_list_answers_500_whatever_its_query_string(supervisor_client, model, data):
    model_admin = admin.site._registry[model]
    declared = _declared_parameters(model_admin)
    # Mostly the parameters the list knows (its filters', the admin's own), some junk.
    keys = st.sampled_from(declared + ADMIN_PARAMETERS) | st.sampled_from(declared or ["q"])
    keys |= st.text(max_size=30)
    query = data.draw(st.lists(st.tuples(keys, values), min_size=1, max_size=4))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = supervisor_client.get(f"{url}?{urlencode(query)}")
    event(f"status {response.status_code}")
    assert response.status_code in (200, 302, 400), (query, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("ticked", ["abc", "\x00", "1.5"])
def test_a_ticked_id_that_is_no_id_is_a_400_and_runs_no_action(supervisor_client, ticked):
    before = AuditEntry.objects.count()
    data = {"action": "export_csv", "index": "0", "_selected_action": ["1", ticked]}
    response = supervisor_client.post(TIPS, data)
    assert response.status_code == 400
    assert AuditEntry.objects.count() == before
