"""manage.py verify_integrity on local folders, in this process (the restore drill in
tests/storage/test_restore_drill.py runs it as its own process on S3 after a real restore)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import make_image_bytes, make_object, make_tip


def _verify(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_integrity", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_a_whole_deployment_on_folders_has_no_problem(own_media):
    # The original, four previews, the same four derivatives published, the photo: 10 files.
    make_tip(make_object(), contact="a phone number", photo_jpeg=make_image_bytes(size=(40, 30)))
    out, _err = _verify()
    assert "problem:" not in out
    # The public media URL is relative: the app serves it, and this command starts no server.
    assert "note: public URLs: not checked over HTTP (relative media URL" in out
    triggers = 2 if connection.vendor == "postgresql" else 0
    if not triggers:
        assert "note: audit log triggers: not checked (sqlite)" in out
    assert out.strip().splitlines()[-1] == (
        "Checked 1 images (10 files), 1 tips (1 contact details, 1 photos), 0 messages, "
        f"{triggers} audit triggers, 0 public URLs: 0 problems."
    )


@pytest.mark.django_db
def test_a_missing_preview_is_named_and_fails(own_media):
    image = make_object(publish_image=False).images.get()
    _public, private = own_media
    name = sorted(image.preview_names())[0]
    (private / name).unlink()
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 problems: the deployment is not whole"):
        call_command("verify_integrity", "--no-http", stdout=out)
    label = f"image {image.pk} ({image.trace_object.reference})"
    assert f"problem: {label}: preview {name} is missing from private storage" in out.getvalue()


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_disabled_audit_trigger_is_named(own_media):
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE backoffice_auditentry DISABLE TRIGGER backoffice_audit_no_truncate"
        )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 problems"):
        call_command("verify_integrity", stdout=out)
    assert (
        "problem: audit log: trigger backoffice_audit_no_truncate (refuses TRUNCATE) is "
        "disabled on backoffice_auditentry"
    ) in out.getvalue()
