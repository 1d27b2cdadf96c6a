"""Invariant 4: a tip that got a receipt is stored; one that could not be stored keeps its text."""

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from tests.factories import tip_form_data
from tips.models import Tip


def _fail_inserts_into_tips(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith("INSERT") and "tips_tip" in sql:
        raise OperationalError("server closed the connection unexpectedly")
    return execute(sql, params, many, context)


@pytest.mark.django_db
def test_a_failing_database_gives_a_503_that_keeps_everything_typed(client, published):
    data = tip_form_data(
        published, body="Seen in a hotel in Porto, room 12", contact="ask for Ana", place="Porto"
    )
    with connection.execute_wrapper(_fail_inserts_into_tips):
        response = client.post(reverse("tips:form", args=[published.number]), data)
    assert response.status_code == 503
    body = response.content.decode()
    assert "was not sent yet" in body
    for typed in ("Seen in a hotel in Porto, room 12", "ask for Ana", "Porto"):
        assert typed in body
    assert 'value="NL" selected' in body
    assert "receipt-code" not in body
    assert not Tip.objects.exists()
    # Sending again once the database is back stores the tip.
    resend = {k: v for k, v in data.items() if k != "started"}
    resend["started"] = tip_form_data(published)["started"]
    assert client.post(reverse("tips:form", args=[published.number]), resend).status_code == 200
    assert Tip.objects.get().body == "Seen in a hotel in Porto, room 12"


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_database_gives_a_503_that_keeps_the_text(client, published, monkeypatch):
    # The database server is down: every attempt to connect is refused with the driver's own
    # OperationalError, as psycopg2 raises it for a closed port. The open connection is set
    # aside (not closed: SQLite in memory would lose the database) so the request has to
    # connect, the way a request after a restart or on a fresh worker does.
    data = tip_form_data(published, body="Typed while the database was down")
    attempts = []

    def refused(conn_params):
        attempts.append(conn_params)
        raise connection.Database.OperationalError("connection refused: is the server running?")

    monkeypatch.setattr(connection, "get_new_connection", refused)
    kept, connection.connection = connection.connection, None
    try:
        response = client.post(reverse("tips:form", args=[published.number]), data)
    finally:
        connection.connection = kept
        monkeypatch.undo()
    assert attempts, "the request tried to connect"
    assert response.status_code == 503
    body = response.content.decode()
    assert "was not sent yet" in body
    assert "Typed while the database was down" in body
    assert "receipt-code" not in body
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_the_photo_file_is_removed_when_the_row_cannot_be_stored(client, published, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import make_image_bytes

    tips_dir = settings.MEDIA_PRIVATE_ROOT / "tips"
    before = set(tips_dir.glob("*")) if tips_dir.exists() else set()
    photo = SimpleUploadedFile("p.jpg", make_image_bytes(), "image/jpeg")
    with connection.execute_wrapper(_fail_inserts_into_tips):
        response = client.post(
            reverse("tips:form", args=[published.number]), tip_form_data(published, photo=photo)
        )
    assert response.status_code == 503
    assert "attach it again" in response.content.decode()
    after = set(tips_dir.glob("*")) if tips_dir.exists() else set()
    assert after == before


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de"])
def test_a_connection_lost_mid_tip_still_gives_the_503_with_the_text(client, published, language):
    # The connection dies at the INSERT and stays dead: rendering the 503 page must not need
    # the database (the object's image was loaded before the tip was stored).
    lost = []

    def connection_lost(execute, sql, params, many, context):
        if lost or (sql.lstrip().upper().startswith("INSERT") and "tips_tip" in sql):
            lost.append(sql)
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    from django.utils import translation

    from objects.models import TraceObjectTranslation

    TraceObjectTranslation.objects.create(
        trace_object=published, language="de", title="Eine Tasche", question="Wo gibt es sie?"
    )
    data = tip_form_data(published, body="Typed just as the connection was lost")
    with translation.override(language):
        url = reverse("tips:form", args=[published.number])
    with connection.execute_wrapper(connection_lost):
        response = client.post(url, data)
    assert response.status_code == 503
    assert "Typed just as the connection was lost" in response.content.decode()
    reads = [sql for sql in lost if sql.lstrip().upper().startswith("SELECT")]
    assert reads == [], "nothing after the failed INSERT read the database"
    if language == "de":
        assert "Wo gibt es sie?" in response.content.decode()
