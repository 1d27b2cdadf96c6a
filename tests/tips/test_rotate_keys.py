import io
import os

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.test import override_settings

from tests.factories import make_image_bytes, make_tip
from tips import selectors, services
from tips.models import Tip, TipMessage
from traceobject import crypto
from traceobject.hours import HOUR
from traceobject.storage import private_storage


@pytest.mark.django_db
def test_rotate_tip_keys_re_encrypts_everything_with_the_new_key(settings, investigator):
    old_key = settings.TIP_ENCRYPTION_KEYS[0]
    receipt = make_tip(contact="reach me at x@example.org", photo_jpeg=make_image_bytes())
    services.tip_ask(tip=receipt.tip, user=investigator, body="Which shop?")
    old_photo = receipt.tip.photo_name
    new_key = Fernet.generate_key().decode()
    out = io.StringIO()
    with override_settings(TIP_ENCRYPTION_KEYS=[new_key, old_key]):
        call_command("rotate_tip_keys", stdout=out)
    assert "1 contact details, 1 messages and 1 photos" in out.getvalue()
    tip = Tip.objects.get()
    with override_settings(TIP_ENCRYPTION_KEYS=[new_key]):  # the old key is gone
        assert selectors.tip_contact(tip=tip) == "reach me at x@example.org"
        assert selectors.tip_photo(tip=tip) == make_image_bytes()
        message = TipMessage.objects.get()
        assert crypto.decrypt_text(message.body_encrypted) == "Which shop?"
    with override_settings(TIP_ENCRYPTION_KEYS=[old_key]), pytest.raises(InvalidToken):
        selectors.tip_contact(tip=tip)
    assert tip.photo_name != old_photo and not private_storage().exists(old_photo)


@pytest.mark.django_db
def test_rotate_tip_keys_rounds_the_exact_times_of_older_tokens_and_files(settings, own_media):
    _public, private = own_media
    old_key = settings.TIP_ENCRYPTION_KEYS[0]
    receipt = make_tip(contact="reach me", photo_jpeg=make_image_bytes())
    # A tip stored before tokens and files were kept to the hour: exact seconds everywhere.
    exact = int(receipt.tip.received_at.timestamp()) + 1234
    old = Fernet(old_key.encode())
    Tip.objects.filter(pk=receipt.tip.pk).update(
        contact_encrypted=old.encrypt_at_time(b"reach me", exact)
    )
    photo = private / receipt.tip.photo_name
    photo.write_bytes(old.encrypt_at_time(make_image_bytes(), exact))
    os.utime(photo, (exact, exact))
    new_key = Fernet.generate_key().decode()
    with override_settings(TIP_ENCRYPTION_KEYS=[new_key, old_key]):
        call_command("rotate_tip_keys", stdout=io.StringIO())
        tip = Tip.objects.get()
        rotated = (private / tip.photo_name).read_bytes()
        for token in (bytes(tip.contact_encrypted), rotated):
            assert crypto.token_time(token) == exact // HOUR * HOUR
        assert selectors.tip_contact(tip=tip) == "reach me"
    assert (private / tip.photo_name).stat().st_mtime == tip.received_at.timestamp()
