from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MaximumLengthValidator:
    """Refuse passwords longer than PASSWORD_MAX_LENGTH, so a huge one is never hashed."""

    def validate(self, password, user=None):
        if len(password) > settings.PASSWORD_MAX_LENGTH:
            raise ValidationError(
                _("This password is too long (at most %(max)d characters).")
                % {"max": settings.PASSWORD_MAX_LENGTH},
                code="password_too_long",
            )

    def get_help_text(self):
        return _("Your password can be at most %(max)d characters long.") % {
            "max": settings.PASSWORD_MAX_LENGTH
        }
