"""Times kept to the hour: what is stored about a tip cannot be matched against a network log.

A proxy, an ISP or a state watching traffic knows to the second when a device talked to the
site. Every time stored for what the public sends (a tip's arrival, a tipster's reply, the
Fernet tokens and the files holding their contact details and photos) is rounded down to the
hour, so it names an hour in which many people may have visited, not one request.
"""

from datetime import UTC, datetime

from django.db import models
from django.utils import timezone

HOUR = 3600


def floor_hour(when: datetime) -> datetime:
    """`when` rounded down to the whole hour (in UTC, where every hour is whole)."""
    return when.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def this_hour() -> datetime:
    return floor_hour(timezone.now())


def hour_timestamp(when: datetime | None = None) -> int:
    """The Unix time of the start of the hour of `when` (default: now)."""
    return int((when or timezone.now()).timestamp()) // HOUR * HOUR


class HourDateTimeField(models.DateTimeField):
    """A DateTimeField that stores every value rounded down to the hour.

    The rounding is in the field, not in the callers: save(), create(), bulk_create() and
    update() all go through get_db_prep_save, and auto_now / auto_now_add give this hour, so no
    code path can store a more precise time.
    """

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if isinstance(value, datetime):
            value = floor_hour(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        if isinstance(value, datetime):
            value = floor_hour(value)
        return super().get_db_prep_save(value, connection)
