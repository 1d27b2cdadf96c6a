"""Applying a change to a model instance and saying what it changed.

Services build their audit rows and cache bumps from what `model_update` returns, never from
which code path they took: a save that changes nothing writes nothing, records nothing and
bumps nothing.
"""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_update(
    *,
    instance: M,
    fields: Iterable[str],
    data: Mapping[str, Any],
    stamps: Mapping[str, Any] | None = None,
) -> tuple[M, list[str]]:
    """Set `data[name]` on `instance` for each name in `fields` that `data` holds and that
    differs; returns the instance and the names that changed, in the order of `fields`.

    Only when something changed is the row saved, with `update_fields`: the changed fields, the
    `stamps` (values that go with any change, such as who made it; set then, never reported
    as changed) and any `auto_now` field (the time of the last change). A name of `data` not
    in `fields` is ignored, so a caller can pass a whole form's cleaned data and still say which
    fields this update may touch. A name in `fields` that is not a concrete field of the model
    is a programming error (ValueError), so a typo cannot pass for "nothing changed".

    Compares Python values (`getattr(instance, name) != value`): pass a foreign key by its
    attname (`category_id`) with the id, or by its name with the instance. Nothing is
    validated here; a form or the caller's `full_clean` does that first.
    """
    concrete = {f.name: f for f in instance._meta.concrete_fields}
    concrete |= {f.attname: f for f in instance._meta.concrete_fields}
    changed: list[str] = []
    for name in fields:
        if name not in concrete:
            raise ValueError(f"{type(instance).__name__} has no field {name!r}")
        if name not in data or name in changed:
            continue
        if getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    if not changed:
        return instance, changed
    stamped = dict(stamps or {})
    for name, value in stamped.items():
        if name not in concrete:
            raise ValueError(f"{type(instance).__name__} has no field {name!r}")
        setattr(instance, name, value)
    automatic = [
        f.name
        for f in instance._meta.concrete_fields
        if getattr(f, "auto_now", False) and f.name not in changed
    ]
    instance.save(update_fields=list(dict.fromkeys([*changed, *stamped, *automatic])))
    return instance, changed
