import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from backoffice.audit import audit_record
from backoffice.models import AuditEntry
from tests.personas import login_verified


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    ["UPDATE backoffice_auditentry SET actor_name = 'x'", "DELETE FROM backoffice_auditentry"],
)
def test_the_audit_table_refuses_update_and_delete(sql):
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
    url = reverse("admin:backoffice_auditentry_changelist")
    login_verified(client, supervisor)
    response = client.get(url, {"action__exact": "export"})
    assert [e.actor_name for e in response.context["cl"].result_list] == ["ana"]
    login_verified(client, investigator)
    assert client.get(url).status_code == 403
