"""The two media stores: public derivatives and private originals, tip photos and previews.

Both are looked up by alias in STORAGES on every call, so a change of STORAGES (S3 in tests, or
settings overridden) is always followed. Originals and attachments never get a public URL.
"""

import os
from datetime import datetime

from django.core.files.storage import Storage, storages

from traceobject.hours import hour_timestamp


def public_storage():
    return storages["public"]


class _PrivateStorage(Storage):
    """Stands for storages["private"], looked up on every call.

    A FileField evaluates its storage callable once, at import; looking the alias up on each
    call means a change of STORAGES (S3 in tests, or settings overridden) is always followed.
    """

    def _target(self) -> Storage:
        return storages["private"]

    def open(self, name, mode="rb"):
        return self._target().open(name, mode)

    def save(self, name, content, max_length=None):
        return self._target().save(name, content, max_length=max_length)

    def delete(self, name):
        return self._target().delete(name)

    def exists(self, name):
        return self._target().exists(name)

    def size(self, name):
        return self._target().size(name)

    def url(self, name):
        return self._target().url(name)

    def path(self, name):
        return self._target().path(name)

    def listdir(self, path):
        return self._target().listdir(path)

    def generate_filename(self, filename):
        return self._target().generate_filename(filename)

    def get_available_name(self, name, max_length=None):
        return self._target().get_available_name(name, max_length=max_length)


_private = _PrivateStorage()


def private_storage():
    return _private


def set_file_hour(storage: Storage, name: str, *, at: datetime) -> bool:
    """Set a stored file's access and modification times (and its folder's) to the hour of `at`.

    For what the public sends: a file's times would otherwise give the second it was written.
    Only local folders allow it (False otherwise): an S3 server sets LastModified itself and it
    cannot be changed, and on a local disk the inode's change time (ctime) is the kernel's.
    docs/threat-model.md says what those still reveal.
    """
    try:
        path = storage.path(name)
    except NotImplementedError:
        return False
    stamp = hour_timestamp(at)
    os.utime(path, (stamp, stamp))
    os.utime(os.path.dirname(path), (stamp, stamp))
    return True
