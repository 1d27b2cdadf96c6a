"""The tip list is audited as bounded rows: the query and the range shown, not every id."""

import json

import pytest
from django.urls import reverse

from tests.factories import bulk_tips, make_object
from traceobject.models import AuditEntry

LIST = reverse("admin:tips_tip_changelist")


@pytest.mark.django_db
def test_a_list_page_records_its_query_and_range_not_every_id(investigator_client, investigator):
    obj = make_object()
    tips = bulk_tips(obj, [f"Seen in shop number {i}" for i in range(120)])
    investigator_client.get(LIST, {"status__exact": "new", "q": "shop", "p": "2"})
    entry = AuditEntry.objects.get(action="view", target_id="list")
    assert entry.actor == investigator and entry.target_type == "tips.tip"
    assert entry.detail["query"] == {"status__exact": "new", "q": "shop", "p": "2"}
    assert entry.detail["shown"] == 50
    # Newest first: page 2 shows the 51st to the 100th newest tip.
    assert (entry.detail["first"], entry.detail["last"]) == (tips[50].pk, tips[99].pk)
    assert "ids" not in entry.detail


@pytest.mark.django_db
def test_the_list_audit_row_stays_small_whatever_the_page_size(investigator_client):
    bulk_tips(make_object(), [f"Tip {i}" for i in range(200)])
    investigator_client.get(LIST, {"all": ""})  # "show all": up to 200 rows on one page
    entry = AuditEntry.objects.get(action="view", target_id="list")
    assert entry.detail["shown"] == 200
    assert len(json.dumps(entry.detail)) < 300
    investigator_client.get(LIST, {"q": "word " * 2000})
    detail = AuditEntry.objects.filter(target_id="list").latest("pk").detail
    assert detail["query"]["q"] == ("word " * 40)


@pytest.mark.django_db
def test_opening_a_tip_still_records_that_tip(investigator_client, investigator):
    tip = bulk_tips(make_object(), ["Sold in Ghent"])[0]
    investigator_client.get(reverse("admin:tips_tip_change", args=[tip.pk]))
    entry = AuditEntry.objects.get(action="view", target_type="tips.tip", target_id=str(tip.pk))
    assert entry.actor == investigator
