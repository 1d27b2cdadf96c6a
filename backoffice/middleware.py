"""Back-office input gets the public side's treatment: a control character is a clear 400.

A NUL byte in a query string reaches PostgreSQL (which refuses it in any text value, a 500) from
every list filter, the search box, the autocomplete `term` and the audit log of a tip-list page.
Rather than guard each of them, every request under the back-office whose query string holds a
NUL or another C0 control character (tab, CR and LF aside) in a name or a value is answered 400
here, before any view runs. Form bodies are left to the forms, which show a field error and keep
what was typed (Django's CharField refuses NUL; the login records a refused name by its hash).
"""

from django.contrib import admin
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from traceobject.text import has_control_characters


class BackofficeInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            self.prefix = reverse("admin:index")
        if request.path_info.startswith(self.prefix) and any(
            has_control_characters(key) or any(has_control_characters(v) for v in values)
            for key, values in request.GET.lists()
        ):
            context = {**admin.site.each_context(request), "title": _("Bad request")}
            return render(request, "backoffice/bad_request.html", context, status=400)
        return self.get_response(request)
