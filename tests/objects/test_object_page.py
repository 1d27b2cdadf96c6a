import re

import pytest
from django.urls import reverse

from tests.factories import make_object
from tests.html import tags


@pytest.mark.django_db
def test_it_shows_the_object_with_question_large_image_and_tip_link(client):
    obj = make_object(title="Canvas tote bag", question="Where is this bag sold?")
    response = client.get(obj.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert obj.reference in body and "Canvas tote bag" in body
    assert "Where is this bag sold?" in body
    image = obj.primary_image
    assert f'href="{image.full["url"]}"><picture>' in body
    img = next(t for t in tags(body, "img") if t.get("src") == image.large["url"])
    assert img["srcset"] == image.srcset_jpeg and "loading" not in img  # the first is eager
    assert f'alt="{obj.alt_text}"' in body
    assert reverse("tips:form", args=[obj.number]) in body


def test_reference_in_the_url_is_the_public_reference():
    assert reverse("objects:detail", args=[42]) == "/en/objects/TAO-0042/"


@pytest.mark.django_db
def test_a_draft_is_404(client):
    obj = make_object(status="draft")
    assert client.get(obj.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_an_unknown_reference_is_404(client):
    assert client.get(reverse("objects:detail", args=[9999])).status_code == 404
    assert client.get("/en/objects/TAO-12/").status_code == 404


@pytest.mark.django_db
def test_a_withdrawn_object_is_410_with_an_explanation(client):
    obj = make_object(status="withdrawn")
    response = client.get(obj.get_absolute_url())
    assert response.status_code == 410
    body = response.content.decode()
    assert "no longer published" in body
    assert obj.title not in body


@pytest.mark.django_db
def test_an_identified_object_shows_the_note_and_stops_asking(client):
    obj = make_object(status="identified")
    obj.identification_note = "Traced to a shop in Lyon thanks to 14 tips."
    obj.save(update_fields=["identification_note"])
    body = client.get(obj.get_absolute_url()).content.decode()
    assert "Traced to a shop in Lyon thanks to 14 tips." in body
    assert "Send a tip about this object" not in body


@pytest.mark.django_db
def test_post_is_405(client):
    obj = make_object()
    assert client.post(obj.get_absolute_url()).status_code == 405


@pytest.mark.django_db
def test_an_identified_object_shows_its_question_as_text_not_a_heading(client):
    obj = make_object(status="identified", question="Where is this bag sold?")
    body = client.get(obj.get_absolute_url()).content.decode()
    headings = [
        h for name in ("h1", "h2", "h3") for h in re.findall(rf"<{name}[^>]*>(.*?)</", body)
    ]
    assert "Where is this bag sold?" not in " ".join(headings)
    assert "We asked:" in body and "<q>Where is this bag sold?</q>" in body


@pytest.mark.django_db
def test_an_object_that_asks_shows_its_question_as_a_heading(client):
    obj = make_object(question="Where is this bag sold?")
    body = client.get(obj.get_absolute_url()).content.decode()
    assert '<h2 class="question">Where is this bag sold?</h2>' in body
