"""objects.selectors.published_or_gone: the object, or a domain result the views turn into a
404 or a 410 (a selector knows nothing of HTTP)."""

import pytest
from django.http import Http404

from objects.selectors import ObjectNotFound, ObjectWithdrawn, published_or_gone
from tests.factories import make_object


@pytest.mark.django_db
def test_a_published_object_is_returned():
    obj = make_object(status="published")
    assert published_or_gone(obj.number) == obj


@pytest.mark.django_db
def test_a_withdrawn_object_is_withdrawn():
    obj = make_object(status="withdrawn")
    with pytest.raises(ObjectWithdrawn):
        published_or_gone(obj.number)


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", None])
def test_a_draft_or_an_unknown_number_is_not_found_and_no_http_error(status):
    number = make_object(status=status).number if status else 987_654
    with pytest.raises(ObjectNotFound) as raised:
        published_or_gone(number)
    assert not isinstance(raised.value, Http404)
