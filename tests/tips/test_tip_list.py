"""The tip list for thousands of tips: new tips first, readable text, a thumbnail, select
filters, no deleting from the list."""

import pytest
from django.urls import reverse

from tests.factories import make_object, make_tip
from tips.models import Tip

LIST = reverse("admin:tips_tip_changelist")


@pytest.mark.django_db
def test_the_list_opens_on_new_tips_and_all_shows_every_status(investigator_client):
    obj = make_object()
    new = make_tip(obj).tip
    old = make_tip(obj, body="Read already").tip
    Tip.objects.filter(pk=old.pk).update(status=Tip.Status.NOT_USEFUL)
    shown = investigator_client.get(LIST).context["cl"].result_list
    assert list(shown) == [new]
    every = investigator_client.get(LIST, {"status__exact": "all"}).context["cl"].result_list
    assert set(every) == {new, old}


@pytest.mark.django_db
def test_each_row_has_readable_text_and_the_objects_thumbnail(investigator_client):
    long_text = "Biedronka " + "word " * 100
    make_tip(make_object(), body=long_text)
    page = investigator_client.get(LIST).content.decode()
    assert '<span class="tip-text">' + long_text[:300] in page
    assert 'class="tip-thumb"' in page


@pytest.mark.django_db
def test_objects_and_countries_are_chosen_from_selects(investigator_client):
    obj = make_object(title="Ladybird mug")
    make_tip(obj, country="PL")
    make_tip(make_object(), country="FR")
    page = investigator_client.get(LIST).content.decode()
    assert '<select name="trace_object__id__exact"' in page
    assert '<select name="country__exact"' in page
    response = investigator_client.get(
        LIST, {"trace_object__id__exact": obj.pk, "country__exact": "PL"}
    )
    assert [t.trace_object_id for t in response.context["cl"].result_list] == [obj.pk]
    # The other filters ride along in each select's form.
    assert f'<input type="hidden" name="trace_object__id__exact" value="{obj.pk}">' in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_nobody_deletes_tips_from_the_list(client, supervisor):
    from tests.personas import login_verified

    login_verified(client, supervisor)
    make_tip(make_object())
    response = client.get(LIST)
    assert "delete_selected" not in response.content.decode()


@pytest.mark.django_db
def test_the_tip_page_shows_the_objects_image_and_the_proposed_lead(investigator_client):
    tip = make_tip(make_object(), body="Kupiłam w Biedronce").tip
    page = investigator_client.get(reverse("admin:tips_tip_change", args=[tip.pk]))
    text = page.content.decode()
    assert 'class="tip-object"' in text and "<img" in text.split('class="tip-object"')[1][:200]
    assert "Biedronce</a> (1 tip)" in text
