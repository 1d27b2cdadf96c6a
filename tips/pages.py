"""The tip flow's object and pages, prepared once per process and filled in for each request.

A tip form and a receipt are the same HTML for every visitor to one object in one language, but
for a few random strings: the CSRF token and the form's one-time token on the form, the receipt
code on the receipt. Rendering them (the layout, the language switcher, ~250 country options)
and loading the object were most of the CPU time of a tip. Now each process loads the object
and renders each page once, with a placeholder where each random string goes, and for each
request puts the real strings in.

Both are kept under the publication stamp (objects.cache.request_stamp, read from the shared
cache once per request, by the page-cache middleware for a GET): any change to any object, on
any node, makes them a miss. The stamp is read before the
database, so what is kept is never newer than the stamp it is kept under. If the cache cannot be
reached, nothing is kept and everything is loaded and rendered as before.
"""

import logging
import re
import secrets

from django.template.loader import render_to_string
from django.utils.translation import get_language

from objects.cache import LocalCopies
from objects.i18n import localise
from objects.models import TraceObject
from objects.views import ObjectWithdrawn, published_or_gone

log = logging.getLogger(__name__)

# What may be put into a page without escaping: tokens, receipt codes (checked every time).
_PLAIN = re.compile(r"[A-Za-z0-9_:.\-]*\Z")

_OBJECTS = LocalCopies()
_PAGES = LocalCopies()


def tip_object(number: int, stamp) -> TraceObject:
    """The object a tip is about, with its primary image and texts in the page's language.

    A withdrawn object comes back as a stub so it can be refused; an unknown number raises
    Http404. Everything a page of the tip flow shows is loaded here, so the 503 page that keeps
    the person's text renders without the database.
    """
    key = (number, get_language())
    obj = _OBJECTS.get(key, stamp) if stamp is not None else None
    if obj is not None:
        return obj
    try:
        obj = published_or_gone(number)
    except ObjectWithdrawn:
        obj = TraceObject(number=number, status=TraceObject.Status.WITHDRAWN)
    else:
        obj.primary_images = list(obj.images.filter(is_primary=True)[:1])
        localise([obj])
    if stamp is not None:
        _OBJECTS.put(key, stamp, obj)
    return obj


def render_filled(request, template: str, context: dict, fill: dict[str, str], *, stamp) -> str:
    """The page `template` renders from `context`, with `fill`'s context variables set.

    `context` must be the same for every request with the same path and stamp; `fill` holds
    the per-request strings, which must be plain (letters, digits, `_:.-`) since they go in
    unescaped. The page is rendered once with a random placeholder per variable and kept in
    this process; a placeholder the page does not show, or a value that is not plain, means
    an ordinary render.
    """
    if stamp is None or not all(_PLAIN.match(value) for value in fill.values()):
        return render_to_string(template, {**context, **fill}, request)
    key = (template, get_language(), request.scheme, request.get_host(), request.get_full_path())
    shell = _PAGES.get(key, stamp)
    if shell is None:
        slots = {name: f"slot{secrets.token_hex(16)}" for name in fill}
        html = render_to_string(template, {**context, **slots}, request)
        if not all(html.count(slot) == 1 for slot in slots.values()):
            log.warning("%s: a placeholder is missing or repeated; not kept", template)
            return render_to_string(template, {**context, **fill}, request)
        shell = (html, slots)
        _PAGES.put(key, stamp, shell)
    html, slots = shell
    for name, slot in slots.items():
        html = html.replace(slot, fill[name])
    return html
