"""Triage: transitions, duplicates, questions, forwarding, audit, export, query counts."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import bulk_tips, make_image_bytes, make_object, make_tip
from tests.personas import login_verified
from tips import selectors, services
from tips.models import Tip, TipEvent
from tips.services import export as tips_export
from traceobject.models import AuditEntry

FOLLOW_UP = reverse("tips:follow_up")
S = Tip.Status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.NEW, S.FORWARDED),
        (S.NEW, S.CLOSED),
        (S.SPAM, S.USEFUL),
        (S.FORWARDED, S.NEW),
        (S.CLOSED, S.USEFUL),
        (S.NOT_USEFUL, S.FORWARDED),
    ],
)
def test_transitions_outside_the_graph_are_rejected(investigator, start, to):
    tip = make_tip().tip
    Tip.objects.filter(pk=tip.pk).update(status=start)
    tip.refresh_from_db()
    with pytest.raises(services.TransitionNotAllowed):
        services.tip_transition(tip=tip, user=investigator, to=to)
    tip.refresh_from_db()
    assert tip.status == start and not tip.events.exists()


@pytest.mark.django_db
def test_a_transition_is_recorded_with_who_and_when(investigator):
    tip = make_tip().tip
    tip = services.tip_transition(tip=tip, user=investigator, to=S.USEFUL)
    event = tip.events.get()
    assert (event.from_status, event.to_status, event.user) == (S.NEW, S.USEFUL, investigator)
    assert tip.status_changed_by == investigator and tip.status_changed_at is not None


@pytest.mark.django_db
def test_a_view_cannot_push_a_forbidden_transition(investigator_client):
    tip = make_tip().tip
    url = reverse("tipstaff:tip_status", args=[tip.pk])
    response = investigator_client.post(url, {"to": "closed"}, follow=True)
    tip.refresh_from_db()
    assert tip.status == S.NEW
    assert "That change is not allowed for this tip." in response.content.decode()


@pytest.mark.django_db
def test_the_duplicate_finder_groups_reworded_tips_and_keeps_others_apart():
    obj = make_object()
    first = make_tip(
        obj, body="This bag is sold at the Primark store in Lyon, rue de la Republique."
    )
    reworded = make_tip(
        obj, body="this bag is sold at the primark store in lyon - rue de la république!"
    )
    different = make_tip(obj, body="I think I saw that lamp in a hotel room in Warsaw in 2019.")
    same_link = make_tip(obj, body="Look here.", link="https://shop.example/bag-42")
    link_twin = make_tip(obj, body="Found it online.", link="https://shop.example/bag-42")
    found = {t.pk for t in selectors.tip_duplicates(tip=first.tip)}
    assert reworded.tip.pk in found
    assert different.tip.pk not in found
    assert {t.pk for t in selectors.tip_duplicates(tip=same_link.tip)} == {link_twin.tip.pk}
    other_object = make_tip(make_object(), body=first.tip.body)
    assert other_object.tip.pk not in found


@pytest.mark.django_db
def test_the_cluster_view_counts_independent_tips(investigator):
    obj = make_object()
    tips = [make_tip(obj).tip for _ in range(3)]
    lone = make_tip(obj, body="Something else entirely").tip
    services.tip_mark_duplicate(tips=tips[1:], original=tips[0], user=investigator)
    clusters = selectors.tip_clusters(object_id=obj.pk)
    assert [(c["tip"].pk, c["support"]) for c in clusters] == [(tips[0].pk, 3)]
    assert lone.pk not in [c["tip"].pk for c in clusters]


@pytest.mark.django_db
def test_a_question_from_the_backoffice_reaches_the_tipster_and_the_reply_comes_back(
    investigator_client,
):
    receipt = make_tip()
    url = reverse("tipstaff:tip_ask", args=[receipt.tip.pk])
    investigator_client.post(url, {"body": "Which shop exactly, please?"})
    tipster = Client()
    page = tipster.post(FOLLOW_UP, {"code": receipt.code}).content.decode()
    assert "Which shop exactly, please?" in page
    tipster.post(FOLLOW_UP, {"code": receipt.code, "reply": "The one by the station."})
    thread = [m["body"] for m in selectors.tip_thread(tip=receipt.tip)]
    assert "The one by the station." in thread
    assert "Which shop exactly, please?" in thread


@pytest.mark.django_db
def test_forwarding_a_cluster_tells_every_tipster_passed_on(client, investigator):
    obj = make_object()
    first, second = make_tip(obj), make_tip(obj)
    services.tip_transition(tip=first.tip, user=investigator, to=S.USEFUL)
    services.tip_mark_duplicate(tips=[second.tip], original=first.tip, user=investigator)
    services.tip_forward(tip=first.tip, user=investigator, agency="Police nationale", country="FR")
    for receipt in (first, second):
        tip = Tip.objects.get(pk=receipt.tip.pk)
        assert tip.status == S.FORWARDED and tip.forwarded_to == "Police nationale"
        assert tip.forwarded_by == investigator and tip.forwarded_at is not None
        assert "Passed on" in client.post(FOLLOW_UP, {"code": receipt.code}).content.decode()


@pytest.mark.django_db
def test_the_triage_queue_decides_and_moves_to_the_next_tip(investigator_client, investigator):
    obj = make_object()
    first, second = make_tip(obj).tip, make_tip(obj, body="Another tip about Madrid").tip
    page = investigator_client.get(reverse("tipstaff:triage"))
    assert page.context["tip"] == first
    response = investigator_client.post(
        reverse("tipstaff:tip_status", args=[first.pk]), {"to": "useful", "return_to": "queue"}
    )
    assert response["Location"] == reverse("tipstaff:triage")
    assert investigator_client.get(response["Location"]).context["tip"] == second
    first.refresh_from_db()
    assert first.status == S.USEFUL


@pytest.mark.django_db
def test_views_changes_exports_and_reveals_are_audited(client, investigator_with_contact):
    login_verified(client, investigator_with_contact)
    receipt = make_tip(contact="signal: +31 6 1234", photo_jpeg=make_image_bytes(size=(120, 90)))
    tip = receipt.tip
    client.get(reverse("admin:tips_tip_change", args=[tip.pk]))
    client.post(reverse("tipstaff:tip_note", args=[tip.pk]), {"text": "ok"})
    shown = client.post(reverse("tipstaff:tip_contact", args=[tip.pk]))
    assert "signal: +31 6 1234" in shown.content.decode()
    photo = client.get(reverse("tipstaff:tip_photo", args=[tip.pk]))
    assert photo.status_code == 200 and photo.content[:2] == b"\xff\xd8"
    export = client.post(
        reverse("admin:tips_tip_changelist"),
        {"action": "export_csv", "_selected_action": [tip.pk], "index": 0},
    )
    assert export.streaming
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][-1] == "contact" and rows[1][-1] == "signal: +31 6 1234"
    actions = set(
        AuditEntry.objects.filter(actor=investigator_with_contact).values_list("action", flat=True)
    )
    assert {"view", "change", "reveal_contact", "reveal_photo", "export"} <= actions
    dump = repr(list(AuditEntry.objects.values()))
    assert receipt.code not in dump and "+31 6 1234" not in dump


@pytest.mark.django_db
def test_an_export_without_the_permission_has_no_contact_details(investigator_client):
    tip = make_tip(contact="secret@example.org").tip
    export = investigator_client.post(
        reverse("admin:tips_tip_changelist"),
        {"action": "export_csv", "_selected_action": [tip.pk], "index": 0},
    )
    body = b"".join(export.streaming_content).decode()
    assert export.status_code == 200 and "secret@example.org" not in body
    assert "contact" not in body.splitlines()[0]


@pytest.mark.django_db
def test_a_large_export_streams_every_tip_and_audits_a_summary(
    investigator_client, investigator, monkeypatch
):
    monkeypatch.setattr(tips_export, "EXPORT_AUDIT_IDS", 5)
    obj = make_object()
    tips = bulk_tips(obj, [f"Tip {i} about a shop" for i in range(12)])
    make_tip(body="On another object")
    export = investigator_client.post(
        reverse("admin:tips_tip_changelist") + f"?trace_object__id__exact={obj.pk}",
        {
            "action": "export_csv",
            "select_across": "1",
            "index": 0,
            "_selected_action": [tips[0].pk],
        },
    )
    assert export.status_code == 200 and export.streaming
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(t.pk for t in tips)
    entry = AuditEntry.objects.filter(actor=investigator, action="export").get()
    ids = sorted(t.pk for t in tips)
    assert entry.detail["count"] == 12 and "ids" not in entry.detail
    assert (entry.detail["first"], entry.detail["last"]) == (ids[0], ids[-1])
    assert entry.detail["query"] == {"trace_object__id__exact": str(obj.pk)}


@pytest.mark.django_db
def test_the_object_view_counts_tips_and_marks_the_object_identified(client, supervisor):
    login_verified(client, supervisor)
    obj = make_object()
    make_tip(obj, country="FR")
    make_tip(obj, country="FR")
    make_tip(obj, country="ES")
    page = client.get(reverse("tipstaff:object_tips", args=[obj.pk])).content.decode()
    assert "<svg" in page and "France" in page and "Spain" in page
    client.post(reverse("tipstaff:object_identify", args=[obj.pk]), {"note": "Sold in Lyon."})
    obj.refresh_from_db()
    assert obj.status == "identified"
    assert "Sold in Lyon." in client.get(obj.get_absolute_url()).content.decode()


@pytest.mark.django_db
@pytest.mark.postgres
def test_full_text_search_finds_words_in_the_tip(investigator_client):
    wanted = make_tip(body="Gekocht bij de Hema in Utrecht").tip
    make_tip(body="Seen in a market in Lisbon")
    response = investigator_client.get(reverse("admin:tips_tip_changelist"), {"q": "utrecht"})
    assert list(response.context["cl"].result_list) == [wanted]


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 30])
def test_the_tip_list_and_queue_use_a_fixed_number_of_queries(
    investigator_client, django_assert_max_num_queries, n
):
    obj = make_object()
    for i in range(n):
        make_tip(obj, body=f"Tip number {i} about a shop", country="FR")
    with django_assert_max_num_queries(16) as list_queries:
        investigator_client.get(reverse("admin:tips_tip_changelist"), {"status__exact": "new"})
    # The queue: the tip, its proposed lead and support (4), likely duplicates, "N left".
    with django_assert_max_num_queries(30):
        investigator_client.get(reverse("tipstaff:triage"))
    # The object's page: figures, clusters and its leads (4 grouped reads).
    with django_assert_max_num_queries(20):
        investigator_client.get(reverse("tipstaff:object_tips", args=[obj.pk]))
    sql = " ".join(q["sql"] for q in list_queries.captured_queries)
    assert "LIMIT 10001" in sql  # the count is capped, never a full COUNT(*)


@pytest.mark.django_db
def test_notes_stay_internal(client, investigator):
    receipt = make_tip()
    services.tip_note(tip=receipt.tip, user=investigator, text="Looks like our suspect's shop")
    assert TipEvent.objects.filter(kind="note").exists()
    page = client.post(FOLLOW_UP, {"code": receipt.code}).content.decode()
    assert "suspect" not in page


@pytest.mark.django_db
def test_marking_identified_refreshes_the_cached_public_page(
    client, supervisor, django_capture_on_commit_callbacks
):
    from django.test import Client

    obj = make_object()
    public = Client()
    before = public.get(obj.get_absolute_url()).content.decode()  # now in the page cache
    assert "Send a tip about this object" in before
    login_verified(client, supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("tipstaff:object_identify", args=[obj.pk]), {"note": "Sold in Lyon."})
    after = public.get(obj.get_absolute_url()).content.decode()
    assert "Sold in Lyon." in after
    assert "Send a tip about this object" not in after


@pytest.mark.django_db
def test_a_tips_link_is_shown_as_text_never_as_a_link(investigator_client):
    link = "https://tracker.example/bag?id=42"
    tip = make_tip(link=link).tip
    for url in (reverse("admin:tips_tip_change", args=[tip.pk]), reverse("tipstaff:triage")):
        html = investigator_client.get(url).content.decode()
        assert "https://tracker.example/bag?id=42" in html.replace("&amp;", "&")
        assert 'href="https://tracker.example' not in html, url
