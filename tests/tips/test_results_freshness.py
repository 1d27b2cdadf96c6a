"""The public results count tips (spam excluded); they follow status changes and purges at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from objects.stats import public_results
from tests.factories import make_object, make_tip
from tips import services
from tips.models import Tip


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
