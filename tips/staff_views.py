"""Back-office views the admin lacks: the triage queue, one POST view per decision on a tip,
reveals, per-object figures.

Thin: each validates its input with a form from tips.forms, calls one service or selector, and
redirects or renders. All are behind traceobject.staff.staff_view (login, second factor,
permission, never_cache); state changes are POST-only. Invalid input changes nothing: the
person gets the form's error as a message, and the text they typed is kept for the form.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import site as admin_site
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST
from django_countries import countries

from objects import services as object_services
from objects.models import TraceObject
from tips import selectors, services
from tips.charts import bar_chart_svg
from tips.forms import (
    AssignForm,
    DuplicateForm,
    ForwardForm,
    IdentifyForm,
    LeadChoiceForm,
    LeadForwardForm,
    LeadQuestionForm,
    NoteForm,
    PriorityForm,
    QuestionForm,
    StatusForm,
)
from tips.models import Tip
from traceobject.audit import Action, audit_record
from traceobject.staff import staff_view

TRIAGE = "tips.change_tip"
CONTACT = ("tips.view_tip", "tips.view_tip_contact")
# What the person typed into a form that was refused, kept in their session for the next page.
DRAFT_KEY = "tip-draft:{pk}:{name}"


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _context(request, **extra):
    return {**admin_site.each_context(request), **extra}


def drafts(request, tip: Tip, *names: str) -> dict[str, str]:
    """The text refused on the last post to this tip's forms (popped: shown once)."""
    found = {}
    for name in names:
        text = request.session.pop(DRAFT_KEY.format(pk=tip.pk, name=name), None)
        if text:
            found[name] = text
    return found


def _refused(request, tip: Tip, form, *, keep: tuple[str, ...] = ()) -> None:
    """Say why a form was refused, and keep its free text so nothing typed is lost."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    for name in keep:
        text = form.data.get(name, "")
        if text:
            request.session[DRAFT_KEY.format(pk=tip.pk, name=name)] = text[:20_000]


def _back(request, tip: Tip):
    """Where a decision returns to: the triage queue it came from, else the tip's page."""
    if request.POST.get("return_to") == "queue":
        object_id = _int(request.POST.get("object"))
        query = urlencode({"object": object_id}) if object_id else ""
        return redirect(reverse("tipstaff:triage") + (f"?{query}" if query else ""))
    return redirect("admin:tips_tip_change", tip.pk)


# The last decision made from the queue, kept in the session so the next page can offer to undo
# it (only status changes, duplicates and "assign to me" can be undone).
LAST_KEY = "triage-last"


def _decided(request, tip: Tip, what: str, *, undo: bool = False):
    messages.success(request, _("Tip %(id)d: %(what)s.") % {"id": tip.pk, "what": what})
    request.session[LAST_KEY] = {"tip": tip.pk, "what": str(what), "undo": undo}
    return _back(request, tip)


def _not_allowed(request, tip: Tip):
    messages.error(request, _("That change is not allowed for this tip."))
    return _back(request, tip)


@staff_view(TRIAGE)
@require_GET
def triage_queue(request):
    """One new tip at a time, oldest first, with the object's image and likely duplicates."""
    object_id = _int(request.GET.get("object"))
    tip = selectors.tip_next_in_queue(after_id=_int(request.GET.get("after")), object_id=object_id)
    context = _context(
        request,
        title=_("Triage queue"),
        tip=tip,
        object_id=object_id,
        left=selectors.queue_left(object_id=object_id),
        last=request.session.get(LAST_KEY),
    )
    if tip is not None:
        audit_record(action=Action.VIEW, user=request.user, target=tip, page="triage")
        skip = {"after": tip.pk, **({"object": object_id} if object_id else {})}
        lead = selectors.tip_lead(tip=tip)
        duplicates = selectors.tip_duplicates(tip=tip)
        # "Duplicate of the proposed lead": its first tip; for a tip with no lead, a sure
        # match. The lead's first tip itself is the root others fold into: no such button.
        target = None
        if lead is not None:
            if lead.first is not None and lead.first.pk != tip.pk:
                target = lead.first
        elif duplicates and duplicates[0].preselect:
            target = duplicates[0]
        context.update(
            image=tip.trace_object.primary_image if tip.trace_object else None,
            lead=lead,
            duplicate_target=target,
            duplicates=duplicates,
            thread=selectors.tip_thread(tip=tip),
            question_form=QuestionForm(initial=drafts(request, tip, "body")),
            skip_url=reverse("tipstaff:triage") + "?" + urlencode(skip),
            language_name=dict(settings.LANGUAGES).get(tip.detected_language, ""),
        )
    return render(request, "backoffice/triage.html", context)


