import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from objects.models import TraceObject
from tests.factories import make_category, make_object
from tests.html import tags
from traceobject import page_cache

GALLERY = reverse("objects:gallery")


def _refs(response):
    return [obj.reference for obj in response.context["page"].object_list]


@pytest.mark.django_db
def test_it_shows_only_published_and_identified_objects_newest_first(client):
    old = make_object(days_ago=30)
    new = make_object(days_ago=1)
    identified = make_object(status="identified", days_ago=10)
    draft = make_object(status="draft")
    withdrawn = make_object(status="withdrawn", days_ago=2)
    response = client.get(GALLERY)
    assert response.status_code == 200
    assert _refs(response) == [new.reference, identified.reference, old.reference]
    body = response.content.decode()
    assert draft.title not in body
    assert withdrawn.title not in body


@pytest.mark.django_db
def test_it_hides_objects_scheduled_for_the_future(client):
    obj = make_object()
    TraceObject.objects.filter(pk=obj.pk).update(published_at=timezone.now() + timedelta(days=1))
    assert _refs(client.get(GALLERY)) == []


@pytest.mark.django_db
def test_it_pages_24_objects_at_a_time(client):
    for _ in range(25):
        make_object(with_image=False)
    assert len(_refs(client.get(GALLERY))) == 24
    assert len(_refs(client.get(GALLERY, {"page": 2}))) == 1


@pytest.mark.django_db
def test_it_filters_by_category(client):
    bags = make_category("bags", "Bags")
    bag = make_object(category=bags, title="Red bag")
    make_object(title="Blue lamp")
    response = client.get(GALLERY, {"category": "bags"})
    assert _refs(response) == [bag.reference]
    assert 'aria-current="page">Bags<' in response.content.decode()


@pytest.mark.django_db
def test_unknown_category_is_404(client):
    make_object()
    assert client.get(GALLERY, {"category": "no-such-thing"}).status_code == 404


@pytest.mark.django_db
def test_it_searches_title_and_question(client):
    lamp = make_object(title="Brass bedside lamp")
    mug = make_object(title="Mug", question="Where is this souvenir mug from?")
    make_object(title="Curtain")
    assert _refs(client.get(GALLERY, {"q": "LAMP"})) == [lamp.reference]
    assert _refs(client.get(GALLERY, {"q": "souvenir"})) == [mug.reference]
    assert "No object matches" in client.get(GALLERY, {"q": "zeppelin"}).content.decode()


@pytest.mark.django_db
def test_search_strips_bidi_and_control_characters(client):
    lamp = make_object(title="Brass lamp")
    assert _refs(client.get(GALLERY, {"q": "la\u202emp\x07"})) == [lamp.reference]


@pytest.mark.django_db
def test_search_with_a_nul_byte_is_a_clear_400(client):
    make_object(title="Brass lamp")
    response = client.get(GALLERY, {"q": "lamp\x00"})
    assert response.status_code == 400
    assert "an invisible character we cannot search for" in response.content.decode()


@pytest.mark.django_db
def test_overlong_search_is_a_clear_400(client):
    make_object()
    response = client.get(GALLERY, {"q": "x" * 101})
    assert response.status_code == 400
    assert _refs(response) == []
    assert "at most 100 characters" in response.content.decode()


@pytest.mark.django_db
def test_paging_keeps_the_filter(client):
    bags = make_category("bags", "Bags")
    for _ in range(25):
        make_object(category=bags, with_image=False)
    body = client.get(GALLERY, {"category": "bags"}).content.decode()
    assert "?category=bags&amp;page=2" in body


@pytest.mark.django_db
def test_cards_carry_thumbnail_size_lazy_loading_and_badges(client):
    new = make_object(days_ago=2)
    old = make_object(days_ago=40)
    identified = make_object(status="identified", days_ago=60)
    body = client.get(GALLERY).content.decode()
    image = new.primary_image
    thumb = image.thumb
    img = next(t for t in tags(body, "img") if t.get("src") == thumb["url"])
    assert (img["width"], img["height"]) == (str(thumb["width"]), str(thumb["height"]))
    assert img["sizes"] and "class" not in img
    assert img["srcset"] == image.srcset_jpeg
    # The factory's image is 640 wide: 400 and its own width, never upscaled to 800 or 1600.
    assert img["srcset"].endswith("-640w.jpg 640w") and img["srcset"].count(" 400w,") == 1
    webp = [t for t in tags(body, "source") if t["srcset"] == image.srcset_webp]
    assert webp and webp[0]["type"] == "image/webp" and ".webp 400w" in webp[0]["srcset"]
    # While it loads, the image's box keeps its shape in one neutral colour.
    css = (settings.BASE_DIR / "static/css/site.css").read_text()
    assert ".card-link img, .object-image img { background: var(--soft); }" in css
    cards = {
        o.reference: body.split(o.reference, 1)[1].split("</li>", 1)[0]
        for o in (new, old, identified)
    }
    assert ">New<" in cards[new.reference]
    assert ">New<" not in cards[old.reference]
    assert ">Identified<" in cards[identified.reference]


@pytest.mark.django_db
def test_gallery_query_count_does_not_grow_with_objects(client):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(GALLERY).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(5):
        make_object()
    with_five = count_queries()
    category = make_category()
    TraceObject.objects.bulk_create(
        TraceObject(
            number=1000 + i,
            category=category,
            title=f"Bulk {i}",
            question="Where?",
            alt_text="alt",
            status="published",
            published_at=timezone.now() - timedelta(minutes=i),
        )
        for i in range(495)
    )
    # bulk_create bypasses objects.services, so tell the page cache as the services would.
    page_cache.bump()
    assert TraceObject.objects.published().count() == 500
    assert count_queries() == with_five


@pytest.mark.django_db
def test_identified_page_lists_only_identified_objects(client):
    identified = make_object(status="identified")
    make_object()
    response = client.get(reverse("objects:identified"))
    assert _refs(response) == [identified.reference]


@pytest.mark.django_db
def test_only_the_newest_few_objects_are_marked_new(client, settings):
    settings.NEW_BADGE_COUNT, settings.NEW_BADGE_DAYS = 3, 14
    recent = [make_object(days_ago=days) for days in (1, 2, 3, 4, 5)]
    make_object(status="identified", days_ago=0)  # identified: its badge says so instead
    make_object(days_ago=30)  # too old for a badge even if it were among the newest
    body = client.get(GALLERY).content.decode()
    cards = re.findall(r'<li class="card">.*?</li>', body, re.S)
    marked = [
        re.search(r'class="ref">(TAO-\d+)<', card).group(1) for card in cards if "badge-new" in card
    ]
    assert marked == [obj.reference for obj in recent[:3]]


@pytest.mark.django_db
def test_no_object_is_marked_new_when_the_count_is_zero(client, settings):
    settings.NEW_BADGE_COUNT = 0
    make_object(days_ago=1)
    assert "badge-new" not in client.get(GALLERY).content.decode()


@pytest.mark.django_db
def test_the_first_cards_load_at_once_and_the_rest_lazily(client):
    for days in range(4):
        make_object(days_ago=days + 1)
    body = client.get(GALLERY).content.decode()
    images = tags(body.split('<ul class="cards">', 1)[1], "img")
    assert ["loading" in t for t in images] == [False, False, True, True]
