import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tests.personas import login_verified
from traceobject.audit import audit_record
from traceobject.models import AuditEntry


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE backoffice_auditentry SET actor_name = 'x'",
        "DELETE FROM backoffice_auditentry",
        "TRUNCATE backoffice_auditentry",
        "TRUNCATE backoffice_auditentry, auth_user CASCADE",
    ],
)
def test_the_audit_table_refuses_update_delete_and_truncate(sql):
    audit_record(action="view", actor_name="someone")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEntry.objects.get().actor_name == "someone"


@pytest.mark.django_db
def test_supervisors_read_and_filter_the_log_and_investigators_cannot(
    client, supervisor, investigator
):
    audit_record(action="export", actor_name="ana", target_type="tips.tip")
    audit_record(action="view", actor_name="ben", target_type="tips.tip")
    url = reverse("admin:traceobject_auditentry_changelist")
    login_verified(client, supervisor)
    response = client.get(url, {"action__exact": "export"})
    assert [e.actor_name for e in response.context["cl"].result_list] == ["ana"]
    login_verified(client, investigator)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_the_log_filters_by_account_and_lists_only_staff_accounts(client, supervisor, investigator):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(username="member-of-public", is_staff=False)
    audit_record(action="view", user=investigator, target_type="tips.tip", target_id=1)
    audit_record(action="export", user=supervisor, target_type="tips.tip")
    audit_record(action="login_failed", actor_name="unknown:abc")
    url = reverse("admin:traceobject_auditentry_changelist")
    login_verified(client, supervisor)
    response = client.get(url, {"actor": investigator.pk})
    assert [e.actor_name for e in response.context["cl"].result_list] == ["investigator"]
    page = response.content.decode()
    assert "member-of-public" not in page  # the filter offers staff accounts only
    assert f"?actor={supervisor.pk}" in page
    assert list(client.get(url, {"actor": "x"}).context["cl"].result_list) == []


@pytest.mark.django_db
def test_the_log_filters_by_a_time_range_read_in_the_site_time_zone(client, supervisor, settings):
    from datetime import timedelta

    from django.utils import timezone

    audit_record(action="view", user=supervisor)
    now = timezone.localtime()
    url = reverse("admin:traceobject_auditentry_changelist")
    login_verified(client, supervisor)
    fmt = "%Y-%m-%dT%H:%M"
    around = {
        "at__gte": (now - timedelta(hours=1)).strftime(fmt),
        "at__lt": (now + timedelta(hours=1)).strftime(fmt),
    }
    shown = client.get(url, {**around, "action__exact": "view"})
    assert [e.action for e in shown.context["cl"].result_list] == ["view"]
    page = shown.content.decode()
    assert f'value="{around["at__gte"]}"' in page  # the range form shows what was typed
    assert 'type="hidden" name="action__exact" value="view"' in page  # and keeps the filters
    last_night = {
        "at__gte": (now - timedelta(days=1)).strftime(fmt),
        "at__lt": (now - timedelta(hours=2)).strftime(fmt),
    }
    assert list(client.get(url, last_night).context["cl"].result_list) == []
    day = {"at__gte": now.date().isoformat()}
    assert len(client.get(url, day).context["cl"].result_list) >= 1
    not_a_date = client.get(url, {"at__gte": "not a date"})  # that bound left out, with a word
    assert len(not_a_date.context["cl"].result_list) >= 1
    assert "is not a date" in not_a_date.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("n", [5, 150])
def test_the_filtered_log_uses_a_fixed_number_of_queries(
    client, supervisor, investigator, django_assert_max_num_queries, n
):
    from traceobject.models import AuditEntry as Entry

    Entry.objects.bulk_create(
        [
            Entry(
                actor=investigator,
                actor_name="investigator",
                action="view",
                target_type="tips.tip",
                target_id=str(i),
            )
            for i in range(n)
        ]
    )
    url = reverse("admin:traceobject_auditentry_changelist")
    login_verified(client, supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(url, {"actor": investigator.pk, "action__exact": "view"})
    assert len(response.context["cl"].result_list) == min(n, 100)
