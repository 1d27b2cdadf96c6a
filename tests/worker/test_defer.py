"""Deferring work: one waiting job per object, jobs only from committed transactions, the daily
purge on the schedule, inline after the commit where there is no queue (SQLite)."""

import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from tests.factories import make_object, make_tip
from tips import tasks as tip_tasks
from tips.models import Tip
from traceobject import tasks


def _waiting(**where) -> list[tuple]:
    # Imported here: procrastinate's models exist only on PostgreSQL, where its app is installed.
    from procrastinate.contrib.django.models import ProcrastinateJob

    jobs = ProcrastinateJob.objects.filter(status="todo", **where).order_by("id")
    return list(jobs.values_list("task_name", "args"))


def _old_spam_tip() -> int:
    tip = make_tip(make_object()).tip
    long_ago = timezone.now() - timedelta(days=400)
    Tip.objects.filter(pk=tip.pk).update(
        status=Tip.Status.SPAM, received_at=long_ago, status_changed_at=long_ago
    )
    return tip.pk


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_burst_of_deferrals_for_one_object_leaves_one_waiting_job():
    obj, other = make_object(), make_object()
    queued = [tip_tasks.leads_recompute_later(obj=obj) for _ in range(100)]
    assert queued == [True] + [False] * 99
    assert tip_tasks.leads_recompute_later(obj=other)
    assert _waiting(queueing_lock=f"object-{obj.pk}") == [
        ("tips.leads_recompute", {"object_id": obj.pk})
    ]
    assert len(_waiting(task_name="tips.leads_recompute")) == 2
    # The transaction that deferred them is still usable.
    assert Tip.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_job_deferred_in_a_transaction_that_rolls_back_does_not_exist():
    obj = make_object()
    with pytest.raises(RuntimeError), transaction.atomic():
        tip_tasks.leads_recompute_later(obj=obj)
        raise RuntimeError("the request failed")
    assert _waiting(queueing_lock=f"object-{obj.pk}") == []


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_purge_and_the_stalled_job_retry_are_periodic():
    from procrastinate.contrib.django import app

    schedules = {
        task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()
    }
    assert schedules["tips.purge"] == "0 3 * * *"
    assert "traceobject.retry_stalled_jobs" in schedules
    assert app.tasks["tips.purge"].retry_strategy is tasks.TRANSIENT_RETRY


@pytest.mark.postgres
@pytest.mark.django_db
def test_tasks_status_counts_the_waiting_jobs_and_fails_with_no_worker(capsys):
    tip_tasks.leads_recompute_later(obj=make_object())
    call_command("tasks_status")
    out = capsys.readouterr().out
    # The oldest job's age is whole seconds since it was deferred: 0 on a quiet machine, more
    # on a loaded one, so only its form is pinned.
    assert re.match(
        r"waiting 1 \(oldest \d+ s\), scheduled 0, running 0, failed 0, workers 0\n", out
    ), out
    with pytest.raises(CommandError, match="no worker is alive"):
        call_command("tasks_status", max_age=600)
    with pytest.raises(CommandError, match="must be 0 or more"):
        call_command("tasks_status", max_age=-1)


@pytest.mark.postgres
@pytest.mark.django_db
def test_rebuild_derivatives_defer_queues_each_image_then_the_sweep(capsys):
    first, second = make_object(), make_object()
    call_command("rebuild_derivatives", defer=True)
    assert "Queued 2 images and the sweep" in capsys.readouterr().out
    jobs = _waiting(lock="objects-media")
    ids = sorted(image.pk for obj in (first, second) for image in obj.images.all())
    assert jobs == [("objects.image_rebuild", {"image_id": pk}) for pk in ids] + [
        ("objects.media_sweep", {})
    ]


@pytest.mark.django_db
def test_without_a_queue_a_task_runs_after_the_commit(settings, django_capture_on_commit_callbacks):
    settings.TASKS_INLINE = True
    pk = _old_spam_tip()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.defer(tip_tasks.purge, timestamp=0)
        assert Tip.objects.filter(pk=pk).exists()  # not before the commit
    assert not Tip.objects.filter(pk=pk).exists()


@pytest.mark.django_db
def test_without_a_queue_rebuild_derivatives_refuses_to_defer(settings):
    settings.TASKS_INLINE = True
    with pytest.raises(CommandError, match="needs the task worker"):
        call_command("rebuild_derivatives", defer=True)


@pytest.mark.django_db
def test_without_a_queue_tasks_status_says_tasks_run_inline(settings, capsys):
    settings.TASKS_INLINE = True
    call_command("tasks_status", max_age=0)
    assert "run inline" in capsys.readouterr().out


@pytest.mark.postgres
def test_the_back_office_does_not_list_the_task_queue():
    from django.contrib import admin
    from procrastinate.contrib.django.models import ProcrastinateJob

    assert not admin.site.is_registered(ProcrastinateJob)
