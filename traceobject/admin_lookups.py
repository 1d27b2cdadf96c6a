"""What a back-office list may be filtered, ordered and searched by: what its admin declares.

Django's admin applies any query-string parameter that names a field of the model as a filter
(`?key__startswith=8`, `?password__regex=^argon`), whatever the list's filter sidebar offers, and
orders by any column of list_display. Hiding a field from the page does not hide it: a list that
answers "one row or none" reads a secret back a character at a time. So every admin registered
with the back-office site inherits `LookupAllowList` through
`traceobject.admin.BackofficeModelAdmin` (Django's user and group admins through explicit
subclasses; the system check backoffice.E002 refuses any other), using only the admin's public
hooks:

- Filters: a query-string parameter is accepted only if a declared list filter or the date
  hierarchy takes it, that is exactly the parameters the filter sidebar and the date links
  produce; besides those only the admin's own parameters (p, o, q, e, all, _popup, _to_field,
  _facets) and the fixed `limit_choices_to` lookups of a raw-id popup. Anything else answers
  400 (DisallowedModelAdminLookup), with a warning in the log naming the parameter, never its
  value. `lookup_allowed` refuses early what names no declared filter's field at all; the
  ChangeList refuses, once it has built its filters (`filter_specs`), every parameter that no
  filter expects (`expected_parameters()`), before any query runs.
- Ordering: `o` names list_display columns by number; only sortable columns are accepted. The
  admin's and the model's own ordering are cleaned of secrets in `get_ordering`, which never
  answers empty when either is set, so Django never falls back to them uncleaned.
- Secrets: a field in SECRET_FIELDS, every BinaryField and every field named `*_encrypted` or
  `*_hash` is never filtered, ordered or searched by, and never a `_to_field`, even when an
  admin declares it (the system check backoffice.E001 names such a declaration, and the request
  is refused all the same); this holds along relations too (`assignee__password__startswith`).
- Actions: a ticked id that is no id of the model is a 400 too.
"""

import logging
import re
from typing import Any

from django.conf import settings
from django.contrib.admin import FieldListFilter, ListFilter, ModelAdmin, SimpleListFilter, widgets
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, SuspiciousOperation, ValidationError
from django.db import models
from django.db.models.constants import LOOKUP_SEP

log = logging.getLogger(__name__)

# (app label, model name, field name): secrets whose names say nothing.
SECRET_FIELDS = {
    (*settings.AUTH_USER_MODEL.lower().split("."), "password"),
    ("otp_totp", "totpdevice", "key"),
    ("otp_static", "statictoken", "token"),
    ("tips", "tip", "receipt_hash"),
    ("tips", "tip", "submission_hash"),
    ("backoffice", "setuplink", "token_hash"),
}
SECRET_SUFFIXES = ("_encrypted", "_hash")
_COLUMN = re.compile(r"-?[0-9]{1,4}")


def is_secret(field) -> bool:
    if not isinstance(field, models.Field):
        return False  # a reverse relation: the path goes on to the related model's fields
    opts = field.model._meta
    return (
        isinstance(field, models.BinaryField)
        or field.name.endswith(SECRET_SUFFIXES)
        or (opts.app_label, opts.model_name, field.name) in SECRET_FIELDS
    )


def secret_on_path(model, path: str):
    """The first secret field a lookup, ordering or search path goes through, or None.

    `path` is `field__relation__field__lookup` as in a query string, with an optional ordering
    "-" or search prefix (^ = @). The first part that is not a field (a lookup or a transform)
    ends the path.
    """
    opts = model._meta
    for part in path.lstrip("-^=@").split(LOOKUP_SEP):
        try:
            field = opts.pk if part == "pk" else opts.get_field(part)
        except FieldDoesNotExist:
            return None
        if is_secret(field):
            return field
        if not field.is_relation or field.related_model is None:
            return None
        opts = field.related_model._meta
    return None


