"""The duplicate finder looks at every tip of the object, through indexes, in a fixed number of
queries."""

import pytest
from django.db import connection, transaction

from tests.factories import bulk_tips, make_object, make_tip
from tips import selectors

TWIN = "This bag is sold at the Primark store in Lyon, rue de la Republique."
REWORDED = "this bag is sold at the primark store in lyon - rue de la république!"
PLACES = ["market", "kiosk", "mall", "station", "bazaar", "airport", "corner shop", "outlet"]


def _fillers(n):
    return [f"Maybe a {PLACES[i % 8]} number {i} in town {i * 7919 % 1000}" for i in range(n)]


@pytest.mark.django_db
@pytest.mark.postgres
def test_a_reworded_tip_older_than_the_latest_3000_is_found():
    obj = make_object()
    target = make_tip(obj, body=TWIN).tip
    bulk_tips(obj, _fillers(3200), hours_ago_start=1)
    (old,) = bulk_tips(obj, [REWORDED], hours_ago_start=5000)
    (old_link,) = bulk_tips(obj, ["See the shop."], hours_ago_start=5001,
                            link="https://shop.example/bag")  # fmt: skip
    (old_place,) = bulk_tips(obj, ["Bought it there."], hours_ago_start=5002, country="FR",
                             place="PRIMARK")  # fmt: skip
    found = {t.pk for t in selectors.tip_duplicates(tip=target)}
    assert old.pk in found
    assert found.isdisjoint(t.pk for t in bulk_tips(make_object(), [TWIN]))  # other object
    twin = make_tip(obj, body="Here.", link="https://shop.example/bag", country="FR",
                    place="Primark ").tip  # fmt: skip
    found = {t.pk for t in selectors.tip_duplicates(tip=twin)}
    assert {old_link.pk, old_place.pk} <= found


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_query_count_does_not_grow_with_the_object(django_assert_num_queries):
    counts = []
    for n in (10, 2000):
        obj = make_object()
        target = make_tip(obj, body=TWIN, link="https://x.example", country="FR", place="P").tip
        bulk_tips(obj, _fillers(n) + [REWORDED], hours_ago_start=1)
        with django_assert_num_queries(4) as captured:
            assert selectors.tip_duplicates(tip=target)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
@pytest.mark.postgres
def test_postgresql_can_find_similar_wording_through_the_trigram_index():
    obj = make_object()
    make_tip(obj, body=TWIN)
    bulk_tips(obj, _fillers(500), hours_ago_start=1)
    with transaction.atomic(), connection.cursor() as cursor:
        # Forbid the alternatives so the plan shows whether the index *can* serve the match; on
        # an object with tens of thousands of tips the planner picks it by itself (20,000 tips:
        # a bitmap scan on it).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("ANALYZE tips_tip")
        cursor.execute("EXPLAIN SELECT id FROM tips_tip WHERE body %% %s", [REWORDED])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "tip_body_trgm_idx" in plan, plan
