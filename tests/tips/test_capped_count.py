"""Past STAFF_LIST_COUNT_CAP the tip list stops counting and says so ("100+"), never a made-up
total."""

import pytest
from django.urls import reverse

from tests.factories import bulk_tips, make_object


@pytest.mark.django_db
def test_a_list_past_the_cap_reads_cap_plus(investigator_client, settings):
    settings.STAFF_LIST_COUNT_CAP = 100
    bulk_tips(make_object(), [f"Tip {i} about a lamp" for i in range(130)])
    body = investigator_client.get(reverse("admin:tips_tip_changelist")).content.decode()
    assert "100+ tips" in body
    assert "Select all 100+ tips" in body
    assert "101 tips" not in body and "Select all 101" not in body


@pytest.mark.django_db
def test_a_list_under_the_cap_gives_the_exact_count(investigator_client, settings):
    settings.STAFF_LIST_COUNT_CAP = 100
    bulk_tips(make_object(), [f"Tip {i} about a lamp" for i in range(60)])
    body = investigator_client.get(reverse("admin:tips_tip_changelist")).content.decode()
    assert "60 tips" in body and "+ tips" not in body