def _ordering_paths(order_field) -> list[str]:
    """The field paths an admin_order_field names: a string, an F() or an expression."""
    if isinstance(order_field, str):
        return [order_field]
    return [node.name for node in order_field.flatten() if isinstance(node, models.F)]


def _popup_lookup(model, key: str, value: str) -> bool:
    """A raw-id popup's fixed lookup: (key, value) is a related ForeignKey's limit_choices_to."""
    for fk_lookup in model._meta.related_fkey_lookups:
        if callable(fk_lookup):
            fk_lookup = fk_lookup()
        if (key, value) in widgets.url_params_from_lookup_dict(fk_lookup).items():
            return True
    return False


def log_refusal(model_admin, request, what: str, name: str) -> None:
    """A warning naming the list, the refused parameter and the account; never the value."""
    user = getattr(getattr(request, "user", None), "pk", None)
    log.warning(
        "back-office list %s refused the %s %r (user %s)",
        model_admin.opts.label_lower,
        what,
        name[:100],
        user,
    )


def _refuse(model_admin, request, what: str, name: str):
    log_refusal(model_admin, request, what, name)
    raise DisallowedModelAdminLookup(f"{what} {name[:100]!r} not allowed")


class AllowListChangeList(ChangeList):
    """The ChangeList of every back-office list: the declared lookups and ordering only."""

    def get_queryset(self, request, exclude_parameters=None):
        # The queryset is lazy: it is refused here before any query with the parameter runs.
        try:
            queryset = super().get_queryset(request, exclude_parameters)
        except OverflowError as exc:  # a date-hierarchy year beyond what a datetime holds
            raise IncorrectLookupParameters(exc) from exc
        except IncorrectLookupParameters:
            # Django could not apply a parameter that no filter took (say `trace_object__gt`):
            # that is a refusal (400), not Django's "?e=1" redirect. A bad value of a declared
            # filter or date (the filters not built yet) stays Django's redirect.
            if hasattr(self, "filter_specs"):
                self._refuse_undeclared(request)
            raise
        self._refuse_undeclared(request)
        return queryset

    def _refuse_undeclared(self, request):
        """Refuse a parameter that no declared filter or the date hierarchy takes."""
        given = self.get_filters_params()
        expected = {name for spec in self.filter_specs for name in spec.expected_parameters()}
        shown = {getattr(spec, "field_path", None) for spec in self.filter_specs}
        for item in self.list_filter:
            expected |= self._parameters_of_a_hidden_filter(request, item, shown)
        if self.date_hierarchy and f"{self.date_hierarchy}__year" in given:
            # Django takes the month and the day only along with a year.
            expected |= {f"{self.date_hierarchy}__{part}" for part in ("year", "month", "day")}
        for key, values in given.items():
            if key not in expected and not all(_popup_lookup(self.model, key, v) for v in values):
                _refuse(self.model_admin, request, "filter", key)

    def _parameters_of_a_hidden_filter(self, request, item, shown) -> set[str]:
        """Django builds every declared filter and lets it take its parameters, but keeps in
        filter_specs only those with something to show (one object: no object filter). The
        parameters of a filter it left out are still the list's own."""
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            return {item.parameter_name} if item.parameter_name else set()
        if isinstance(item, type) and issubclass(item, ListFilter):
            spec = item(request, {}, self.model, self.model_admin)
        else:
            path, cls = item if isinstance(item, list | tuple) else (item, FieldListFilter.create)
            path = path if isinstance(path, str) else path.name
            if path in shown:
                return set()
            field = get_fields_from_path(self.model, path)[-1]
            spec = cls(field, request, {}, self.model, self.model_admin, field_path=path)
        return {name for name in spec.expected_parameters() if name}

    def get_ordering(self, request, queryset):
        for part in filter(None, (self.params.get(ORDER_VAR) or "").split(".")):
            if not _COLUMN.fullmatch(part):
                _refuse(self.model_admin, request, "ordering", part)
            index = int(part.removeprefix("-"))
            name: Any = self.list_display[index] if index < len(self.list_display) else None
            sortable = self.sortable_by or ()
            if name == "__str__" and name in sortable:
                continue  # shown as sortable, sorted by nothing (Django skips it)
            order_field = self.get_ordering_field(name) if name in sortable else None
            if not order_field or any(
                secret_on_path(self.model, path) for path in _ordering_paths(order_field)
            ):
                _refuse(self.model_admin, request, "ordering", part)
        return super().get_ordering(request, queryset)


