"""The core's one model: the audit log, which every app writes through traceobject.audit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One line of the append-only audit log (on PostgreSQL a trigger refuses UPDATE/DELETE).

    It lives in the core so that every app records into it (traceobject.audit.audit_record).

        It never holds a password, a receipt code, a session id or an address: `detail` carries ids,
        statuses and counts only. A failed login with an unknown username stores a keyed hash of
        what was typed, not the text, because people type their password into the username field.
    """

    class Action(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Login failed")
        LOGIN_THROTTLED = "login_throttled", _("Login throttled")
        OTP_FAILED = "otp_failed", _("Second factor failed")
        OTP_SETUP = "otp_setup", _("Second factor set up")
        LOGOUT = "logout", _("Logout")
        VIEW = "view", _("View")
        CHANGE = "change", _("Change")
        REVEAL_CONTACT = "reveal_contact", _("Contact details revealed")
        REVEAL_PHOTO = "reveal_photo", _("Photo revealed")
        EXPORT = "export", _("Export")
        PURGE = "purge", _("Purge")
        STAFF_CREATED = "staff_created", _("Staff account created")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        SETUP_LINK = "setup_link", _("Setup link issued")
        OTP_RESET = "otp_reset", _("Second factor reset")
        STAFF_ROLE = "staff_role", _("Staff role changed")
        CONTACT_GRANTED = "contact_granted", _("Contact access granted")
        CONTACT_REVOKED = "contact_revoked", _("Contact access revoked")
        STAFF_DEACTIVATED = "staff_deactivated", _("Staff account deactivated")
        STAFF_REACTIVATED = "staff_reactivated", _("Staff account reactivated")
        STAFF_REFUSED = "staff_refused", _("Staff account change refused")
        CREATE = "create", _("Create")
        DELETE = "delete", _("Delete")
        PUBLISH = "publish", _("Publish")
        UNPUBLISH = "unpublish", _("Unpublish")
        IMAGE_PUBLISHED = "image_published", _("Crop and redaction published")

    at = models.DateTimeField(_("when"), auto_now_add=True)
    # No database foreign key: rows must outlive the account and never be updated by a cascade.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    target_type = models.CharField(_("target type"), max_length=40, blank=True)
    target_id = models.CharField(_("target id"), max_length=40, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        # The table keeps the name it was created with, in the back-office app, so the append-only
        # trigger (backoffice migration 0002) and every existing row stay as they are.
        db_table = "backoffice_auditentry"
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [
            # The audit log page: newest first, optionally for one action.
            models.Index(fields=["action", "-at"], name="audit_action_at_idx"),
            # "Who looked at tip 123?": one target's history.
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            # The audit log, newest first.
            models.Index(fields=["-at"], name="audit_at_idx"),
            # "What did this account do last night?": the actor filter, newest first.
            models.Index(fields=["actor", "-at"], name="audit_actor_at_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"
