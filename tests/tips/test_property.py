"""Whatever a browser or a bot posts to the tip and follow-up forms, the answer is never a 500."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_image_bytes
from tips import spam
from tips.models import Tip

text = st.text(max_size=300) | st.text(alphabet=st.characters(max_codepoint=0x3000), max_size=6000)
field = st.none() | text
countries = st.sampled_from(["", "NL", "DE", "FR", "XX", "nl", "Netherlands", "\x00"]) | text
links = st.sampled_from(["", "https://example.org/x", "javascript:alert(1)", "http://[::1", "//x"])
photos = st.none() | st.binary(max_size=2000) | st.just(make_image_bytes(size=(64, 48)))


@pytest.mark.django_db
@override_settings(
    TIP_RATE_PER_CLIENT="100000/h",
    TIP_RATE_GLOBAL="100000/h",
    FOLLOWUP_RATE_PER_CLIENT="100000/h",
    FOLLOWUP_RATE_GLOBAL="100000/h",
)
@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=field,
    country=countries,
    place=field,
    link=links | field,
    certainty=st.sampled_from(["", "know", "think", "guess", "maybe"]) | field,
    contact=field,
    website=st.sampled_from(["", "", "", "x"]),
    token=st.sampled_from(["valid", "fast", "forged", "missing"]),
    photo=photos,
    code=field,
)
def test_the_forms_never_answer_500(
    client, published, body, country, place, link, certainty, contact, website, token, photo, code
):
    data = {}
    for name, value in [
        ("body", body),
        ("country", country),
        ("place", place),
        ("link", link),
        ("certainty", certainty),
        ("contact", contact),
        ("website", website),
    ]:
        if value is not None:
            data[name] = value
    if token != "missing":
        shown = time.time() - (0 if token == "fast" else 30)
        data["started"] = spam.issue_token(published.number, at=shown)
        if token == "forged":
            data["started"] = data["started"][:-3] + "abc"
    if photo is not None:
        data["photo"] = SimpleUploadedFile("p.jpg", photo, "image/jpeg")
    before = Tip.objects.count()
    response = client.post(reverse("tips:form", args=[published.number]), data)
    assert response.status_code in (200, 400), response.status_code
    stored = Tip.objects.count() - before
    assert stored in (0, 1)
    if stored:
        tip = Tip.objects.latest("pk")
        assert response.status_code == 200 and 10 <= len(tip.body) <= 5000
        assert "\x00" not in tip.body + tip.place and "\u202e" not in tip.body

    follow = {"code": code} if code is not None else {}
    if body is not None and len(follow):
        follow["reply"] = body
    assert client.post(reverse("tips:follow_up"), follow).status_code in (200, 400)