class LookupAllowList(ModelAdmin):
    """Under every ModelAdmin of the back-office site (see the module docstring)."""

    @staticmethod
    def _filter_path(item) -> str:
        """The parameter of a SimpleListFilter, else the field path a list_filter item names."""
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            return item.parameter_name or ""
        if isinstance(item, list | tuple):
            return item[0] if isinstance(item[0], str) else item[0].name
        return item

    def _declared_filter_paths(self, request) -> set[str]:
        list_filter = self.get_list_filter(request) if request is not None else self.list_filter
        paths = {self.date_hierarchy} if self.date_hierarchy else set()
        return paths | {self._filter_path(item) for item in list_filter}

    def get_list_filter(self, request):
        # A filter on a secret would list its values in the sidebar: it is left out.
        return [
            item
            for item in super().get_list_filter(request)
            if secret_on_path(self.model, self._filter_path(item)) is None
        ]

    def lookup_allowed(self, lookup, value, request=None):
        if secret_on_path(self.model, lookup) is not None:
            log_refusal(self, request, "filter", lookup)
            return False
        if _popup_lookup(self.model, lookup, value):
            return True
        for path in self._declared_filter_paths(request):
            if lookup == path or lookup.startswith(path + LOOKUP_SEP):
                # The exact parameter names are checked once the filters took theirs
                # (AllowListChangeList.get_filters): `status__regex` gets no further.
                return True
        log_refusal(self, request, "filter", lookup)
        return False

    def to_field_allowed(self, request, to_field):
        if secret_on_path(self.model, to_field) is not None:
            return False
        return super().to_field_allowed(request, to_field)

    def get_changelist(self, request, **kwargs):
        # No admin here overrides get_changelist (backoffice.E002), so this replaces Django's
        # own ChangeList, whose subclass it is.
        return AllowListChangeList

    def response_action(self, request, queryset):
        # Django filters by the ticked ids as they came, and a non-number is a 500 there.
        for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
            try:
                self.opts.pk.to_python(value)
            except ValidationError:
                log_refusal(self, request, "action selection", ACTION_CHECKBOX_NAME)
                raise SuspiciousOperation("a selected id that is no id") from None
        return super().response_action(request, queryset)

    def get_ordering(self, request):
        # The admin's ordering, else the model's: what the ChangeList falls back to when this
        # answers empty. Cleaned of secrets; when nothing is left, the primary key (the order
        # Django itself completes every list's ordering with), never an empty answer.
        declared = super().get_ordering(request) or self.opts.ordering or ()
        safe = [
            part
            for part in declared
            if not any(secret_on_path(self.model, path) for path in _ordering_paths(part))
        ]
        return safe or (["-pk"] if declared else [])

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return [name for name in fields if secret_on_path(self.model, str(name)) is None]

    def check(self, **kwargs):
        errors = list(super().check(**kwargs))
        declared = [
            *(("list_filter", path) for path in self._declared_filter_paths(None)),
            *(("search_fields", str(name)) for name in self.search_fields),
            *(("ordering", path) for path in self.ordering or () if isinstance(path, str)),
        ]
        for option, path in declared:
            field = secret_on_path(self.model, path)
            if field is not None:
                errors.append(
                    checks.Error(
                        f"{option} names {path!r}, which reaches the secret field {field}; the "
                        "back-office never filters, orders or searches by a secret.",
                        obj=self.__class__,
                        id="backoffice.E001",
                    )
                )
        return errors
