"""A tipster's reply, stored to the hour, sorts after the question it answers: messages are
ordered by their place in the conversation, on the follow-up page and in the back-office."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_object, make_tip
from tips import selectors, services
from tips.models import TipMessage

FOLLOW_UP = reverse("tips:follow_up")


def _conversation(investigator):
    receipt = make_tip(make_object())
    question = services.tip_question(tip=receipt.tip, user=investigator, body="Which shop?")
    # Asked at 14:37; the reply in the same hour is stored as 14:00, before it in time.
    hour = question.created_at.replace(minute=0, second=0, microsecond=0)
    TipMessage.objects.filter(pk=question.pk).update(created_at=hour + timedelta(minutes=37))
    reply = services.tip_reply(code=receipt.code, body="The one by the station.")
    TipMessage.objects.filter(pk=reply.pk).update(created_at=hour)
    services.tip_question(tip=receipt.tip, user=investigator, body="Which station?")
    return receipt


@pytest.mark.django_db
def test_the_follow_up_page_shows_the_reply_after_its_question(investigator):
    receipt = _conversation(investigator)
    page = Client().post(FOLLOW_UP, {"code": receipt.code}).content.decode()
    assert page.index("Which shop?") < page.index("The one by the station.")
    assert page.index("The one by the station.") < page.index("Which station?")
    assert ":37" not in page


@pytest.mark.django_db
def test_the_backoffice_shows_the_reply_after_its_question(investigator, investigator_client):
    receipt = _conversation(investigator)
    thread = selectors.tip_thread(tip=receipt.tip)
    assert [m["body"] for m in thread] == [
        "Which shop?",
        "The one by the station.",
        "Which station?",
    ]
    page = investigator_client.get(reverse("admin:tips_tip_change", args=[receipt.tip.pk]))
    text = page.content.decode()
    assert text.index("Which shop?") < text.index("The one by the station.")
    assert ":37" not in text.split("Questions and replies")[1].split("History")[0]


@pytest.mark.django_db
def test_every_message_of_a_tip_has_its_own_place(investigator):
    receipt = _conversation(investigator)
    services.tip_question_many(tips=[receipt.tip], user=investigator, body="And the city?")
    sequences = list(receipt.tip.messages.values_list("sequence", flat=True))
    assert sequences == [1, 2, 3, 4]
