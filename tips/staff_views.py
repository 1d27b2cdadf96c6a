"""Back-office views the admin lacks: the triage queue, tip actions, reveals, per-object figures.

Thin: each reads its input, calls one service or selector, and redirects or renders. All are
behind traceobject.staff.staff_view (login, second factor, permission, never_cache); state
changes are POST-only.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin import site as admin_site
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from backoffice.audit import Action, audit_record
from objects.models import TraceObject
from tips import selectors, services
from tips.charts import bar_chart_svg
from tips.models import Tip
from traceobject.staff import staff_view

TRIAGE = "tips.change_tip"
CONTACT = ("tips.view_tip", "tips.view_tip_contact")


class QuestionForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Question to the tipster"), max_length=2000, widget=forms.Textarea
    )


class ForwardForm(forms.Form):
    agency = forms.CharField(label=gettext_lazy("Agency"), max_length=200)
    country = LazyTypedChoiceField(
        label=gettext_lazy("Country"), choices=[("", "—"), *countries], required=False
    )


class IdentifyForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Public note"),
        max_length=2000,
        widget=forms.Textarea,
        help_text=gettext_lazy("Shown on the object page. Nothing that identifies a case."),
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _context(request, **extra):
    return {**admin_site.each_context(request), **extra}


@staff_view(TRIAGE)
@require_GET
def triage_queue(request):
    """One new tip at a time, oldest first, with the object's image and likely duplicates."""
    object_id = _int(request.GET.get("object"))
    tip = selectors.tip_next_in_queue(after_id=_int(request.GET.get("after")), object_id=object_id)
    context = _context(request, title=_("Triage queue"), tip=tip, object_id=object_id)
    if tip is not None:
        audit_record(action=Action.VIEW, user=request.user, target=tip, page="triage")
        context.update(
            image=tip.trace_object.primary_image,
            duplicates=selectors.tip_duplicates(tip=tip),
            thread=services.tip_thread(tip=tip),
            question_form=QuestionForm(),
        )
    return render(request, "backoffice/triage.html", context)


@sensitive_post_parameters("body")
@staff_view(TRIAGE)
@require_POST
def triage_decide(request, pk: int):
    """One click in the queue: decide, then show the next tip."""
    tip = get_object_or_404(Tip, pk=pk)
    decision = request.POST.get("decision", "")
    try:
        _decide(request, tip, decision)
    except services.TransitionNotAllowed:
        messages.error(request, _("That change is not allowed for this tip."))
    query = f"?object={request.POST['object']}" if _int(request.POST.get("object")) else ""
    if decision == "skip":
        query = f"?after={tip.pk}" + (f"&object={request.POST['object']}" if query else "")
    return redirect(reverse("backoffice:triage") + query)


def _decide(request, tip: Tip, decision: str) -> None:
    user = request.user
    statuses = {
        "useful": Tip.Status.USEFUL,
        "not_useful": Tip.Status.NOT_USEFUL,
        "spam": Tip.Status.SPAM,
    }
    if decision in statuses:
        services.tip_transition(tip=tip, user=user, to=statuses[decision])
    elif decision == "duplicate":
        original = Tip.objects.filter(pk=_int(request.POST.get("duplicate_of"))).first()
        if original is None:
            raise services.TransitionNotAllowed("no original")
        services.tip_mark_duplicate(tips=[tip], original=original, user=user)
    elif decision == "assign_me":
        services.tip_assign(tip=tip, user=user, assignee=user)
    elif decision == "ask":
        form = QuestionForm(request.POST)
        if not form.is_valid():
            raise services.TransitionNotAllowed("empty question")
        services.tip_question(tip=tip, user=user, body=form.cleaned_data["body"])
        messages.success(request, _("Your question is on the tipster's follow-up page."))
    elif decision != "skip":
        raise services.TransitionNotAllowed(decision)


@sensitive_post_parameters("body", "text")
@staff_view(TRIAGE)
@require_POST
def tip_act(request, pk: int):
    """The buttons on a tip's page: status, assignment, priority, note, question, forward,
    duplicate of."""
    tip = get_object_or_404(Tip, pk=pk)
    user, action = request.user, request.POST.get("action", "")
    try:
        if action == "status":
            services.tip_transition(tip=tip, user=user, to=request.POST.get("to", ""))
        elif action == "assign":
            assignee_id = _int(request.POST.get("assignee"))
            assignee = (
                get_object_or_404(get_user_model(), pk=assignee_id, is_staff=True)
                if assignee_id
                else None
            )
            services.tip_assign(tip=tip, user=user, assignee=assignee)
        elif action == "priority":
            services.tip_set_priority(
                tip=tip, user=user, priority=_int(request.POST.get("priority"))
            )
        elif action == "note" and request.POST.get("text", "").strip():
            services.tip_note(tip=tip, user=user, text=request.POST["text"].strip()[:5000])
        elif action == "ask":
            form = QuestionForm(request.POST)
            if not form.is_valid():
                raise services.TransitionNotAllowed("empty question")
            services.tip_question(tip=tip, user=user, body=form.cleaned_data["body"])
        elif action == "forward":
            form = ForwardForm(request.POST)
            if not form.is_valid():
                raise services.TransitionNotAllowed("no agency")
            services.tip_forward(
                tip=tip, user=user, agency=form.cleaned_data["agency"],
                country=form.cleaned_data["country"] or "",
            )  # fmt: skip
        elif action == "duplicate":
            original = get_object_or_404(Tip, pk=_int(request.POST.get("duplicate_of")))
            services.tip_mark_duplicate(tips=[tip], original=original, user=user)
        else:
            raise services.TransitionNotAllowed(action)
    except (services.TransitionNotAllowed, ValueError):
        messages.error(request, _("That change is not allowed for this tip."))
    return redirect("admin:tips_tip_change", tip.pk)


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
    return redirect("backoffice:object_tips", root.trace_object_id)


@staff_view(TRIAGE)
@require_POST
def object_identify(request, pk: int):
    obj = get_object_or_404(TraceObject, pk=pk)
    form = IdentifyForm(request.POST)
    if form.is_valid():
        services.object_identify(obj=obj, user=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("The object is marked identified."))
    else:
        messages.error(request, _("Write the public note first."))
    return redirect("backoffice:object_tips", obj.pk)
