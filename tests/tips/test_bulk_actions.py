"""Bulk actions on tips: ask many tipsters the same question (a selection or a cluster), put a
tag on or take it off many tips. Each through a confirmation page, each audited."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import bulk_tips, make_object, make_tip
from tips import selectors, services
from tips.models import Tag, Tip, TipEvent, TipMessage
from traceobject.models import AuditEntry

LIST = reverse("admin:tips_tip_changelist")
FOLLOW_UP = reverse("tips:follow_up")
S = Tip.Status
QUESTION = "Was the shop on the north side of the square?"


def _post_action(client, action, tips, url=LIST, **extra):
    data = {"action": action, "_selected_action": [t.pk for t in tips], "index": 0, **extra}
    return client.post(url, data)


def _apply(client, action, tips, url=LIST, select_across=False, **extra):
    data = {
        "action": action,
        "_selected_action": [t.pk for t in tips],
        "apply": "1",
        "select_across": "1" if select_across else "0",
        **extra,
    }
    return client.post(url, data)


@pytest.mark.django_db
def test_asking_a_selection_reaches_each_open_tipster_in_their_own_thread(
    investigator_client, investigator
):
    obj = make_object()
    first, second = make_tip(obj), make_tip(obj)
    closed = make_tip(obj)
    Tip.objects.filter(pk=closed.tip.pk).update(status=S.SPAM)
    chosen = [first.tip, second.tip, closed.tip]
    every = f"{LIST}?status__exact=all"  # the list opens on new tips; the spam one is older
    page = _post_action(investigator_client, "ask_tipsters", chosen, url=every)
    assert page.status_code == 200 and "3 tips are selected" in page.content.decode()
    assert not TipMessage.objects.exists()  # nothing before the confirmation
    done = _apply(investigator_client, "ask_tipsters", chosen, url=every, body=QUESTION)
    assert done.status_code == 302
    for receipt in (first, second):
        assert TipMessage.objects.filter(tip=receipt.tip).count() == 1
        assert QUESTION in Client().post(FOLLOW_UP, {"code": receipt.code}).content.decode()
        tip = Tip.objects.get(pk=receipt.tip.pk)
        assert tip.status == S.IN_REVIEW and tip.status_changed_by == investigator
        assert set(tip.events.values_list("kind", flat=True)) == {"status", "question"}
    assert not TipMessage.objects.filter(tip=closed.tip).exists()
    assert QUESTION not in Client().post(FOLLOW_UP, {"code": closed.code}).content.decode()
    audited = AuditEntry.objects.filter(actor=investigator, detail__field="question")
    assert sorted(audited.values_list("target_id", flat=True)) == sorted(
        [str(first.tip.pk), str(second.tip.pk)]
    )
    dump = repr(list(AuditEntry.objects.values()))
    assert QUESTION not in dump and first.code not in dump
    # The reply comes back into that tip's own thread.
    Client().post(FOLLOW_UP, {"code": second.code, "reply": "Yes, north side."})
    # (A set: the tipster's reply is stamped with the hour only, so it may sort first.)
    thread = {m["body"] for m in selectors.tip_thread(tip=second.tip)}
    assert thread == {QUESTION, "Yes, north side."}
    assert len(selectors.tip_thread(tip=first.tip)) == 1


@pytest.mark.django_db
def test_an_empty_question_asks_nobody(investigator_client):
    tip = make_tip().tip
    page = _apply(investigator_client, "ask_tipsters", [tip], body="  ")
    assert page.status_code == 200 and not TipMessage.objects.exists()


@pytest.mark.django_db
def test_asking_a_cluster_from_the_object_page(investigator_client, investigator):
    obj = make_object()
    receipts = [make_tip(obj) for _ in range(3)]
    lone = make_tip(obj, body="Something else")
    tips = [r.tip for r in receipts]
    services.tip_mark_duplicate(tips=tips[1:], original=tips[0], user=investigator)
    page = investigator_client.get(reverse("tipstaff:object_tips", args=[obj.pk]))
    url = reverse("tipstaff:cluster_ask", args=[tips[0].pk])
    assert url in page.content.decode()
    assert investigator_client.get(url).status_code == 405
    # From any tip of the cluster: the whole cluster is asked.
    response = investigator_client.post(
        reverse("tipstaff:cluster_ask", args=[tips[2].pk]), {"body": QUESTION}
    )
    assert response["Location"] == reverse("tipstaff:object_tips", args=[obj.pk])
    for receipt in receipts:
        assert QUESTION in Client().post(FOLLOW_UP, {"code": receipt.code}).content.decode()
    assert not TipMessage.objects.filter(tip=lone.tip).exists()
    assert TipEvent.objects.filter(kind="question").count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 60])
def test_bulk_question_uses_a_fixed_number_of_queries(investigator, django_assert_num_queries, n):
    tips = bulk_tips(make_object(), [f"Tip {i}" for i in range(n)])
    # Lock, the next message numbers, messages, status, events, audit (and the savepoint).
    with django_assert_num_queries(8):
        result = services.tip_question_many(tips=tips, user=investigator, body=QUESTION)
    assert result.done == n and TipMessage.objects.count() == n


@pytest.mark.django_db
def test_tags_are_added_and_removed_in_bulk_through_a_confirmation_page(
    investigator_client, investigator
):
    brand, shop = Tag.objects.create(name="brand named"), Tag.objects.create(name="shop found")
    tips = bulk_tips(make_object(), ["a", "b", "c"])
    tips[0].tags.add(brand)
    page = _post_action(investigator_client, "add_tag", tips[:2] + [tips[2]])
    assert page.status_code == 200
    html = page.content.decode()
    assert "brand named" in html and "shop found" in html and "3 tips are selected" in html
    _apply(investigator_client, "add_tag", tips, tag=brand.pk)
    assert all(brand in t.tags.all() for t in tips)
    # Only the two tips that changed are audited.
    added = AuditEntry.objects.filter(
        actor=investigator, detail__field="tags", detail__added=brand.pk
    )
    assert sorted(added.values_list("target_id", flat=True)) == sorted(
        [str(tips[1].pk), str(tips[2].pk)]
    )
    _apply(investigator_client, "remove_tag", tips[:2], tag=brand.pk)
    assert [brand in t.tags.all() for t in tips] == [False, False, True]
    removed = AuditEntry.objects.filter(detail__field="tags", detail__removed=brand.pk)
    assert removed.count() == 2
    assert not shop.tips.exists()


@pytest.mark.django_db
def test_a_bulk_tag_can_cover_every_tip_matching_the_filters(investigator_client):
    brand = Tag.objects.create(name="brand named")
    obj, other = make_object(), make_object()
    mine = bulk_tips(obj, [f"t{i}" for i in range(70)])  # more than one page
    theirs = bulk_tips(other, ["x"])
    url = f"{LIST}?trace_object__id__exact={obj.pk}"
    page = investigator_client.post(
        url,
        {"action": "add_tag", "index": 0, "select_across": "1", "_selected_action": [mine[0].pk]},
    )
    assert "70 tips are selected" in page.content.decode()
    _apply(investigator_client, "add_tag", [mine[0]], url=url, select_across=True, tag=brand.pk)
    assert brand.tips.count() == 70 and not theirs[0].tags.exists()


@pytest.mark.django_db
def test_tag_actions_need_the_change_permission(client, editor):
    from tests.personas import login_verified

    tag = Tag.objects.create(name="brand named")
    tip = make_tip().tip
    login_verified(client, editor)
    response = _apply(client, "add_tag", [tip], tag=tag.pk)
    assert response.status_code == 403 and not tip.tags.exists()
