"""A general report from end to end: sent from "Something else to report", stored with no object,
shown as a general report on the desk, in the queue, the tip list, the tip's page and the export,
asked a question, and replied to by the tipster on the follow-up page."""

import csv
import io
import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_object, make_tip
from tips import selectors, services, spam
from tips.models import Tip, TipMessage
from traceobject import crypto

CODE = re.compile(r'value="([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})"')
LIST = reverse("admin:tips_tip_changelist")


def _send_general_report() -> str:
    data = {
        "body": "A van with no plates waits outside the school every evening at six.",
        "country": "NL",
        "place": "",
        "link": "",
        "certainty": "know",
        "contact": "",
        "website": "",
        "started": spam.issue_token(0, at=time.time() - 30),
    }
    response = Client().post(reverse("tips:general_form"), data)
    assert response.status_code == 200
    return CODE.search(response.content.decode()).group(1)


@pytest.mark.django_db
def test_a_general_report_is_stored_queued_asked_and_answered(investigator_client):
    code = _send_general_report()
    tip = Tip.objects.get()
    assert (tip.kind, tip.trace_object_id, tip.status) == ("general", None, "new")

    queue = investigator_client.get(reverse("tipstaff:triage")).content.decode()
    assert f"Tip {tip.pk} on General report" in queue
    assert f'href="{LIST}?kind=general"' in queue

    asked = investigator_client.post(
        reverse("tipstaff:tip_ask", args=[tip.pk]), {"body": "Which school, which street?"}
    )
    assert asked.status_code == 302

    public = Client()
    follow_up = reverse("tips:follow_up")
    page = public.post(follow_up, {"code": code}).content.decode()
    assert "Something else, not one of the objects" in page
    assert "Which school, which street?" in page
    answered = public.post(follow_up, {"code": code, "reply": "Oak Lane primary school"})
    assert "your reply was received" in answered.content.decode()
    reply = TipMessage.objects.get(author=TipMessage.Author.TIPSTER)
    assert reply.tip == tip
    assert crypto.decrypt_text(reply.body_encrypted) == "Oak Lane primary school"


@pytest.mark.django_db
def test_the_desk_counts_general_reports_as_their_own_entry(investigator_client):
    _send_general_report()
    make_tip(make_object(title="Ladybird mug"))
    page = investigator_client.get(reverse("admin:index")).content.decode()
    assert "2 new tips wait" in page
    assert f'href="{LIST}?kind=general&amp;status__exact=new">General reports</a>' in page
    assert "Ladybird mug" in page


@pytest.mark.django_db
def test_the_tip_list_filters_by_kind_and_names_general_reports(investigator_client):
    _send_general_report()
    about = make_tip(make_object()).tip
    general = Tip.objects.get(kind=Tip.Kind.GENERAL)
    shown = investigator_client.get(LIST, {"kind": "general"})
    assert list(shown.context["cl"].result_list) == [general]
    assert "General report" in shown.content.decode()
    others = investigator_client.get(LIST, {"kind": "object"}).context["cl"].result_list
    assert list(others) == [about]


@pytest.mark.django_db
def test_the_tip_page_says_general_report_and_links_to_all_of_them(investigator_client):
    _send_general_report()
    tip = Tip.objects.get()
    page = investigator_client.get(reverse("admin:tips_tip_change", args=[tip.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert f'<a href="{LIST}?kind=general">General report</a>' in body
    assert f'<a href="{LIST}?kind=general">All general reports</a>' in body
    assert "All tips on this object" not in body


@pytest.mark.django_db
def test_the_export_names_a_general_report_in_the_object_column(investigator):
    _send_general_report()
    obj = make_object()
    make_tip(obj)
    lines = services.tips_export_csv(tips=Tip.objects.all(), user=investigator, query={})
    rows = list(csv.DictReader(io.StringIO("".join(lines))))
    assert sorted(row["object"] for row in rows) == sorted(["General report", obj.reference])


@pytest.mark.django_db
def test_a_general_reports_duplicates_are_other_general_reports():
    body = "A white van with no plates waits outside the primary school every evening."
    first = services.tip_create(obj=None, body=body, language="en", submission_hash="a").tip
    same_on_object = make_tip(make_object(), body=body).tip
    second = services.tip_create(obj=None, body=body + " ", language="en", submission_hash="b").tip
    found = selectors.tip_duplicates(tip=second)
    assert first in found and same_on_object not in found
