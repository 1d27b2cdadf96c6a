from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from tips.models import Tip, TipMessage
from traceobject import crypto
from traceobject.storage import private_storage, set_file_hour


class Command(BaseCommand):
    help = (
        "Re-encrypt contact details, tip photos and follow-up messages with the first key in "
        "TIP_ENCRYPTION_KEYS, each token stamped with its own time rounded down to the hour "
        "(which also clears exact times from older tokens). Put the new key first, run this, "
        "then remove the old key."
    )

    def handle(self, *args, **opts):
        contacts = photos = messages = 0
        storage = private_storage()
        for tip in Tip.objects.exclude(contact_encrypted=b"").only("pk", "contact_encrypted"):
            tip.contact_encrypted = crypto.rotate(tip.contact_encrypted)
            tip.save(update_fields=["contact_encrypted"])
            contacts += 1
        for message in TipMessage.objects.only("pk", "body_encrypted").iterator():
            message.body_encrypted = crypto.rotate(message.body_encrypted)
            message.save(update_fields=["body_encrypted"])
            messages += 1
        tips_with_photos = Tip.objects.exclude(photo_name="").only(
            "pk", "photo_name", "received_at"
        )
        for tip in tips_with_photos.iterator():
            with storage.open(tip.photo_name) as fh:
                rotated = crypto.rotate(fh.read())
            # Write the new file first, point the tip at it, then delete the old one. The new
            # file's times are the tip's hour, not the rotation's second.
            new_name = storage.save(tip.photo_name, ContentFile(rotated))
            set_file_hour(storage, new_name, at=tip.received_at)
            with transaction.atomic():
                old_name = tip.photo_name
                tip.photo_name = new_name
                tip.save(update_fields=["photo_name"])
            if new_name != old_name:
                storage.delete(old_name)
            photos += 1
        self.stdout.write(
            f"Re-encrypted {contacts} contact details, {messages} messages and {photos} photos "
            "with the first key."
        )
