"""The public tip form and the tipster's follow-up page.

These are the only public pages with a form, so the only ones that set a (CSRF) cookie. They are
never cached, never log what was typed (sensitive_post_parameters), and whatever goes wrong —
a limit, an expired form, a database outage — the person gets their text back.
"""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from objects.i18n import localise
from objects.models import TraceObject, format_reference
from objects.selectors import ObjectNotFound, ObjectWithdrawn, published_or_gone
from tips import receipts, selectors, services, spam
from tips.forms import FollowUpForm, GeneralTipForm, ReplyForm, ReportCountryForm, TipForm
from tips.hotlines import hotlines
from tips.limits import over_limit
from tips.replay import receipt_keep, receipt_recall
from tips.stats import public_results
from traceobject.page_cache import cached_page, public_page

log = logging.getLogger(__name__)


def _tip_object(number: int) -> TraceObject:
    """The object a tip is about, with its primary image and texts in the page's language.

    A withdrawn object comes back as a stub so it can be refused; an unknown number raises
    Http404. Everything a page of the tip flow shows is loaded here, so the 503 page that keeps
    the person's text renders without the database.
    """
    try:
        obj = published_or_gone(number)
    except ObjectWithdrawn:
        return TraceObject(number=number, status=TraceObject.Status.WITHDRAWN)
    except ObjectNotFound:
        raise Http404("No such object.") from None
    obj.primary_images = list(obj.images.filter(is_primary=True)[:1])
    localise([obj])
    return obj


# The number a general report's form token is issued for: no object has it (numbers start at 1).
GENERAL = 0


def _render_form(request, number, obj, form, *, status=200, problem=None):
    """The tip form; `problem` names the banner shown above it when something went wrong.

    Every form gets a fresh one-time token: an old one may be expired, and a new attempt is a
    new form. `number` is GENERAL for the form of general reports.
    """
    context = {
        "obj": obj,
        "general": number == GENERAL,
        "reference": format_reference(number) if number != GENERAL else "",
        "form": form,
        "problem": problem,
        "photo_dropped": form.is_bound and bool(request.FILES.get("photo")),
        "started": spam.issue_token(number),
    }
    return render(request, "tips/form.html", context, status=status)


def _closed(request, obj, typed=""):
    return render(request, "tips/closed.html", {"obj": obj, "typed": typed}, status=410)


def _receipt(request, code, obj, *, again=False):
    context = {"obj": obj, "code": code, "again": again}
    response = render(request, "tips/receipt.html", context)
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def tip_form(request, number: int):
    if request.method != "POST":
        obj = _tip_object(number)
        if obj.status != TraceObject.Status.PUBLISHED:
            return _closed(request, obj)
        return _render_form(request, number, obj, TipForm())
    return _send_tip(request, number=number, form_class=TipForm, load=lambda: _tip_object(number))


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def general_tip_form(request):
    """A tip that is not about a published object: the same flow, form token and intake as any
    tip, stored as a general report (Tip.Kind.GENERAL) about no object."""
    if request.method != "POST":
        return _render_form(request, GENERAL, None, GeneralTipForm())
    return _send_tip(request, number=GENERAL, form_class=GeneralTipForm, load=lambda: None)


def _send_tip(request, *, number: int, form_class, load):
    """Store a tip from a posted form, or show the form again with everything typed.

    `load` gives the object the tip is about (None for a general report); it runs inside the
    database guard, so an outage while loading it is the same 503 page that keeps the text.
    """
    form = form_class(request.POST, request.FILES)
    obj = None
    check = spam.TokenCheck(spam.Verdict.FORGED)
    try:
        obj = load()
        if number != GENERAL and obj.status != TraceObject.Status.PUBLISHED:
            return _closed(request, obj, request.POST.get("body", ""))
        if over_limit(
            request,
            group="tip",
            per_client=settings.TIP_RATE_PER_CLIENT,
            overall=settings.TIP_RATE_GLOBAL,
        ):
            return _render_form(
                request, number, obj, form_class(request.POST), status=429, problem="limited"
            )
        check = spam.check_token(request.POST.get("started", ""), number)
        if check.verdict in (spam.Verdict.FORGED, spam.Verdict.EXPIRED):
            return _render_form(
                request, number, obj, form_class(request.POST), status=400, problem="expired"
            )
        if check.verdict is spam.Verdict.TOO_FAST or request.POST.get("website"):
            # A bot: it sees a receipt like anyone else's, and nothing is stored.
            return _receipt(request, receipts.new_code(), obj)
        if not form.is_valid():
            return _render_form(request, number, obj, form, status=400, problem="invalid")
        data = form.cleaned_data
        receipt = services.tip_create(
            obj=obj,
            body=data["body"],
            country=data["country"],
            place=data["place"],
            link=data["link"],
            certainty=data["certainty"],
            contact=data["contact"],
            photo_jpeg=form.photo_jpeg,
            language=get_language() or settings.LANGUAGE_CODE,
            submission_hash=check.nonce_hash,
        )
    except services.AlreadyReceived:
        # The same form again (a reload of the receipt page, a second click): the same code,
        # for as long as it is kept (tips.replay), and never a second tip.
        code = receipt_recall(nonce=check.nonce)
        if code is not None:
            return _receipt(request, code, obj, again=True)
        return render(request, "tips/already.html", {"obj": obj})
    except services.TipsClosed:
        return _closed(request, obj, request.POST.get("body", ""))
    except DatabaseError:
        log.exception("tip not stored: database error")
        return _render_form(
            request, number, obj, form_class(request.POST), status=503, problem="unavailable"
        )
    receipt_keep(nonce=check.nonce, code=receipt.code)
    return _receipt(request, receipt.code, obj)


