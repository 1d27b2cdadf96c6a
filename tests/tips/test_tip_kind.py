"""Tip.kind and Tip.trace_object go together: a tip about an object names it, a general report
names none. The database refuses anything else, and the admin's clean() says so first."""

import secrets

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import make_object
from tips.models import Tip


def _tip(**fields) -> Tip:
    return Tip(
        body="Seen it in a shop.",
        language="en",
        receipt_hash=secrets.token_hex(32),
        submission_hash=secrets.token_hex(32),
        received_at="2026-01-01T10:00:00Z",
        **fields,
    )


@pytest.mark.django_db
def test_the_database_refuses_a_general_report_with_an_object():
    tip = _tip(kind=Tip.Kind.GENERAL, trace_object=make_object())
    with pytest.raises(IntegrityError, match="tip_kind_matches_object"), transaction.atomic():
        tip.save()
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_tip_about_an_object_without_one():
    tip = _tip(kind=Tip.Kind.OBJECT, trace_object=None)
    with pytest.raises(IntegrityError, match="tip_kind_matches_object"), transaction.atomic():
        tip.save()
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_clean_names_the_problem_before_the_database_does():
    with pytest.raises(ValidationError) as general:
        _tip(kind=Tip.Kind.GENERAL, trace_object=make_object()).clean()
    assert general.value.message_dict == {"trace_object": ["A general report is about no object."]}
    with pytest.raises(ValidationError) as about:
        _tip(kind=Tip.Kind.OBJECT).clean()
    assert about.value.message_dict == {"trace_object": ["A tip about an object needs its object."]}


@pytest.mark.django_db
def test_both_right_shapes_are_stored():
    _tip(kind=Tip.Kind.GENERAL).save()
    _tip(kind=Tip.Kind.OBJECT, trace_object=make_object()).save()
    assert sorted(Tip.objects.values_list("kind", flat=True)) == ["general", "object"]
