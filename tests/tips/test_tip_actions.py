"""One small POST view per decision on a tip: each does its one thing, refuses bad input with a
clear message, changes nothing then, and keeps the text that was typed."""

import pytest
from django.urls import reverse

from tests.factories import make_object, make_tip
from tips.models import Tip, TipEvent

S = Tip.Status


def _post(client, name, tip, data, **kwargs):
    return client.post(reverse(f"tipstaff:{name}", args=[tip.pk]), data, **kwargs)


@pytest.mark.django_db
def test_each_decision_has_its_own_view(investigator_client, investigator):
    obj = make_object()
    tip, original = make_tip(obj).tip, make_tip(obj).tip
    _post(investigator_client, "tip_status", tip, {"to": S.USEFUL})
    _post(investigator_client, "tip_priority", tip, {"priority": Tip.Priority.HIGH})
    _post(investigator_client, "tip_assign", tip, {"assignee": investigator.pk})
    _post(investigator_client, "tip_note", tip, {"text": "Checked the shop list."})
    _post(investigator_client, "tip_duplicate", tip, {"duplicate_of": original.pk})
    tip.refresh_from_db()
    assert tip.status == S.DUPLICATE and tip.duplicate_of == original
    assert tip.priority == Tip.Priority.HIGH and tip.assignee == investigator
    assert tip.events.filter(kind=TipEvent.Kind.NOTE, text="Checked the shop list.").exists()


@pytest.mark.django_db
def test_a_decision_says_what_was_done(investigator_client):
    tip = make_tip().tip
    page = _post(investigator_client, "tip_status", tip, {"to": S.SPAM}, follow=True)
    assert f"Tip {tip.pk}: Spam." in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("tip_status", {"to": "no-such-status"}),
        ("tip_priority", {"priority": "urgent!"}),
        ("tip_assign", {"assignee": "x"}),
        ("tip_duplicate", {"duplicate_of": ""}),
        ("tip_duplicate", {"duplicate_of": "999999"}),
        ("tip_note", {"text": ""}),
        ("tip_note", {"text": "n" * 5001}),
        ("tip_note", {"text": "a\x00b"}),
        ("tip_ask", {"body": "q" * 2001}),
        ("tip_forward", {"agency": ""}),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(investigator_client, name, data):
    tip = make_tip().tip
    before = Tip.objects.filter(pk=tip.pk).values().get()
    page = _post(investigator_client, name, tip, data, follow=True)
    assert page.status_code == 200
    assert [m.level_tag for m in page.context["messages"]] == ["error"]
    assert Tip.objects.filter(pk=tip.pk).values().get() == before
    assert not tip.events.exists() and not tip.messages.exists()


@pytest.mark.django_db
def test_a_refused_note_is_kept_for_the_form_not_cut(investigator_client):
    tip = make_tip().tip
    text = "A long note. " * 400  # over 5,000 characters
    page = _post(investigator_client, "tip_note", tip, {"text": text}, follow=True)
    assert "at most 5000 characters" in page.content.decode()
    assert not tip.events.exists()
    assert page.context["note_form"].initial["text"] == text
    again = investigator_client.get(reverse("admin:tips_tip_change", args=[tip.pk]))
    assert "text" not in again.context["note_form"].initial, "shown once"


@pytest.mark.django_db
def test_the_tip_page_offers_status_buttons_not_a_preselected_select(investigator_client):
    tip = make_tip().tip
    page = investigator_client.get(reverse("admin:tips_tip_change", args=[tip.pk]))
    html = page.content.decode()
    assert 'name="to" value="useful"' in html and '<select name="to"' not in html