@public_page
@cached_page
def report(request):
    """Something else to report: emergency numbers and reporting lines for the country the
    visitor chooses (tips/hotlines.json), and the way to the general tip form."""
    form = ReportCountryForm(request.GET or None)
    country = None
    if form.is_bound:
        if not form.is_valid():
            raise Http404("No such country in the list.")
        code = form.cleaned_data["country"]
        country = hotlines().get(code) if code else None
    return render(request, "tips/report.html", {"form": form, "country": country})


def _follow_up_page(
    request, *, form=None, result=None, reply_form=None, replied=False, status=200, problem=None
):
    form = form or FollowUpForm()
    if result is not None and result.tip is not None and result.tip.trace_object is not None:
        localise([result.tip.trace_object])  # the object's title in the page's language
    # The error summary at the top lists the reply's problems first: it is the form above.
    errors = [
        item
        for bound in (reply_form, form)
        if bound is not None and bound.is_bound
        for item in bound.error_summary()
    ]
    context = {
        "form": form,
        "errors": errors,
        "result": result,
        "reply_form": reply_form,
        "replied": replied,
        "problem": problem,
    }
    response = render(request, "tips/follow_up.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow_up(request):
    """Enter a receipt code; see the tip's state and any question; reply to it.

    The code travels only in POST bodies, never in a URL, so it lands in no history or log.
    """
    if request.method != "POST":
        return _follow_up_page(request)
    replying = "reply" in request.POST
    form = ReplyForm(request.POST) if replying else FollowUpForm(request.POST)
    if over_limit(
        request,
        group="follow-up",
        per_client=settings.FOLLOWUP_RATE_PER_CLIENT,
        overall=settings.FOLLOWUP_RATE_GLOBAL,
    ):
        return _follow_up_page(
            request,
            form=FollowUpForm(),
            status=429,
            problem="limited",
            reply_form=form if replying else None,
        )
    if not form.is_valid():
        if replying and "code" not in form.errors:
            result = selectors.tip_follow_up(code=form.data["code"])
            if result.tip is not None:
                services.tip_receipt_rekey(tip=result.tip, code=form.data["code"])
            return _follow_up_page(
                request, form=FollowUpForm(), result=result, reply_form=form, status=400
            )
        return _follow_up_page(request, form=FollowUpForm(request.POST), status=400)
    code = form.cleaned_data["code"]
    try:
        replied = False
        if replying:
            replied = services.tip_reply(code=code, body=form.cleaned_data["reply"]) is not None
        result = selectors.tip_follow_up(code=code)
        if result.tip is not None:
            services.tip_receipt_rekey(tip=result.tip, code=code)
    except DatabaseError:
        log.exception("follow-up: database error")
        return _follow_up_page(
            request,
            form=FollowUpForm(request.POST),
            status=503,
            problem="unavailable",
            reply_form=form if replying else None,
        )
    reply_form = None
    if result.has_question and result.state != "closed":
        reply_form = ReplyForm(initial={"code": code})
    return _follow_up_page(
        request, form=FollowUpForm(), result=result, reply_form=reply_form, replied=replied
    )


def csrf_failure(request, reason=""):
    """A failed CSRF check on a tip or follow-up form shows the form again with what was typed.

    That happens when a browser kept the page open across a cookie expiry or blocks cookies; the
    fresh form sets a new cookie, so pressing Send again works. Anywhere else: a plain 403.
    """
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if match and match.view_name == "tips:form" and request.method == "POST":
        number = match.kwargs["number"]
        try:
            obj = _tip_object(number)
        except (Http404, DatabaseError):
            obj = None
        return _render_form(
            request, number, obj, TipForm(request.POST), status=403, problem="cookie"
        )
    if match and match.view_name == "tips:general_form" and request.method == "POST":
        return _render_form(
            request, GENERAL, None, GeneralTipForm(request.POST), status=403, problem="cookie"
        )
    if match and match.view_name == "tips:follow_up":
        return _follow_up_page(request, status=403, problem="cookie")
    return render(request, "403.html", status=403)


@public_page
def results(request):
    return render(request, "tips/results.html", {"results": public_results()})
