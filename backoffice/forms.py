"""The staff-account forms. They accept any role, so that a request for one the person may not
give reaches the service, which refuses it with its reason and an audit row; the role list a
page shows holds only the roles its reader may give (backoffice.services.staff_grantable_roles)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.roles import ROLES
from backoffice.services import staff_grantable_roles

ROLE_CHOICES = [(name, name) for name in ROLES]


class _RoleField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(label=_("Role"), choices=ROLE_CHOICES, **kwargs)


class StaffCreateForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=150,
        help_text=_("Also the username. You give the person a one-time setup link."),
    )
    role = _RoleField()
    contact_access = forms.BooleanField(
        label=_("May see tipsters' contact details and photos"), required=False
    )

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        # Shown: the roles `by` may give. Accepted: any role (the service decides).
        self.fields["role"].widget.choices = [(r, r) for r in staff_grantable_roles(by=by)]


class StaffRoleForm(forms.Form):
    role = _RoleField()
