"""The investigators' desk: the front page, the queue's lead, "N left" and undo, and the
decisions on a whole lead from the object's page."""

import pytest
from django.urls import reverse

from tests.factories import make_object, make_tip
from tests.personas import login_verified, make_supervisor
from tips.models import Tip, TipMessage
from traceobject.models import AuditEntry

S = Tip.Status
QUEUE = reverse("tipstaff:triage")


def _flood(obj):
    bodies = ["Biedronka", "Kupiłam w Biedronce", "biedronka!", "Pepco ma takie", "pepco"]
    return [make_tip(obj, body=b).tip for b in bodies]


@pytest.mark.django_db
def test_the_index_shows_new_tips_the_busiest_objects_and_their_leads(investigator_client):
    busy, quiet = make_object(title="Ladybird mug"), make_object(title="Quiet lamp")
    _flood(busy)
    make_tip(quiet, body="Ikea")
    page = investigator_client.get(reverse("admin:index")).content.decode()
    assert "6 new tips wait" in page
    assert page.index("Ladybird mug") < page.index("Quiet lamp")
    assert "Biedronka</a> · 3 tips" in page
    assert f'href="{QUEUE}?object={busy.pk}"' in page


@pytest.mark.django_db
def test_the_index_of_an_editor_has_no_desk(editor_client):
    _flood(make_object())
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "new tips wait" not in page


@pytest.mark.django_db
def test_the_queue_shows_the_proposed_lead_its_support_and_how_many_are_left(
    investigator_client,
):
    obj = make_object()
    _flood(obj)
    page = investigator_client.get(QUEUE).content.decode()
    assert "5 new tips left" in page
    assert "Biedronka</a> · 3 tips" in page


@pytest.mark.django_db
def test_duplicate_of_the_proposed_lead_is_one_click(investigator_client):
    obj = make_object()
    first, second, *_ = _flood(obj)
    Tip.objects.filter(pk=first.pk).update(status=S.USEFUL)
    response = investigator_client.get(QUEUE)
    assert response.context["tip"] == second
    assert response.context["duplicate_target"] == first
    investigator_client.post(
        reverse("tipstaff:tip_duplicate", args=[second.pk]),
        {"duplicate_of": first.pk, "return_to": "queue"},
    )
    second.refresh_from_db()
    assert (second.status, second.duplicate_of) == (S.DUPLICATE, first)


@pytest.mark.django_db
def test_the_first_tip_of_a_lead_is_not_offered_as_a_duplicate(investigator_client):
    first, *_ = _flood(make_object())
    response = investigator_client.get(QUEUE)
    assert response.context["tip"] == first
    assert response.context["duplicate_target"] is None
    assert 'data-key="d"' not in response.content.decode()


@pytest.mark.django_db
def test_the_last_decision_can_be_undone_from_the_queue(investigator_client, investigator):
    obj = make_object()
    first, *_ = _flood(obj)
    investigator_client.post(
        reverse("tipstaff:tip_status", args=[first.pk]), {"to": "spam", "return_to": "queue"}
    )
    page = investigator_client.get(QUEUE).content.decode()
    assert f"Last decision: tip {first.pk}, Spam." in page
    assert reverse("tipstaff:tip_undo", args=[first.pk]) in page
    response = investigator_client.post(
        reverse("tipstaff:tip_undo", args=[first.pk]), {"return_to": "queue"}, follow=True
    )
    first.refresh_from_db()
    assert first.status == S.NEW
    assert f"Tip {first.pk}: undone, back to New." in response.content.decode()
    assert AuditEntry.objects.filter(actor=investigator, detail__undo__isnull=False).exists()


@pytest.mark.django_db
def test_undoing_assign_to_me_takes_the_assignment_back(investigator_client, investigator):
    tip = make_tip(make_object()).tip
    investigator_client.post(
        reverse("tipstaff:tip_assign", args=[tip.pk]),
        {"assignee": investigator.pk, "return_to": "queue"},
    )
    investigator_client.post(reverse("tipstaff:tip_undo", args=[tip.pk]), {"return_to": "queue"})
    tip.refresh_from_db()
    assert (tip.status, tip.assignee) == (S.NEW, None)


@pytest.mark.django_db
def test_nobody_can_undo_someone_elses_decision(client, investigator):
    tip = make_tip(make_object()).tip
    from tips import services

    services.tip_transition(tip=tip, user=investigator, to=S.USEFUL)
    login_verified(client, make_supervisor())
    response = client.post(reverse("tipstaff:tip_undo", args=[tip.pk]), follow=True)
    tip.refresh_from_db()
    assert tip.status == S.USEFUL
    assert "There is nothing of yours to undo" in response.content.decode()


@pytest.mark.django_db
def test_the_objects_page_lists_its_leads_and_forwards_one_in_one_action(investigator_client):
    obj = make_object()
    tips = _flood(obj)
    page = investigator_client.get(reverse("tipstaff:object_tips", args=[obj.pk])).content.decode()
    assert page.index('id="lead-biedronka"') < page.index('id="lead-pepco"')
    response = investigator_client.post(
        reverse("tipstaff:lead_forward", args=[obj.pk]),
        {"key": "biedronka", "agency": "Policja", "country": "PL"},
        follow=True,
    )
    assert "Lead forwarded to Policja: 3 tips recorded as passed on." in response.content.decode()
    statuses = dict(Tip.objects.values_list("pk", "status"))
    assert [statuses[t.pk] for t in tips] == [S.FORWARDED] * 3 + [S.NEW] * 2


@pytest.mark.django_db
def test_asking_a_whole_lead_from_the_objects_page(investigator_client):
    obj = make_object()
    _flood(obj)
    response = investigator_client.post(
        reverse("tipstaff:lead_ask", args=[obj.pk]),
        {"key": "pepco", "body": "Which Pepco?"},
        follow=True,
    )
    assert "every tipster of the lead: 2 tips" in response.content.decode()
    assert TipMessage.objects.filter(tip__lead_key="pepco").count() == 2


@pytest.mark.django_db
def test_a_decision_on_a_lead_the_object_lacks_changes_nothing(investigator_client):
    obj = make_object()
    _flood(obj)
    for key in ("nosuch", "NOT A KEY!"):
        response = investigator_client.post(
            reverse("tipstaff:lead_useful", args=[obj.pk]), {"key": key}, follow=True
        )
        assert response.status_code == 200
        assert "alert-danger" in response.content.decode() or "error" in response.content.decode()
    assert not Tip.objects.exclude(status=S.NEW).exists()
