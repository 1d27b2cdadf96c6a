"""The fictional demo objects and their drawings: plain checks, no database."""

import hashlib
import itertools
from collections import Counter

import pytest
from PIL import ImageChops, ImageStat

from demo.art import DEMO_CATEGORIES, DEMO_OBJECTS, draw

KEYS = [obj["key"] for obj in DEMO_OBJECTS]
FIELDS = {
    "key",
    "category",
    "title",
    "question",
    "description",
    "alt",
    "days_ago",
    "identified",
    "identification_note",
}


def test_categories_are_unique_and_ordered():
    slugs = [cat["slug"] for cat in DEMO_CATEGORIES]
    assert len(DEMO_CATEGORIES) == 7
    assert len(set(slugs)) == len(slugs)
    assert len({cat["name"] for cat in DEMO_CATEGORIES}) == len(DEMO_CATEGORIES)
    assert [cat["order"] for cat in DEMO_CATEGORIES] == list(range(1, 8))
    assert all(len(cat["name"]) <= 80 for cat in DEMO_CATEGORIES)


def test_thirty_objects_with_unique_keys():
    assert len(DEMO_OBJECTS) == 30
    assert len(set(KEYS)) == len(KEYS)
    assert all(set(obj) == FIELDS for obj in DEMO_OBJECTS)


def test_every_category_exists_and_has_at_least_three_objects():
    slugs = {cat["slug"] for cat in DEMO_CATEGORIES}
    counts = Counter(obj["category"] for obj in DEMO_OBJECTS)
    assert set(counts) == slugs
    assert min(counts.values()) >= 3


@pytest.mark.parametrize("obj", DEMO_OBJECTS, ids=KEYS)
def test_text_fields_fit_the_model(obj):
    assert obj["key"] == obj["key"].lower() and " " not in obj["key"]
    assert 0 < len(obj["title"]) <= 120
    assert 0 < len(obj["question"]) <= 300 and obj["question"].endswith("?")
    assert 0 < len(obj["alt"]) <= 300
    assert obj["description"].strip()
    assert obj["description"].count(". ") <= 2  # one to three sentences
    assert obj["identified"] == bool(obj["identification_note"])


def test_publication_dates_and_identified_share():
    days = [obj["days_ago"] for obj in DEMO_OBJECTS]
    assert all(0 <= d <= 400 for d in days)
    assert sum(d <= 14 for d in days) >= 5
    assert max(days) - min(days) >= 300
    assert 3 <= sum(obj["identified"] for obj in DEMO_OBJECTS) <= 5


@pytest.mark.parametrize("key", KEYS[::5])
def test_draw_is_deterministic(key):
    first, second = draw(key, width=400, height=300), draw(key, width=400, height=300)
    assert first.tobytes() == second.tobytes()


def test_draw_returns_rgb_at_requested_size():
    image = draw(KEYS[0])
    assert (image.mode, image.size) == ("RGB", (1600, 1200))
    for size in [(320, 240), (600, 600), (1200, 400), (300, 900)]:
        image = draw(KEYS[-1], width=size[0], height=size[1])
        assert (image.mode, image.size) == ("RGB", size)


def test_all_drawings_are_visibly_different():
    thumbs = {key: draw(key, width=320, height=240).resize((32, 32)) for key in KEYS}
    hashes = {hashlib.sha256(thumb.tobytes()).hexdigest() for thumb in thumbs.values()}
    assert len(hashes) == len(KEYS)
    for a, b in itertools.combinations(KEYS, 2):
        diff = ImageStat.Stat(ImageChops.difference(thumbs[a], thumbs[b])).mean
        assert sum(diff) / 3 > 8, f"{a} and {b} look almost the same"


def test_unknown_key_raises_key_error():
    with pytest.raises(KeyError):
        draw("nope")
