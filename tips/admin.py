"""Tips in Django's admin: the list with search and filters, the tip page, bulk actions.

Status changes never go through the admin form: they are buttons that post to the small views
in tips.staff_views (one per decision), which call the services that enforce the allowed
transitions.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from objects.models import ObjectImage
from tips import selectors, services
from tips.forms import ForwardForm, NoteForm, QuestionForm, TagChoiceForm
from tips.models import CONTACT_PERMISSION, Tag, Tip
from tips.staff_views import drafts
from traceobject.admin import BackofficeModelAdmin
from traceobject.audit import Action, audit_record
from traceobject.paginator import CappedCountPaginator


class HasContactFilter(admin.SimpleListFilter):
    title = _("contact details")
    parameter_name = "has_contact"

    def lookups(self, request, model_admin):
        return [("yes", _("Given")), ("no", _("None"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(contact_encrypted=b"")
        if self.value() == "no":
            return queryset.filter(contact_encrypted=b"")
        return queryset


class HasPhotoFilter(admin.SimpleListFilter):
    title = _("photo")
    parameter_name = "has_photo"

    def lookups(self, request, model_admin):
        return [("yes", _("Attached")), ("no", _("None"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(photo_name="")
        if self.value() == "no":
            return queryset.filter(photo_name="")
        return queryset


class LanguageFilter(admin.SimpleListFilter):
    """The site's languages as choices: no SELECT DISTINCT over every tip."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [(code, name) for code, name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


class StatusFilter(admin.SimpleListFilter):
    """Status, "new" unless another is chosen: the list opens on the tips still to read."""

    title = _("status")
    parameter_name = "status__exact"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [(self.ALL, _("All")), *Tip.Status.choices]

    def value(self):
        return super().value() or Tip.Status.NEW

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        if self.value() not in Tip.Status.values:
            return queryset.none()
        return queryset.filter(status=self.value())

    def choices(self, changelist):
        # No "All" link of Django's own: "all" is one of the lookups, "new" the default.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class SelectFilter:
    """A filter shown as one <select> and a button (a plain GET form, no script), for lists too
    long for links: the objects, the ~250 countries. The form carries the list's other filters."""

    template = "backoffice/select_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        mine = set(self.expected_parameters())
        self.other_params = [
            (key, value)
            for key, values in request.GET.lists()
            if key not in mine and key != "p"
            for value in values
        ]

    def options(self):
        return [(str(value), label) for value, label in self.option_choices()]

    @property
    def selected_value(self) -> str:
        value = self.lookup_val
        if isinstance(value, list):
            value = value[-1] if value else None
        return "" if value is None else str(value)


class ObjectSelectFilter(SelectFilter, admin.RelatedFieldListFilter):
    def option_choices(self):
        return self.lookup_choices


class CountrySelectFilter(SelectFilter, admin.ChoicesFieldListFilter):
    def option_choices(self):
        return list(countries)


