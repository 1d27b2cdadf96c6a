"""The public tip form and the tipster's follow-up page.

These are the only public pages with a form, so the only ones that set a (CSRF) cookie. They are
never cached, never log what was typed (sensitive_post_parameters), and whatever goes wrong —
a limit, an expired form, a database outage — the person gets their text back.
"""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from objects.cache import request_stamp
from objects.models import TraceObject, format_reference
from tips import pages, receipts, services, spam
from tips.forms import AnswerForm, FollowUpForm, TipForm
from tips.limits import over_limit

log = logging.getLogger(__name__)


def _render_form(request, number, obj, form, *, status=200, problem=None, stamp=None):
    """The tip form; `problem` names the banner shown above it when something went wrong.

    Every form gets a fresh one-time token: an old one may be expired, and a new attempt is a
    new form. The empty form is the same page for everyone but for its two tokens, so it is
    rendered once per process and stamp (tips.pages).
    """
    context = {
        "obj": obj,
        "reference": format_reference(number),
        "form": form,
        "problem": problem,
        "photo_dropped": form.is_bound and bool(request.FILES.get("photo")),
    }
    fill = {"started": spam.issue_token(number), "csrf_token": get_token(request)}
    if form.is_bound or problem:
        html = render_to_string("tips/form.html", {**context, **fill}, request)
    else:
        html = pages.render_filled(request, "tips/form.html", context, fill, stamp=stamp)
    return HttpResponse(html, status=status)


def _closed(request, obj, typed=""):
    return render(request, "tips/closed.html", {"obj": obj, "typed": typed}, status=410)


def _receipt(request, code, obj, stamp):
    context, fill = {"obj": obj}, {"code": code}
    html = pages.render_filled(request, "tips/receipt.html", context, fill, stamp=stamp)
    response = HttpResponse(html)
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def tip_form(request, number: int):
    stamp = request_stamp(request)
    if request.method != "POST":
        obj = pages.tip_object(number, stamp)
        if obj.status != TraceObject.Status.PUBLISHED:
            return _closed(request, obj)
        return _render_form(request, number, obj, TipForm(), stamp=stamp)

    form = TipForm(request.POST, request.FILES)
    obj = None
    try:
        obj = pages.tip_object(number, stamp)
        if obj.status != TraceObject.Status.PUBLISHED:
            return _closed(request, obj, request.POST.get("body", ""))
        if over_limit(
            request,
            group="tip",
            per_client=settings.TIP_RATE_PER_CLIENT,
            overall=settings.TIP_RATE_GLOBAL,
        ):
            return _render_form(
                request, number, obj, TipForm(request.POST), status=429, problem="limited"
            )
        check = spam.check_token(request.POST.get("started", ""), number)
        if check.verdict in (spam.Verdict.FORGED, spam.Verdict.EXPIRED):
            return _render_form(
                request, number, obj, TipForm(request.POST), status=400, problem="expired"
            )
        if check.verdict is spam.Verdict.TOO_FAST or request.POST.get("website"):
            # A bot: it sees a receipt like anyone else's, and nothing is stored.
            return _receipt(request, receipts.new_code(), obj, stamp)
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
        return render(request, "tips/already.html", {"obj": obj})
    except services.TipsClosed:
        return _closed(request, obj, request.POST.get("body", ""))
    except DatabaseError:
        log.exception("tip not stored: database error")
        return _render_form(
            request, number, obj, TipForm(request.POST), status=503, problem="unavailable"
        )
    return _receipt(request, receipt.code, obj, stamp)


def _follow_up_page(
    request, *, form=None, result=None, answer_form=None, answered=False, status=200, problem=None
):
    context = {
        "form": form or FollowUpForm(),
        "result": result,
        "answer_form": answer_form,
        "answered": answered,
        "problem": problem,
    }
    response = render(request, "tips/follow_up.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow_up(request):
    """Enter a receipt code; see the tip's state and any question; answer it.

    The code travels only in POST bodies, never in a URL, so it lands in no history or log.
    """
    if request.method != "POST":
        return _follow_up_page(request)
    answering = "answer" in request.POST
    form = AnswerForm(request.POST) if answering else FollowUpForm(request.POST)
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
            answer_form=form if answering else None,
        )
    if not form.is_valid():
        if answering and "code" not in form.errors:
            result = services.tip_follow_up(code=form.data["code"])
            return _follow_up_page(
                request, form=FollowUpForm(), result=result, answer_form=form, status=400
            )
        return _follow_up_page(request, form=FollowUpForm(request.POST), status=400)
    code = form.cleaned_data["code"]
    try:
        answered = False
        if answering:
            answered = services.tip_answer(code=code, body=form.cleaned_data["answer"]) is not None
        result = services.tip_follow_up(code=code)
    except DatabaseError:
        log.exception("follow-up: database error")
        return _follow_up_page(
            request,
            form=FollowUpForm(request.POST),
            status=503,
            problem="unavailable",
            answer_form=form if answering else None,
        )
    answer_form = None
    if result.has_question and result.state != "closed":
        answer_form = AnswerForm(initial={"code": code})
    return _follow_up_page(
        request, form=FollowUpForm(), result=result, answer_form=answer_form, answered=answered
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
            obj = pages.tip_object(number, request_stamp(request))
        except (Http404, DatabaseError):
            obj = None
        return _render_form(
            request, number, obj, TipForm(request.POST), status=403, problem="cookie"
        )
    if match and match.view_name == "tips:follow_up":
        return _follow_up_page(request, status=403, problem="cookie")
    return render(request, "403.html", status=403)
