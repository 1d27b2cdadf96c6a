from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from objects.models import TraceObject
from traceobject.hours import HourDateTimeField

# Seeing who a tipster is (contact details) or their photo is its own permission (Tip.Meta).
CONTACT_PERMISSION = "tips.view_tip_contact"


class Tag(models.Model):
    """A label investigators put on tips (e.g. "brand named", "shop found")."""

    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class Tip(models.Model):
    """What a member of the public sent about an object. Nothing about the request is kept.

    Contact details and the photo are stored encrypted (traceobject.crypto); the tip text stays in
    the clear so investigators can search it. `received_at` and `updated_at` are kept to the hour
    (traceobject.hours.HourDateTimeField) so they cannot be matched against a proxy or network
    log; the staff's own times (status changes, forwarding) are exact.
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

    class Kind(models.TextChoices):
        OBJECT = "object", _("About an object")
        # Sent from "Something else to report" (/<lang>/report/tip/): about no object.
        GENERAL = "general", _("General report")

    kind = models.CharField(
        _("kind"),
        max_length=8,
        choices=Kind.choices,
        default=Kind.OBJECT,
        editable=False,
        help_text=_("A tip about a published object, or a general report about none."),
    )
    trace_object = models.ForeignKey(
        TraceObject,
        on_delete=models.PROTECT,
        related_name="tips",
        verbose_name=_("object"),
        null=True,  # a general report is about no object (tip_kind_matches_object)
        blank=True,
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
    received_at = HourDateTimeField(_("received (hour)"), db_index=False)
    updated_at = HourDateTimeField(_("updated at (hour)"), auto_now=True)

    # --- Triage (back-office only; never shown to a tipster) ---
    class Priority(models.IntegerChoices):
        LOW = 0, _("Low")
        NORMAL = 1, _("Normal")
        HIGH = 2, _("High")
        URGENT = 3, _("Urgent")

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tips",
        verbose_name=_("assigned to"),
        limit_choices_to={"is_staff": True},
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="tips", verbose_name=_("tags"))
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
        help_text=_("The tip that says the same; always the first of its cluster."),
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    forwarded_to = models.CharField(_("forwarded to (agency)"), max_length=200, blank=True)
    forwarded_country = CountryField(_("forwarded to (country)"), blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forwarded by"),
    )
    contact_erased_at = models.DateTimeField(_("contact details erased at"), null=True, blank=True)

    # --- Proposed lead (tips.matching; set when the tip arrives, by tips.services.proposing) ---
    detected_language = models.CharField(
        _("detected language"),
        max_length=12,
        blank=True,
        editable=False,
        help_text=_("The language the text is written in, detected offline; empty if unsure."),
    )
    lead_key = models.CharField(
        _("proposed lead"),
        max_length=40,
        blank=True,
        editable=False,
        help_text=_("The shop, brand or place the tip names, folded; empty if none or several."),
    )
    lead_label = models.CharField(
        _("proposed lead as written"), max_length=80, blank=True, editable=False
    )
    # {"names": [folded names], "common": [common words], "several": bool}: what the pair score
    # compares (tips.matching.pair_score), stored so it is not recomputed for every pair.
    lead_terms = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        indexes = [
            # Triage: an object's tips by status, newest first.
            models.Index(
                fields=["trace_object", "status", "-received_at"], name="tip_object_status_idx"
            ),
            # The queue of new tips across all objects, oldest first with the id as tie-break
            # (received_at is rounded to the hour), also after a skipped tip (tip_next_in_queue).
            models.Index(
                fields=["status", "-received_at", "-id"], name="tip_status_received_id_idx"
            ),
            # The back-office tip list, newest first, unfiltered.
            models.Index(fields=["-received_at", "-id"], name="tip_received_idx"),
            # "Assigned to me" and the assignee filter.
            models.Index(fields=["assignee", "status"], name="tip_assignee_status_idx"),
            # The per-object "by day" figures.
            models.Index(fields=["trace_object", "-received_at"], name="tip_object_received_idx"),
            # The per-object "by suggested country" figures (index-only) and likely duplicates
            # with the same country and place (place__iexact compares UPPER(place)).
            models.Index(
                F("trace_object"), F("country"), Upper("place"), name="tip_object_country_idx"
            ),
            # Likely duplicates: the object's other tips with the same link (few tips have one).
            models.Index(
                fields=["trace_object", "link"], condition=~Q(link=""), name="tip_object_link_idx"
            ),
            # The per-object clusters: duplicates counted by their original.
            models.Index(
                fields=["trace_object", "duplicate_of"],
                condition=Q(duplicate_of__isnull=False),
                name="tip_object_duplicate_idx",
            ),
            # Proposed leads of an object: grouped by key with their support, first and last
            # seen, countries and languages (tips.selectors.object_leads, all index-only),
            # a lead's tips and the likely duplicates with the same lead, newest first.
            models.Index(
                fields=[
                    "trace_object",
                    "lead_key",
                    "-received_at",
                    "-id",
                    "status",
                    "country",
                    "detected_language",
                ],
                condition=~Q(lead_key=""),
                name="tip_object_lead_idx",
            ),
            # The tip list filtered by detected language, newest first.
            models.Index(
                fields=["detected_language", "-received_at", "-id"], name="tip_language_idx"
            ),
            # Full-text search: a GIN index on an expression, created on PostgreSQL only by
            # migration tips 0003 (tip_fts_idx); likely duplicates by wording: a pg_trgm GIN
            # index on the text, migration tips 0005 (tip_body_trgm_idx).
        ]
        constraints = [
            # A tip about an object names it; a general report names none (Tip.clean says so).
            models.CheckConstraint(
                condition=Q(kind="object", trace_object__isnull=False)
                | Q(kind="general", trace_object__isnull=True),
                name="tip_kind_matches_object",
            ),
        ]
        permissions = [
            ("view_tip_contact", _("Can see tipsters' contact details and photos")),
        ]

    def __str__(self):
        return f"Tip {self.pk} on {self.about}"

    def clean(self):
        if self.kind == self.Kind.GENERAL and self.trace_object_id is not None:
            raise ValidationError({"trace_object": _("A general report is about no object.")})
        if self.kind == self.Kind.OBJECT and self.trace_object_id is None:
            raise ValidationError({"trace_object": _("A tip about an object needs its object.")})

    @property
    def is_general(self) -> bool:
        return self.kind == self.Kind.GENERAL

    @property
    def about(self) -> str:
        """What the tip is about, as the back-office and the export name it: the object's
        reference, or "General report"."""
        if self.trace_object_id is None:
            return str(self.Kind.GENERAL.label)
        return self.trace_object.reference

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_encrypted)

    @property
    def has_photo(self) -> bool:
        return bool(self.photo_name)


class LeadSplit(models.Model):
    """An investigator's word that a name is not one lead on an object (a proposed lead
    split): its tips are proposed again without it, and new tips naming it do not join."""

    trace_object = models.ForeignKey(
        TraceObject, on_delete=models.CASCADE, related_name="lead_splits"
    )
    key = models.CharField(max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # One row per object and name; the intake reads them by object.
            models.UniqueConstraint(fields=["trace_object", "key"], name="leadsplit_unique"),
        ]

    def __str__(self):
        return f"{self.key} split on {self.trace_object_id}"


class TipMessage(models.Model):
    """A question from an investigator to the tipster, or the tipster's reply (encrypted)."""

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
        help_text=_("The investigator who asked; empty for the tipster's replies."),
    )
    # Kept to the hour, for the same reason as Tip.received_at: a tipster's reply is a request
    # from the public, and an investigator's question is rounded too, so the thread's times
    # cannot tell the two apart.
    created_at = HourDateTimeField()
    # The message's place in its tip's conversation (1, 2, …). The times cannot order it: an
    # reply stored to the hour would sort before the question it answers.
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sequence", "pk"]
        constraints = [
            # One place per message in a conversation; tips.models.next_sequences hands them out
            # with the tip's row locked.
            models.UniqueConstraint(fields=["tip", "sequence"], name="tipmessage_tip_sequence"),
            # Only investigators' messages name a staff user; a tipster is never linked to one.
            models.CheckConstraint(
                condition=Q(author="investigator") | Q(staff_user__isnull=True),
                name="tipmessage_tipster_has_no_user",
            ),
        ]

    def __str__(self):
        return f"{self.get_author_display()} message on tip {self.tip_id}"


def next_sequences(tip_ids: list[int]) -> dict[int, int]:
    """The next free TipMessage.sequence of each tip, in one grouped query. The caller holds
    the tips' rows locked (select_for_update), so two messages never get one number."""
    last = dict(
        TipMessage.objects.filter(tip_id__in=tip_ids)
        .order_by()
        .values_list("tip_id")
        .annotate(n=models.Max("sequence"))
    )
    return {pk: (last.get(pk) or 0) + 1 for pk in tip_ids}


class TipEvent(models.Model):
    """The tip's back-office history: status changes, assignment, forwarding, internal notes.

    Internal notes are never shown to the tipster. Each row says who and when.
    """

    class Kind(models.TextChoices):
        STATUS = "status", _("Status changed")
        ASSIGN = "assign", _("Assigned")
        PRIORITY = "priority", _("Priority changed")
        FORWARD = "forward", _("Forwarded")
        NOTE = "note", _("Internal note")
        QUESTION = "question", _("Question asked")

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    from_status = models.CharField(max_length=12, choices=Tip.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Tip.Status.choices, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("tip event")
        verbose_name_plural = _("tip events")

    def __str__(self):
        return f"{self.get_kind_display()} on tip {self.tip_id}"
