"""For a tip that names no shop, brand or place, the duplicate finder compares the wording with
every tip of the object, through indexes, in a fixed number of queries and bounded time: it ranks
the latest tips and searches older ones within a time limit. (Tips that name something are
compared by their names: tests/tips/test_lead_services.py.)"""

import pytest
from django.db import connection, transaction

from tests.factories import bulk_tips, make_object, make_tip
from tips import selectors
from tips.models import Tip
from tips.selectors import duplicates as duplicate_reads

# Common words only: these tips name no lead, so their wording is what compares them.
TWIN = "My grandmother has exactly the same one at home, she bought it years ago."
REWORDED = "my grandmother has exactly the same one at home - she bought it years ago!"
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
    (old_link,) = bulk_tips(
        obj, ["See the shop."], hours_ago_start=5001, link="https://shop.example/bag"
    )
    (old_place,) = bulk_tips(
        obj, ["Bought it there."], hours_ago_start=5002, country="FR", place="PRIMARK"
    )
    found = {t.pk for t in selectors.tip_duplicates(tip=target)}
    assert old.pk in found
    assert found.isdisjoint(t.pk for t in bulk_tips(make_object(), [TWIN]))  # other object
    twin = make_tip(
        obj, body="Here.", link="https://shop.example/bag", country="FR", place="Primark "
    ).tip
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
        # link, place, the ranked window, the older search (savepoint, timeout on, search,
        # timeout back, release) and one read of the rows found.
        with django_assert_num_queries(9) as captured:
            assert selectors.tip_duplicates(tip=target)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def _statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.postgres
def test_wording_alone_is_ranked_best_first_and_never_preselected():
    obj = make_object()
    target = make_tip(obj, body=TWIN).tip
    (close,) = bulk_tips(obj, [REWORDED], hours_ago_start=3)
    (looser,) = bulk_tips(obj, ["My grandmother has the same one at home."], hours_ago_start=1)
    bulk_tips(obj, _fillers(300), hours_ago_start=20)
    found = selectors.tip_duplicates(tip=target)
    assert found[:2] == [close, looser]
    assert found[0].score > found[1].score
    assert not any(t.preselect for t in found)


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_older_search_keeps_to_its_time_limit(monkeypatch, caplog):
    obj = make_object()
    target = make_tip(obj, body=TWIN).tip
    (recent,) = bulk_tips(obj, [REWORDED], hours_ago_start=1)
    before = _statement_timeout()
    # A real statement that outlasts the limit: PostgreSQL cancels it.
    monkeypatch.setattr(duplicate_reads, "DUPLICATE_OLDER_MS", 50)
    monkeypatch.setattr(
        duplicate_reads,
        "OLDER_SQL",
        duplicate_reads.OLDER_SQL.replace("FROM tips_tip", "FROM pg_sleep(1), tips_tip"),
    )
    with caplog.at_level("INFO", logger="tips.selectors"):
        found = selectors.tip_duplicates(tip=target)
    assert found == [recent]  # the ranked window still answers
    assert "cut short" in caplog.text
    # The limit was for that statement only; the transaction goes on.
    assert _statement_timeout() == before
    assert Tip.objects.filter(trace_object=obj).count() == 2


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_time_limit_is_put_back_after_a_search():
    obj = make_object()
    target = make_tip(obj, body=TWIN).tip
    bulk_tips(obj, [REWORDED], hours_ago_start=1)
    before = _statement_timeout()
    assert selectors.tip_duplicates(tip=target)
    assert _statement_timeout() == before


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