@staff_view(TRIAGE)
@require_POST
def tip_undo(request, pk: int):
    """Undo the person's last decision on this tip (tips.services.triage.tip_undo)."""
    tip = get_object_or_404(Tip, pk=pk)
    try:
        status = services.tip_undo(tip=tip, user=request.user)
    except services.TransitionNotAllowed:
        messages.error(request, _("There is nothing of yours to undo on tip %(id)d.") % {"id": pk})
        return _back(request, tip)
    request.session.pop(LAST_KEY, None)
    messages.success(
        request,
        _("Tip %(id)d: undone, back to %(status)s.")
        % {"id": pk, "status": Tip.Status(status).label},
    )
    return _back(request, tip)


@staff_view(TRIAGE)
@require_POST
def tip_status(request, pk: int):
    tip = get_object_or_404(Tip, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        _refused(request, tip, form)
        return _back(request, tip)
    to = form.cleaned_data["to"]
    try:
        services.tip_transition(tip=tip, user=request.user, to=to)
    except services.TransitionNotAllowed:
        return _not_allowed(request, tip)
    return _decided(request, tip, str(Tip.Status(to).label), undo=True)


@staff_view(TRIAGE)
@require_POST
def tip_duplicate(request, pk: int):
    tip = get_object_or_404(Tip, pk=pk)
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        _refused(request, tip, form)
        return _back(request, tip)
    original = Tip.objects.filter(pk=form.cleaned_data["duplicate_of"]).first()
    if original is None:
        messages.error(
            request, _("There is no tip #%(id)d.") % {"id": form.cleaned_data["duplicate_of"]}
        )
        return _back(request, tip)
    try:
        services.tip_mark_duplicate(tips=[tip], original=original, user=request.user)
    except services.TransitionNotAllowed:
        return _not_allowed(request, tip)
    return _decided(request, tip, _("duplicate of #%(id)d") % {"id": original.pk}, undo=True)


@staff_view(TRIAGE)
@require_POST
def tip_assign(request, pk: int):
    tip = get_object_or_404(Tip, pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        _refused(request, tip, form)
        return _back(request, tip)
    assignee_id = form.cleaned_data["assignee"]
    assignee = None
    if assignee_id:
        assignee = get_object_or_404(
            get_user_model(), pk=assignee_id, is_staff=True, is_active=True
        )
    try:
        services.tip_assign(tip=tip, user=request.user, assignee=assignee)
    except services.TransitionNotAllowed:
        return _not_allowed(request, tip)
    what = (
        _("assigned to %(name)s") % {"name": assignee.get_username()}
        if assignee
        else _("unassigned")
    )
    return _decided(request, tip, what, undo=assignee is not None)


@staff_view(TRIAGE)
@require_POST
def tip_priority(request, pk: int):
    tip = get_object_or_404(Tip, pk=pk)
    form = PriorityForm(request.POST)
    if not form.is_valid():
        _refused(request, tip, form)
        return _back(request, tip)
    services.tip_set_priority(tip=tip, user=request.user, priority=form.cleaned_data["priority"])
    return _decided(request, tip, _("priority %(p)s") % {"p": tip.get_priority_display()})


@sensitive_post_parameters("text")
@staff_view(TRIAGE)
@require_POST
def tip_note(request, pk: int):
    tip = get_object_or_404(Tip, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        _refused(request, tip, form, keep=("text",))
        return _back(request, tip)
    services.tip_note(tip=tip, user=request.user, text=form.cleaned_data["text"])
    return _decided(request, tip, _("note added"))


@sensitive_post_parameters("body")
@staff_view(TRIAGE)
@require_POST
def tip_ask(request, pk: int):
    tip = get_object_or_404(Tip, pk=pk)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        _refused(request, tip, form, keep=("body",))
        return _back(request, tip)
    try:
        services.tip_question(tip=tip, user=request.user, body=form.cleaned_data["body"])
    except services.TransitionNotAllowed:
        return _not_allowed(request, tip)
    return _decided(request, tip, _("your question is on the tipster's follow-up page"))


@staff_view(TRIAGE)
@require_POST
def tip_forward(request, pk: int):
    tip = get_object_or_404(Tip, pk=pk)
    form = ForwardForm(request.POST)
    if not form.is_valid():
        _refused(request, tip, form, keep=("agency",))
        return _back(request, tip)
    try:
        done = services.tip_forward(
            tip=tip,
            user=request.user,
            agency=form.cleaned_data["agency"],
            country=form.cleaned_data["country"] or "",
        )
    except services.TransitionNotAllowed:
        return _not_allowed(request, tip)
    return _decided(request, tip, _("%(n)d tips recorded as forwarded") % {"n": len(done)})


@staff_view(CONTACT)
@require_POST
def tip_contact_reveal(request, pk: int):
    """Show a tipster's contact details, once per click (POST, so nothing prefetches it)."""
    tip = get_object_or_404(Tip, pk=pk)
    contact = services.tip_reveal_contact(tip=tip, user=request.user)
    return render(
        request,
        "backoffice/contact.html",
        _context(request, title=_("Contact details"), tip=tip, contact=contact),
    )


@staff_view(CONTACT)
@require_GET
def tip_photo_view(request, pk: int):
    tip = get_object_or_404(Tip, pk=pk)
    if not tip.photo_name:
        raise Http404(_("This tip has no photo."))
    data = services.tip_reveal_photo(tip=tip, user=request.user)
    response = HttpResponse(data, content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "no-store, private"
    return response


@staff_view(("tips.view_tip", "objects.view_traceobject"))
@require_GET
def object_tips(request, pk: int):
    """Per object: tips by status, by suggested country (SVG bars), by day; the clusters."""
    obj = get_object_or_404(TraceObject, pk=pk)
    figures = selectors.object_tip_figures(object_id=obj.pk)
    country_names = dict(countries)
    chart = bar_chart_svg(
        [(country_names.get(code, code), n) for code, n in figures["by_country"]],
        title=_("Tips by suggested country"),
    )
    context = _context(
        request,
        title=_("Tips on %(ref)s") % {"ref": obj.reference},
        obj=obj,
        figures=figures,
        chart=chart,
        clusters=selectors.tip_clusters(object_id=obj.pk),
        leads=selectors.object_leads(object_id=obj.pk),
        forward_form=LeadForwardForm(auto_id=False),
        question_form=QuestionForm(auto_id=False),
        identify_form=IdentifyForm(initial={"note": obj.identification_note}),
    )
    return render(request, "backoffice/object_tips.html", context)


@sensitive_post_parameters("body")
@staff_view(TRIAGE)
@require_POST
def cluster_ask(request, pk: int):
    """Ask the same question to every tipster of a cluster (the tip `pk`, the first of its
    cluster, and the tips marked duplicates of it); closed tips are left out."""
    tip = get_object_or_404(Tip, pk=pk)
    root = tip.duplicate_of or tip
    form = QuestionForm(request.POST)
    if form.is_valid():
        cluster = Tip.objects.filter(Q(pk=root.pk) | Q(duplicate_of=root))
        result = services.tip_question_many(
            tips=cluster, user=request.user, body=form.cleaned_data["body"]
        )
        messages.success(
            request,
            _("Question asked on %(n)d tips of the cluster; %(skipped)d closed tips were left out.")
            % {"n": result.done, "skipped": result.skipped},
        )
    else:
        messages.error(request, _("Write the question first."))
    if root.trace_object_id is None:
        return redirect(f"{reverse('admin:tips_tip_changelist')}?kind={Tip.Kind.GENERAL}")
    return redirect("tipstaff:object_tips", root.trace_object_id)


@staff_view(TRIAGE)
@require_POST
def object_identify(request, pk: int):
    obj = get_object_or_404(TraceObject, pk=pk)
    form = IdentifyForm(request.POST)
    if form.is_valid():
        object_services.object_identify(obj=obj, user=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("The object is marked identified."))
    else:
        messages.error(request, _("Write the public note first."))
    return redirect("tipstaff:object_tips", obj.pk)


# --- Decisions on a whole lead (tips.services.leads), from the object's page -----------------


def _lead_decision(request, pk: int, form_class, decide):
    """Validate the form, run one lead service, say what was done, back to the object."""
    obj = get_object_or_404(TraceObject, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("tipstaff:object_tips", obj.pk)
    key = form.cleaned_data["key"]
    try:
        said = decide(obj, key, form.cleaned_data)
    except services.NoSuchLead:
        messages.error(request, _("This object has no such lead (any more)."))
    except services.TransitionNotAllowed:
        messages.error(request, _("That change is not allowed for these tips."))
    else:
        messages.success(request, said)
    return redirect("tipstaff:object_tips", obj.pk)


@staff_view(TRIAGE)
@require_POST
def lead_confirm(request, pk: int):
    def decide(obj, key, data):
        done = services.lead_confirm(obj=obj, key=key, user=request.user)
        return _("Lead confirmed: %(n)d tips folded into tip %(id)d.") % {
            "n": done.folded,
            "id": done.root.pk,
        }

    return _lead_decision(request, pk, LeadChoiceForm, decide)


@staff_view(TRIAGE)
@require_POST
def lead_split(request, pk: int):
    def decide(obj, key, data):
        n = services.lead_split(obj=obj, key=key, user=request.user)
        return _("Lead split: its %(n)d tips were proposed again without it.") % {"n": n}

    return _lead_decision(request, pk, LeadChoiceForm, decide)


@staff_view(TRIAGE)
@require_POST
def lead_useful(request, pk: int):
    def decide(obj, key, data):
        done = services.lead_mark_useful(obj=obj, key=key, user=request.user)
        return _("Lead marked useful: tip %(id)d and the %(n)d tips folded into it.") % {
            "id": done.root.pk,
            "n": done.folded,
        }

    return _lead_decision(request, pk, LeadChoiceForm, decide)


@staff_view(TRIAGE)
@require_POST
def lead_forward(request, pk: int):
    def decide(obj, key, data):
        agency, country = data["agency"], data["country"] or ""
        done = services.lead_forward(
            obj=obj, key=key, user=request.user, agency=agency, country=country
        )
        return _("Lead forwarded to %(agency)s: %(n)d tips recorded as passed on.") % {
            "agency": data["agency"],
            "n": done.done,
        }

    return _lead_decision(request, pk, LeadForwardForm, decide)


@sensitive_post_parameters("body")
@staff_view(TRIAGE)
@require_POST
def lead_ask(request, pk: int):
    def decide(obj, key, data):
        done = services.lead_ask(obj=obj, key=key, user=request.user, body=data["body"])
        said = _(
            "Question asked to every tipster of the lead: %(n)d tips; %(skipped)d closed "
            "tips were left out."
        )
        return said % {"n": done.done, "skipped": done.skipped}

    return _lead_decision(request, pk, LeadQuestionForm, decide)
