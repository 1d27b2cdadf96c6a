"""traceobject.changes.model_update: what it writes to the database, and what it says changed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from objects.models import Category, TraceObject
from tests.factories import make_category, make_object
from tests.personas import make_editor
from traceobject.changes import model_update


@pytest.mark.django_db
def test_it_saves_only_the_fields_that_changed_and_names_them():
    category = make_category(name="Bags")
    category, changed = model_update(
        instance=category,
        fields=["name", "order"],
        data={"name": "Bags and cases", "order": category.order},
    )
    assert changed == ["name"]
    assert Category.objects.get(pk=category.pk).name == "Bags and cases"


@pytest.mark.django_db
def test_nothing_changed_is_no_query_and_an_empty_list():
    category = make_category(name="Bags")
    with CaptureQueriesContext(connection) as queries:
        _, changed = model_update(
            instance=category, fields=["name"], data={"name": "Bags"}, stamps={"order": 99}
        )
    assert changed == [] and len(queries) == 0
    assert Category.objects.get(pk=category.pk).order != 99


@pytest.mark.django_db
def test_a_field_not_named_in_fields_is_left_alone():
    category = make_category(name="Bags")
    _, changed = model_update(instance=category, fields=["order"], data={"name": "Shoes"})
    assert changed == []
    assert Category.objects.get(pk=category.pk).name == "Bags"


@pytest.mark.django_db
def test_the_update_writes_only_its_own_columns():
    category = make_category(name="Bags")
    Category.objects.filter(pk=category.pk).update(slug="changed-elsewhere")
    model_update(instance=category, fields=["name"], data={"name": "Bags and cases"})
    row = Category.objects.get(pk=category.pk)
    assert (row.name, row.slug) == ("Bags and cases", "changed-elsewhere")


@pytest.mark.django_db
def test_stamps_and_auto_now_go_with_a_change_but_are_not_reported():
    obj = make_object(status="draft")
    editor = make_editor()
    before = TraceObject.objects.get(pk=obj.pk).updated_at
    _, changed = model_update(
        instance=obj, fields=["title"], data={"title": "A lamp"}, stamps={"updated_by": editor}
    )
    row = TraceObject.objects.get(pk=obj.pk)
    assert changed == ["title"]
    assert (row.title, row.updated_by_id) == ("A lamp", editor.pk)
    assert row.updated_at > before


@pytest.mark.django_db
def test_a_foreign_key_can_be_given_by_its_id():
    obj = make_object(status="draft")
    other = make_category()
    _, changed = model_update(instance=obj, fields=["category_id"], data={"category_id": other.pk})
    assert changed == ["category_id"]
    assert TraceObject.objects.get(pk=obj.pk).category_id == other.pk


def test_a_field_the_model_does_not_have_is_an_error():
    with pytest.raises(ValueError, match="nmae"):
        model_update(instance=Category(name="Bags"), fields=["nmae"], data={"nmae": "x"})
