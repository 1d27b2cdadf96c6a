from django.conf import settings
from django.db import models


class SetupLink(models.Model):
    """A one-time link from `create_staff`: sets the password and the second factor, once.

    Only a SHA-256 of the link's token is stored, so a database dump cannot be used to take over
    a new account.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"setup link for {self.user_id}"