class DetectedLanguageFilter(admin.SimpleListFilter):
    """The language the text is written in (detected offline, tips.language)."""

    title = _("detected language")
    parameter_name = "detected_language"

    def lookups(self, request, model_admin):
        return [*settings.LANGUAGES, ("none", _("Too short to tell"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(detected_language="")
        return queryset.filter(detected_language=self.value()) if self.value() else queryset


class KindFilter(admin.SimpleListFilter):
    """Tips about an object, or general reports (sent from "Something else to report")."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return Tip.Kind.choices

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class LeadFilter(admin.SimpleListFilter):
    """One lead's tips (linked from the object's page; no choices of its own)."""

    title = _("proposed lead")
    parameter_name = "lead"

    def lookups(self, request, model_admin):
        return []

    def queryset(self, request, queryset):
        return queryset.filter(lead_key=self.value()) if self.value() else queryset


def _list_query(request, *, keys: int = 20, length: int = 200) -> dict[str, str]:
    """The list's query string as a dict for the audit log, bounded in keys and length."""
    return {key[:40]: value[:length] for key, value in list(request.GET.items())[:keys]}


class TipActionForm(ActionForm):
    """Extra inputs for the bulk actions: which tip they duplicate, where they were sent."""

    duplicate_of = forms.IntegerField(label=_("original tip id"), required=False)
    agency = forms.CharField(label=_("agency"), max_length=200, required=False)


@admin.register(Tag)
class TagAdmin(BackofficeModelAdmin):
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        services.tag_save(tag=obj, user=request.user)

    def delete_model(self, request, obj):
        services.tag_delete(tag=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for tag in queryset:
            services.tag_delete(tag=tag, user=request.user)


@admin.register(Tip)
class TipAdmin(BackofficeModelAdmin):
    list_display = [
        "id",
        "object_thumb",
        "object_reference",
        "status",
        "short_body",
        "lead_label",
        "country_name",
        "detected_language",
        "assignee",
        "received_at",
    ]
    list_select_related = ["trace_object", "assignee"]
    list_filter = [
        StatusFilter,
        KindFilter,
        ("trace_object", ObjectSelectFilter),
        ("country", CountrySelectFilter),
        # Staff users as choices (limit_choices_to); RelatedOnly would scan every tip for them.
        ("assignee", admin.RelatedFieldListFilter),
        DetectedLanguageFilter,
        LanguageFilter,
        LeadFilter,
        ("received_at", admin.DateFieldListFilter),
        HasContactFilter,
        HasPhotoFilter,
        "priority",
    ]
    search_fields = ["body"]  # the search itself is full-text: get_search_results
    search_help_text = _("Full-text search in the tip text and place.")
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_per_page = 50
    action_form = TipActionForm
    actions = ["export_csv", "mark_duplicate", "forward", "ask_tipsters", "add_tag", "remove_tag"]
    fields = [
        "trace_object",
        "status",
        "body",
        "place",
        "country",
        "link_as_text",
        "certainty",
        "language",
        "received_at",
        "assignee",
        "priority",
        "tags",
        "duplicate_of",
        "forwarded_to",
        "forwarded_country",
        "forwarded_at",
        "forwarded_by",
        "status_changed_at",
        "status_changed_by",
    ]
    readonly_fields = [
        "trace_object",
        "status",
        "body",
        "place",
        "country",
        "link_as_text",
        "certainty",
        "language",
        "received_at",
        "duplicate_of",
        "forwarded_to",
        "forwarded_country",
        "forwarded_at",
        "forwarded_by",
        "status_changed_at",
        "status_changed_by",
    ]
    autocomplete_fields = ["tags"]
    change_form_template = "backoffice/tip_change_form.html"

    def has_add_permission(self, request):
        return False  # tips come from the public form only

    def has_delete_permission(self, request, obj=None):
        return False  # tips leave only through the daily purge (audited), even for a superuser

    @admin.display(description=_("object"), ordering="trace_object__number")
    def object_reference(self, tip):
        return tip.about

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, tip):
        # Not the plain "country" column: the admin looks a choice up in field.flatchoices,
        # which django-countries rebuilds (about 250 translated names) for every cell.
        return tip.country.name or None

    @admin.display(description=_("link (text only, never opened by this site)"))
    def link_as_text(self, tip):
        # Django's admin shows a URLField as a clickable <a>: a tipster's link must not be one
        # click from an investigator's browser (it could track them or carry an exploit). Plain
        # text, escaped; the investigator copies it into an isolated browser if at all.
        return tip.link or "—"

    @admin.display(description=_("tip"))
    def short_body(self, tip):
        # A readable column (static/css/backoffice.css .tip-text), not a tip's whole text.
        text = tip.body[:300] + ("…" if len(tip.body) > 300 else "")
        return format_html('<span class="tip-text">{}</span>', text)

    @admin.display(description=_("image"))
    def object_thumb(self, tip):
        image = tip.trace_object.primary_image if tip.trace_object else None
        thumb = image.thumb if image else None
        if not thumb:
            return ""
        return format_html(
            '<img class="tip-thumb" src="{}" alt="{}" width="{}" height="{}">',
            thumb["url"],
            image.alt,
            thumb["width"],
            thumb["height"],
        )

    def get_queryset(self, request):
        # The objects' primary images in one query for the list's thumbnails.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "trace_object__images",
                    queryset=ObjectImage.objects.filter(is_primary=True),
                    to_attr="primary_images",
                )
            )
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deleting is retention's job (manage.py purge_tips)
        return actions

    def get_search_results(self, request, queryset, search_term):
        return selectors.tip_search(queryset, search_term), False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        """The tip list, audited as one bounded row per page shown.

        A list row shows a tip's first 80 characters, not the tip. So a page is recorded as the
        query that produced it (filters, search words, ordering, page: `query`), how many tips
        it showed and the first and last id shown, never the ids of every tip: paging through
        10,000 tips must not write 10,000 ids. Reading a tip itself (its page, the triage queue,
        a reveal, an export) records that tip's id, which answers "who read tip 123"; who may
        have seen its excerpt in a list is found by replaying the recorded queries.
        """
        response = super().changelist_view(request, extra_context)
        cl = getattr(response, "context_data", {}).get("cl")
        if cl is not None:
            shown = [tip.pk for tip in cl.result_list]
            audit_record(
                action=Action.VIEW,
                user=request.user,
                target_type="tips.tip",
                target_id="list",
                query=_list_query(request),
                shown=len(shown),
                first=shown[0] if shown else None,
                last=shown[-1] if shown else None,
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        tip = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if tip is not None and request.method == "GET":
            audit_record(action=Action.VIEW, user=request.user, target=tip)
            typed = drafts(request, tip, "body", "text", "agency")
            extra.update(
                tip=tip,
                thread=selectors.tip_thread(tip=tip),
                events=list(tip.events.select_related("user")),
                duplicates=selectors.tip_duplicates(tip=tip),
                lead=selectors.tip_lead(tip=tip),
                image=tip.trace_object.primary_image if tip.trace_object else None,
                statuses=[
                    (s.value, s.label)
                    for s in Tip.Status
                    if s in services.TRANSITIONS[tip.status]
                    and s not in (Tip.Status.DUPLICATE, Tip.Status.FORWARDED)
                ],
                can_reveal=request.user.has_perm(CONTACT_PERMISSION),
                priorities=Tip.Priority.choices,
                question_form=QuestionForm(initial=typed),
                forward_form=ForwardForm(initial=typed),
                note_form=NoteForm(initial=typed),
            )
        return super().change_view(request, object_id, form_url, extra)

    def save_model(self, request, obj, form, change):
        # Only assignment, priority and tags are editable here; each change is audited.
        changed = [name for name in form.changed_data if name != "tags"]
        if "assignee" in changed:
            services.tip_assign(tip=obj, user=request.user, assignee=obj.assignee)
        if "priority" in changed:
            services.tip_set_priority(tip=obj, user=request.user, priority=obj.priority)
        obj.refresh_from_db(fields=["status", "status_changed_at", "status_changed_by"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "tags" in form.changed_data:
            tags = sorted(t.pk for t in form.cleaned_data["tags"])
            audit_record(
                action=Action.CHANGE,
                user=request.user,
                target=form.instance,
                field="tags",
                new=tags,
            )

    @admin.action(description=_("Export selected tips as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        """The selection as CSV (tips.services.export: audited, streamed, spreadsheet-safe)."""
        lines = services.tips_export_csv(
            tips=queryset, user=request.user, query=_list_query(request)
        )
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="tips-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(
        description=_("Mark selected as duplicates of the tip id given"), permissions=["change"]
    )
    def mark_duplicate(self, request, queryset):
        original = Tip.objects.filter(pk=request.POST.get("duplicate_of") or 0).first()
        if original is None:
            self.message_user(request, _("Give the original tip's id."), messages.ERROR)
            return
        try:
            n = services.tip_mark_duplicate(
                tips=list(queryset), original=original, user=request.user
            )
        except services.TransitionNotAllowed:
            self.message_user(
                request,
                _("Only tips on the same object, not yet closed, can be marked duplicates."),
                messages.ERROR,
            )
            return
        self.message_user(request, _("%(n)d tips marked duplicates.") % {"n": n})

    @admin.action(
        description=_("Forward selected (and their duplicates) to the agency given"),
        permissions=["change"],
    )
    def forward(self, request, queryset):
        agency = (request.POST.get("agency") or "").strip()
        if not agency:
            self.message_user(request, _("Name the agency."), messages.ERROR)
            return
        done = 0
        try:
            for tip in queryset:
                done += len(services.tip_forward(tip=tip, user=request.user, agency=agency))
        except services.TransitionNotAllowed:
            self.message_user(
                request, _("Some tips cannot be forwarded from their status."), messages.ERROR
            )
        self.message_user(request, _("%(n)d tips forwarded.") % {"n": done})

    # --- Bulk actions with a confirmation page (like Django's "delete selected") ---------------

    def _confirm(self, request, queryset, *, action: str, title: str, form, template: str):
        """The page between choosing a bulk action and doing it: what, on how many tips.

        It posts back the same selection (the ticked ids, or "all that match" with the list's
        filters, which stay in the URL), so the action runs on exactly what was chosen.
        """
        cap = settings.STAFF_LIST_COUNT_CAP
        count = queryset.order_by()[: cap + 1].count()
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "action": action,
            "count": count,
            "capped": count > cap,
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across") in ("1", "True", "true"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, template, context)

    @admin.action(
        description=_("Ask the tipsters of the selected tips a question"), permissions=["change"]
    )
    def ask_tipsters(self, request, queryset):
        form = QuestionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            result = services.tip_question_many(
                tips=queryset, user=request.user, body=form.cleaned_data["body"]
            )
            self.message_user(
                request,
                _("Question asked on %(n)d tips; %(skipped)d closed tips were left out.")
                % {"n": result.done, "skipped": result.skipped},
            )
            return None
        return self._confirm(
            request,
            queryset,
            action="ask_tipsters",
            form=form,
            title=_("Ask the tipsters a question"),
            template="backoffice/tips_bulk_ask.html",
        )

    def _tag_action(self, request, queryset, *, add: bool):
        form = TagChoiceForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            tag = form.cleaned_data["tag"]
            result = services.tip_tags_change(tips=queryset, tag=tag, user=request.user, add=add)
            message = (
                _("Tag “%(tag)s” put on %(n)d tips.")
                if add
                else _("Tag “%(tag)s” taken off %(n)d tips.")
            )
            self.message_user(request, message % {"tag": tag.name, "n": result.done})
            return None
        title = _("Add a tag") if add else _("Remove a tag")
        return self._confirm(
            request,
            queryset,
            action="add_tag" if add else "remove_tag",
            form=form,
            title=title,
            template="backoffice/tips_bulk_tag.html",
        )

    @admin.action(description=_("Add a tag to the selected tips"), permissions=["change"])
    def add_tag(self, request, queryset):
        return self._tag_action(request, queryset, add=True)

    @admin.action(description=_("Remove a tag from the selected tips"), permissions=["change"])
    def remove_tag(self, request, queryset):
        return self._tag_action(request, queryset, add=False)
