"""A tip not about a published object: anonymous like any tip, in the same queue, stored with no
object (Tip.Kind.GENERAL), so nothing of it can reach a public page."""

import re
import time

import pytest
from django.urls import reverse

from objects.models import TraceObject
from tests.factories import make_object
from tests.personas import login_verified
from tips import selectors, services, spam
from tips.models import Tip
from tips.stats import public_results

URL = reverse("tips:general_form")
CODE = re.compile(r'value="([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})"')


def _data(**overrides):
    data = {
        "body": "A neighbour's child never goes to school and a van comes every night at 2.",
        "country": "BE",
        "place": "Rue de la Loi, Brussels",
        "link": "",
        "certainty": "think",
        "contact": "",
        "website": "",
        "started": spam.issue_token(0, at=time.time() - 30),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_general_tip_is_stored_like_any_tip_and_gets_a_receipt(client):
    response = client.post(URL, _data(), REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Probe/1")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert CODE.search(response.content.decode())
    tip = Tip.objects.get()
    assert tip.kind == Tip.Kind.GENERAL and tip.trace_object is None
    assert tip.status == Tip.Status.NEW
    assert tip.country == "BE" and tip.received_at.minute == 0
    assert "203.0.113.7" not in str(Tip.objects.values().get())
    assert "Back to the object" not in response.content.decode()


@pytest.mark.django_db
def test_the_form_page_is_worded_for_something_else(client):
    body = client.get(URL).content.decode()
    assert "<h1>Tell investigators something else</h1>" in body
    assert "What do you want to tell investigators?" in body
    assert "Send a tip about TAO" not in body


@pytest.mark.django_db
def test_a_token_for_an_object_is_refused_by_the_general_form(client):
    obj = make_object()
    response = client.post(URL, _data(started=spam.issue_token(obj.number, at=time.time() - 30)))
    assert response.status_code == 400 and not Tip.objects.exists()
    assert "A neighbour&#x27;s child" in response.content.decode()


@pytest.mark.django_db
def test_general_tips_make_no_object_row(client):
    client.post(URL, _data())
    client.post(URL, _data(body="Another general report, with enough words."))
    assert Tip.objects.filter(kind=Tip.Kind.GENERAL, trace_object=None).count() == 2
    assert not TraceObject.objects.exists()


@pytest.mark.django_db
def test_a_general_tip_never_reaches_a_public_page(client):
    client.post(URL, _data())
    assert not TraceObject.objects.exists()
    pages = [reverse("objects:gallery"), reverse("objects:feed"), "/sitemap.xml"]
    for url in pages:
        body = client.get(url).content.decode()
        assert "General report" not in body and "neighbour" not in body, url
    assert (
        client.get(reverse("objects:gallery"), {"q": "general"}).context["page"].paginator.count
        == 0
    )
    assert public_results().objects_published == 0


@pytest.mark.django_db
def test_the_triage_queue_shows_a_general_tip(client, investigator):
    client.post(URL, _data())
    tip = Tip.objects.get()
    assert selectors.tip_next_in_queue() == tip
    login_verified(client, investigator)
    page = client.get(reverse("tipstaff:triage"))
    assert page.status_code == 200
    assert "A neighbour&#x27;s child never goes to school" in page.content.decode()
    assert f"Tip {tip.pk} on General report" in page.content.decode()


def test_general_is_no_status_an_object_can_have():
    assert "general" not in TraceObject.Status.values


@pytest.mark.django_db
def test_the_admin_lists_only_objects_and_offers_no_general_status(editor_client):
    services.tip_create(obj=None, body="A general report.", language="en", submission_hash="1")
    visible = make_object()
    listing = editor_client.get(reverse("admin:objects_traceobject_changelist"))
    assert list(listing.context["cl"].result_list) == [visible]
    add = editor_client.get(reverse("admin:objects_traceobject_add")).content.decode()
    assert 'value="general"' not in add


@pytest.mark.django_db
def test_its_follow_up_says_it_is_about_something_else(client):
    code = CODE.search(client.post(URL, _data()).content.decode()).group(1)
    body = client.post(reverse("tips:follow_up"), {"code": code}).content.decode()
    assert "Something else, not one of the objects" in body
    assert "TAO-" not in body.split('class="tip-facts"', 1)[1].split("</dl>", 1)[0]
