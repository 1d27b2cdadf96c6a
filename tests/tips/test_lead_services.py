"""Leads proposed as tips arrive, and the decisions on a whole lead."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_object, make_tip
from tips import selectors, services
from tips.models import LeadSplit, Tip, TipMessage
from tips.services import proposing
from traceobject import crypto
from traceobject.models import AuditEntry

S = Tip.Status
FOLLOW_UP = reverse("tips:follow_up")


def _flood(obj):
    bodies = [
        ("Kupiłam to w Biedronce w zeszłym roku", "", "PL"),
        ("biedronka", "", ""),
        ("Ich habe die in Polen bei Biedronka gesehen", "", "DE"),
        ("Sold at Biedronka, Poland", "Biedronka Kraków", "PL"),
        ("C'est vendu chez Pepco en Pologne", "", "FR"),
        ("pepco", "Pepco", ""),
        ("My grandma has one", "", ""),
    ]
    return [make_tip(obj, body=b, place=p, country=c) for b, p, c in bodies]


@pytest.mark.django_db
def test_each_new_tip_joins_the_lead_its_names_point_to():
    obj = make_object(title="Ladybird mug")
    receipts = _flood(obj)
    keys = [Tip.objects.get(pk=r.tip.pk).lead_key for r in receipts]
    assert keys == ["biedronce"] * 4 + ["pepco", "pepco", ""]


@pytest.mark.django_db
def test_the_objects_leads_are_ranked_by_support_with_countries_and_languages():
    obj = make_object()
    _flood(obj)
    found = selectors.object_leads(object_id=obj.pk)
    assert [(a.label, a.support) for a in found] == [("Biedronce", 4), ("Pepco", 2)]
    top = found[0]
    assert dict(top.countries) == {"PL": 2, "DE": 1}
    assert ("pl", 1) in top.languages and ("de", 1) in top.languages
    assert top.first_seen <= top.last_seen and top.new == 4


@pytest.mark.django_db
def test_a_failing_proposal_never_costs_the_tipster_their_tip(monkeypatch, caplog):
    obj = make_object()

    def broken(*, tip):
        Tip.objects.filter(pk=tip.pk).update(lead_key="half-written")
        raise RuntimeError("detector exploded")

    monkeypatch.setattr(proposing, "tip_propose_lead", broken)
    with caplog.at_level(logging.ERROR, logger="tips.services.proposing"):
        receipt = make_tip(obj, body="Biedronka")
    tip = Tip.objects.get(pk=receipt.tip.pk)
    assert receipt.code and tip.body == "Biedronka"
    assert tip.lead_key == ""  # the savepoint rolled the half-done proposal back
    assert "no lead proposed" in caplog.text


@pytest.mark.django_db
def test_confirming_a_lead_folds_its_tips_into_the_first(investigator):
    obj = make_object()
    receipts = _flood(obj)
    decision = services.lead_confirm(obj=obj, key="biedronce", user=investigator)
    assert decision.root.pk == receipts[0].tip.pk and decision.folded == 3
    clusters = selectors.tip_clusters(object_id=obj.pk)
    assert [(c["tip"].pk, c["support"]) for c in clusters] == [(receipts[0].tip.pk, 4)]
    assert Tip.objects.filter(duplicate_of=receipts[0].tip, status=S.DUPLICATE).count() == 3
    assert AuditEntry.objects.filter(detail__decision="confirm", actor=investigator).exists()


@pytest.mark.django_db
def test_splitting_a_lead_proposes_its_tips_again_without_its_name(investigator):
    obj = make_object()
    make_tip(obj, body="Yellow. Pepco")
    make_tip(obj, body="Yellow. Biedronka")
    make_tip(obj, body="Biedronka")
    make_tip(obj, body="Pepco")
    assert Tip.objects.filter(lead_key="yellow").count() == 2
    services.lead_split(obj=obj, key="yellow", user=investigator)
    assert dict(Tip.objects.values_list("body", "lead_key")) == {
        "Yellow. Pepco": "pepco",
        "Yellow. Biedronka": "biedronka",
        "Biedronka": "biedronka",
        "Pepco": "pepco",
    }
    assert LeadSplit.objects.filter(trace_object=obj, key="yellow").exists()
    later = make_tip(obj, body="Yellow").tip
    assert Tip.objects.get(pk=later.pk).lead_key == ""


@pytest.mark.django_db
def test_forwarding_a_lead_tells_every_tipster_passed_on(investigator):
    obj = make_object()
    receipts = _flood(obj)
    decision = services.lead_forward(
        obj=obj, key="biedronce", user=investigator, agency="Policja", country="PL"
    )
    assert decision.done == 4
    for receipt in receipts[:4]:
        tip = Tip.objects.get(pk=receipt.tip.pk)
        assert (tip.status, tip.forwarded_to, tip.forwarded_country) == (
            S.FORWARDED,
            "Policja",
            "PL",
        )
        page = Client().post(FOLLOW_UP, {"code": receipt.code}).content.decode()
        assert "Passed on" in page
    assert Tip.objects.get(pk=receipts[4].tip.pk).status == S.NEW


@pytest.mark.django_db
def test_asking_a_lead_reaches_every_tipster_of_it(investigator):
    obj = make_object()
    receipts = _flood(obj)
    decision = services.lead_ask(
        obj=obj, key="pepco", user=investigator, body="Which Pepco, please?"
    )
    assert decision.done == 2
    asked = TipMessage.objects.filter(tip__lead_key="pepco")
    assert {crypto.decrypt_text(m.body_encrypted) for m in asked} == {"Which Pepco, please?"}
    page = Client().post(FOLLOW_UP, {"code": receipts[5].code}).content.decode()
    assert "Which Pepco, please?" in page


@pytest.mark.django_db
def test_likely_duplicates_come_best_first_and_only_a_sure_one_is_preselected():
    obj = make_object()
    receipts = _flood(obj)
    found = selectors.tip_duplicates(tip=Tip.objects.get(pk=receipts[1].tip.pk))
    assert {t.pk for t in found} == {r.tip.pk for r in (receipts[0], receipts[2], receipts[3])}
    assert [t.score for t in found] == sorted((t.score for t in found), reverse=True)
    assert found[0].preselect and not any(t.preselect for t in found[1:])
    lone = selectors.tip_duplicates(tip=Tip.objects.get(pk=receipts[6].tip.pk))
    assert lone == []


@pytest.mark.django_db
def test_recomputing_fills_tips_stored_before_leads_were_proposed():
    obj = make_object()
    receipts = _flood(obj)
    Tip.objects.update(lead_key="", lead_terms={}, detected_language="")
    assert proposing.leads_recompute(obj=obj) == 7
    assert Tip.objects.get(pk=receipts[2].tip.pk).lead_key == "biedronce"
    assert Tip.objects.get(pk=receipts[2].tip.pk).detected_language == "de"
