"""The public results count tips (spam excluded); they follow status changes and purges at once."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.factories import make_object, make_tip
from tips import services
from tips.models import Tip
from tips.stats import public_results
from traceobject import page_cache as cache


@pytest.mark.django_db
def test_marking_a_tip_as_spam_updates_the_cached_results(investigator):
    obj = make_object()
    tip = make_tip(obj).tip
    make_tip(obj)
    assert public_results().tips_received == 2  # now cached
    services.tip_transition(tip=tip, user=investigator, to=Tip.Status.SPAM)
    assert public_results().tips_received == 1


@pytest.mark.django_db
def test_a_purge_updates_the_cached_results(investigator, settings):
    obj = make_object()
    tip = make_tip(obj).tip
    make_tip(obj)
    services.tip_transition(tip=tip, user=investigator, to=Tip.Status.NOT_USEFUL)
    assert public_results().tips_received == 2  # not useful still counts as received
    later = timezone.now() + timedelta(days=settings.PURGE_REJECTED_TIPS_DAYS + 1)
    assert services.tip_purge(now=later).deleted_tips == 1
    assert public_results().tips_received == 1


def _stats_bumps(redis_sent) -> int:
    # A round trip that writes the stats version: an MSET, or SETs in one MULTI/EXEC pipeline.
    return sum(b"SET" in sent and b"public:version:stats" in sent for sent in redis_sent)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_new_tip_writes_nothing_to_the_stats(redis_sent):
    obj = make_object()
    assert public_results().tips_received == 0  # now cached
    redis_sent.clear()
    make_tip(obj)
    assert _stats_bumps(redis_sent) == 0  # counted within PUBLIC_STATS_SECONDS instead


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_bump_outside_a_transaction_is_one_round_trip(redis_sent):
    obj = make_object()
    assert public_results().tips_received == 0  # now cached
    make_tip(obj)
    redis_sent.clear()
    cache.bump(cache.STATS)
    assert _stats_bumps(redis_sent) == 1
    assert public_results().tips_received == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_bump_inside_a_transaction_is_made_again_on_commit(redis_sent):
    make_object()
    redis_sent.clear()
    with transaction.atomic():
        cache.bump(cache.STATS)
        assert _stats_bumps(redis_sent) == 1
        bumped = cache.version(cache.STATS)
    assert _stats_bumps(redis_sent) == 2
    assert cache.version(cache.STATS) > bumped
