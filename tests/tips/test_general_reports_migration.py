"""Migrations tips 0011 and objects 0009 on PostgreSQL: the tips stored on the hidden "general"
TraceObject row become general reports with no object, the row goes with what hung on it only
for it (its search rows, its answer splits), and every other object and tip is left as it was."""

import secrets

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("objects", "0008_image_previews_and_publication"), ("tips", "0010_message_sequence")]
AFTER = [("objects", "0009_no_general_status"), ("tips", "0011_general_reports_without_object")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _tip(Tip, obj, body):
    return Tip.objects.create(
        trace_object=obj,
        body=body,
        language="en",
        receipt_hash=secrets.token_hex(32),
        submission_hash=secrets.token_hex(32),
        received_at="2026-11-30T10:00:00Z",
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_general_tips_leave_the_hidden_row_which_is_deleted():
    old = _migrate(BEFORE)
    try:
        TraceObject = old.get_model("objects", "TraceObject")
        Tip = old.get_model("tips", "Tip")
        category = old.get_model("objects", "Category").objects.create(
            name="Bags", slug="bags", order=1
        )
        mug = TraceObject.objects.create(
            number=1,
            category=category,
            status="published",
            published_at="2026-11-01T10:00Z",
            title="Mug",
            question="Where?",
            alt_text="A mug",
        )
        hidden = TraceObject.objects.create(
            number=2,
            category=None,
            status="general",
            published_at="2026-11-02T10:00Z",
            title="General reports: not about a published object",
            question="Tips sent from the general form.",
            alt_text="",
            case_reference="general-reports",
        )
        old.get_model("objects", "ObjectSearchText").objects.create(
            trace_object=hidden, language="en", text="general reports"
        )
        old.get_model("tips", "AnswerSplit").objects.create(trace_object=hidden, key="oak")
        on_mug = _tip(Tip, mug, "Sold in Lyon.")
        general = [_tip(Tip, hidden, "A van at the school."), _tip(Tip, hidden, "Something else.")]

        new = _migrate(AFTER)
        Tip = new.get_model("tips", "Tip")
        assert sorted(Tip.objects.filter(kind="general").values_list("pk", flat=True)) == sorted(
            t.pk for t in general
        )
        assert not Tip.objects.filter(kind="general", trace_object__isnull=False).exists()
        assert Tip.objects.get(pk=on_mug.pk).kind == "object"
        assert Tip.objects.get(pk=on_mug.pk).trace_object_id == mug.pk
        TraceObject = new.get_model("objects", "TraceObject")
        assert list(TraceObject.objects.values_list("pk", flat=True)) == [mug.pk]
        assert (
            not new.get_model("objects", "ObjectSearchText")
            .objects.filter(trace_object_id=hidden.pk)
            .exists()
        )
        assert not new.get_model("tips", "AnswerSplit").objects.exists()
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
