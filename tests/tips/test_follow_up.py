import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, translation

from objects import services as objects_services
from objects.models import TraceObjectTranslation
from tests.factories import make_object, make_tip
from tips import services
from tips.models import Tip, TipMessage
from traceobject import crypto

URL = reverse("tips:follow_up")


def _body(response):
    # The CSRF token differs per response; everything else must be comparable.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.django_db
def test_the_page_asks_for_the_code_and_never_puts_it_in_a_url(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'method="post"' in body and 'name="code"' in body
    assert "get" not in re.findall(r'<form method="(\w+)"', body)


@pytest.mark.django_db
def test_a_right_code_names_the_object_the_month_and_shows_the_code(client):
    obj = make_object(title="Canvas tote bag")
    receipt = make_tip(obj)
    typed = receipt.code.lower().replace("-", " ")
    body = client.post(URL, {"code": typed}).content.decode()
    assert "Your tip" in body and "No tip has this code" not in body
    assert f'<bdi class="code-shown" dir="ltr">{receipt.code}</bdi>' in body
    assert obj.reference in body and "Canvas tote bag" in body
    assert dateformat.format(receipt.tip.received_at, "F Y") in body
    assert "Received: it is waiting to be read." in body


@pytest.mark.django_db
def test_the_object_is_named_in_the_page_language(client):
    obj = make_object(title="Canvas tote bag")
    objects_services.translation_save(
        translation=TraceObjectTranslation(trace_object=obj, language="de", title="Stofftasche")
    )
    receipt = make_tip(obj)
    with translation.override("de"):
        german = reverse("tips:follow_up")
    body = client.post(german, {"code": receipt.code}).content.decode()
    assert "Stofftasche" in body and "Canvas tote bag" not in body


@pytest.mark.django_db
def test_a_wrong_code_is_told_so_with_how_to_check_it(client):
    make_tip()
    response = client.post(URL, {"code": "k7qm 2xwd 9fht 4rbn"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "No tip has this code" in body
    assert '<bdi class="code-shown" dir="ltr">K7QM-2XWD-9FHT-4RBN</bdi>' in body
    assert "16 letters and digits in four groups of four" in body
    assert "Your tip" not in body and 'name="reply"' not in body


@pytest.mark.django_db
def test_a_wrong_code_costs_the_same_queries_as_a_right_one(client):
    receipt = make_tip()
    with CaptureQueriesContext(connection) as right_queries:
        client.post(URL, {"code": receipt.code})
    with CaptureQueriesContext(connection) as wrong_queries:
        client.post(URL, {"code": "K7QM-2XWD-9FHT-4RBN"})
    assert len(right_queries) == len(wrong_queries)


@pytest.mark.django_db
def test_wrong_codes_stay_rate_limited(client, settings):
    settings.FOLLOWUP_RATE_PER_CLIENT = "2/h"
    for _ in range(2):
        assert client.post(URL, {"code": "K7QM-2XWD-9FHT-4RBN"}).status_code == 200
    assert client.post(URL, {"code": "K7QM-2XWD-9FHT-4RBN"}).status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Tip.Status.IN_REVIEW, "Being looked at"),
        (Tip.Status.DUPLICATE, "Being looked at"),
        (Tip.Status.FORWARDED, "Passed on"),
        (Tip.Status.SPAM, "Closed"),
        (Tip.Status.CLOSED, "Closed"),
    ],
)
def test_the_state_is_told_in_plain_words_and_nothing_more(client, status, words):
    receipt = make_tip()
    Tip.objects.filter(pk=receipt.tip.pk).update(status=status)
    body = client.post(URL, {"code": receipt.code}).content.decode()
    assert words in body
    # The triage vocabulary stays inside the back-office.
    for triage_word in ("In review", "Useful", "Spam", "Duplicate", "Forwarded"):
        assert triage_word.lower() not in body.lower()


@pytest.mark.django_db
def test_the_code_is_accepted_in_any_case_with_spaces(client):
    receipt = make_tip()
    Tip.objects.filter(pk=receipt.tip.pk).update(status=Tip.Status.FORWARDED)
    typed = receipt.code.lower().replace("-", " ").replace("0", "o")
    assert "Passed on" in client.post(URL, {"code": typed}).content.decode()


@pytest.mark.django_db
def test_a_question_appears_and_the_reply_is_stored_encrypted(client, investigator):
    receipt = make_tip()
    services.tip_ask(tip=receipt.tip, user=investigator, body="Which shop exactly? What street?")
    page = client.post(URL, {"code": receipt.code}).content.decode()
    assert "Which shop exactly? What street?" in page
    assert "Question from an investigator" in page and 'name="reply"' in page
    response = client.post(URL, {"code": receipt.code, "reply": "The one on Main Street 4"})
    assert response.status_code == 200
    assert "your reply was received" in response.content.decode()
    reply = TipMessage.objects.get(author=TipMessage.Author.TIPSTER)
    assert reply.tip == receipt.tip and reply.staff_user is None
    assert b"Main Street" not in bytes(reply.body_encrypted)
    assert crypto.decrypt_text(reply.body_encrypted) == "The one on Main Street 4"
    assert reply.created_at.minute == 0
    assert "The one on Main Street 4" in response.content.decode()


@pytest.mark.django_db
def test_a_reply_without_a_question_stores_nothing(client):
    receipt = make_tip()
    response = client.post(URL, {"code": receipt.code, "reply": "Unprompted extra"})
    assert response.status_code == 200
    assert not TipMessage.objects.exists()


@pytest.mark.django_db
def test_a_reply_with_a_wrong_code_stores_nothing(client, investigator):
    receipt = make_tip()
    services.tip_ask(tip=receipt.tip, user=investigator, body="Which shop?")
    client.post(URL, {"code": "K7QM-2XWD-9FHT-4RBN", "reply": "Guessing a code"})
    assert TipMessage.objects.filter(author="tipster").count() == 0


@pytest.mark.django_db
def test_an_invalid_reply_keeps_the_text(client, investigator):
    receipt = make_tip()
    services.tip_ask(tip=receipt.tip, user=investigator, body="Which shop?")
    response = client.post(URL, {"code": receipt.code, "reply": "x" * 5001})
    assert response.status_code == 400
    assert "x" * 5001 in response.content.decode()
    assert not TipMessage.objects.filter(author="tipster").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code",
    [
        "",
        "K7QM",
        "K7QM-2XWD-9FHT-4RBN-EXTRA",
        "ÄÖÜ!-????-????-????",
        "U" * 16,
        "A" * 10_000,
        "K7QM\x00-2XWD-9FHT-4RBN",
    ],
)
def test_a_code_of_the_wrong_shape_is_a_clear_400(client, code):
    make_tip()
    response = client.post(URL, {"code": code})
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "A code has 16 letters and digits" in body
        or "Please enter the receipt code you were given" in body
    )


@pytest.mark.django_db
def test_an_empty_code_is_named_in_the_summary_and_the_title(client):
    response = client.post(URL, {"code": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Error: Follow up on your tip" in body
    assert '<a href="#id_code">Please enter the receipt code you were given.</a>' in body


@pytest.mark.django_db
def test_a_page_without_errors_has_no_summary_and_a_plain_title(client):
    body = client.get(URL).content.decode()
    assert "error-summary" not in body
    assert "<title>Follow up on your tip" in body
