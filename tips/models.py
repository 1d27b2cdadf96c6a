from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from objects.models import TraceObject


class Tip(models.Model):
    """What a member of the public sent about an object. Nothing about the request is kept.

    Contact details and the photo are stored encrypted (tips.crypto); the tip text stays in the
    clear so investigators can search it. `received_at` is rounded down to the hour so it cannot
    be matched against a proxy or network log.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_REVIEW = "in_review", _("In review")
        USEFUL = "useful", _("Useful")
        NOT_USEFUL = "not_useful", _("Not useful")
        DUPLICATE = "duplicate", _("Duplicate")
        SPAM = "spam", _("Spam")
        FORWARDED = "forwarded", _("Forwarded")
        CLOSED = "closed", _("Closed")

    class Certainty(models.TextChoices):
        KNOW = "know", _("I know")
        THINK = "think", _("I think so")
        GUESS = "guess", _("It is a guess")

    trace_object = models.ForeignKey(
        TraceObject, on_delete=models.PROTECT, related_name="tips", verbose_name=_("object")
    )
    body = models.TextField(_("what they know"))
    country = CountryField(_("country"), blank=True)
    place = models.CharField(_("place, shop or brand"), max_length=200, blank=True)
    link = models.URLField(
        _("link"), max_length=500, blank=True, help_text=_("Shown as text; never fetched.")
    )
    certainty = models.CharField(_("how sure"), max_length=8, choices=Certainty.choices, blank=True)
    contact_encrypted = models.BinaryField(_("contact details (encrypted)"), blank=True)
    photo_name = models.CharField(
        _("photo (encrypted, private storage)"), max_length=200, blank=True, editable=False
    )
    language = models.CharField(_("language"), max_length=12)
    receipt_hash = models.CharField(max_length=64, unique=True, editable=False)
    # SHA-256 of the form's one-time token: the same form sent twice makes one tip.
    submission_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    received_at = models.DateTimeField(_("received (hour)"), db_index=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        indexes = [
            # Triage: an object's tips by status, newest first.
            models.Index(
                fields=["trace_object", "status", "-received_at"], name="tip_object_status_idx"
            ),
            # The queue of new tips across all objects.
            models.Index(fields=["status", "-received_at"], name="tip_status_received_idx"),
        ]

    def __str__(self):
        return f"Tip {self.pk} on {self.trace_object.reference}"

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_encrypted)

    @property
    def has_photo(self) -> bool:
        return bool(self.photo_name)


class TipMessage(models.Model):
    """A question from an investigator to the tipster, or the tipster's answer (encrypted)."""

    class Author(models.TextChoices):
        INVESTIGATOR = "investigator", _("Investigator")
        TIPSTER = "tipster", _("Tipster")

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=12, choices=Author.choices)
    body_encrypted = models.BinaryField()
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The investigator who asked; empty for the tipster's answers."),
    )
    # Rounded to the hour for the tipster's answers, for the same reason as Tip.received_at.
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # Only investigators' messages name a staff user; a tipster is never linked to one.
            models.CheckConstraint(
                condition=Q(author="investigator") | Q(staff_user__isnull=True),
                name="tipmessage_tipster_has_no_user",
            ),
        ]

    def __str__(self):
        return f"{self.get_author_display()} message on tip {self.tip_id}"
