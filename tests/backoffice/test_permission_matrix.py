"""Every back-office URL, generated from the URL patterns, against every kind of visitor.

anonymous → login; password without second factor → OTP step; each role → allowed or 403;
a wrong object id → 404; a POST-only action answers GET with 405. A back-office URL missing
from RULES fails the test, so a new view cannot ship without its row.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from backoffice.roles import CONTACT_PERMISSION, ROLES
from objects.models import Category, SitePage, TraceObject
from tests.factories import make_image_bytes, make_object, make_tip
from tests.personas import (
    login_password_only,
    login_verified,
    make_editor,
    make_investigator,
    make_investigator_with_contact,
    make_staff_without_permission,
    make_supervisor,
)
from tips.models import Tag, Tip
from traceobject.models import AuditEntry

TIP_VIEW, TIP_CHANGE = "tips.view_tip", "tips.change_tip"

# name → (method, permissions needed (all of them), object kind or None). "any" = any verified
# staff; "login" = a login step (tested in test_login.py); "skip" = not a page (with reason).
RULES = {
    "backoffice:otp": "login",
    "backoffice:logout": "login",
    "backoffice:setup": "login",
    "admin:login": "login",
    "admin:logout": "login",
    "admin:view_on_site": "skip",  # a redirect to the public object page
    "admin:autocomplete": "skip",  # needs app/model/field query parameters; checked below
    "admin:jsi18n": "skip",  # the admin's translation catalogue, no data
    "admin:app_list": "skip",  # lists models the user may see (or 404): covered by index
    "tipstaff:triage": ("GET", [TIP_CHANGE], None),
    "tipstaff:tip_status": ("POST", [TIP_CHANGE], "tip"),
    "tipstaff:tip_duplicate": ("POST", [TIP_CHANGE], "tip"),
    "tipstaff:tip_assign": ("POST", [TIP_CHANGE], "tip"),
    "tipstaff:tip_priority": ("POST", [TIP_CHANGE], "tip"),
    "tipstaff:tip_note": ("POST", [TIP_CHANGE], "tip"),
    "tipstaff:tip_ask": ("POST", [TIP_CHANGE], "tip"),
    "tipstaff:tip_forward": ("POST", [TIP_CHANGE], "tip"),
    "tipstaff:cluster_ask": ("POST", [TIP_CHANGE], "tip"),
    "tipstaff:tip_contact": ("POST", [TIP_VIEW, CONTACT_PERMISSION], "tip"),
    "tipstaff:tip_photo": ("GET", [TIP_VIEW, CONTACT_PERMISSION], "tip"),
    "tipstaff:object_tips": ("GET", [TIP_VIEW, "objects.view_traceobject"], "traceobject"),
    "tipstaff:object_identify": ("POST", [TIP_CHANGE], "traceobject"),
    "tipstaff:tip_undo": ("POST", [TIP_CHANGE], "tip"),
    "tipstaff:lead_confirm": ("POST", [TIP_CHANGE], "traceobject"),
    "tipstaff:lead_split": ("POST", [TIP_CHANGE], "traceobject"),
    "tipstaff:lead_useful": ("POST", [TIP_CHANGE], "traceobject"),
    "tipstaff:lead_forward": ("POST", [TIP_CHANGE], "traceobject"),
    "tipstaff:lead_ask": ("POST", [TIP_CHANGE], "traceobject"),
    "admin:index": ("GET", "any", None),
    # The image pipeline's staff views: the private original, the editor's canvas, the private
    # preview (a draft's image is shown only through it), the crop page and its two actions.
    "imagestaff:original": ("GET", ["objects.view_objectimage"], "objectimage"),
    "imagestaff:source": ("GET", ["objects.change_objectimage"], "objectimage"),
    "imagestaff:preview": ("GET", ["objects.view_objectimage"], "objectimage"),
    "imagestaff:edit": ("GET", ["objects.change_objectimage"], "objectimage"),
    "imagestaff:edit_preview": ("POST", ["objects.change_objectimage"], "objectimage"),
    "imagestaff:edit_publish": ("POST", ["objects.change_objectimage"], "objectimage"),
    # Setting another user's password. Second-factor devices have no admin pages at all.
    "admin:auth_user_password_change": ("GET", ["auth.change_user"], "user"),
    # A supervisor's actions on a staff account (backoffice.services checks what they may give).
    "backoffice:staff_add": ("GET", ["auth.add_user", "auth.change_user"], None),
    "backoffice:staff_role": ("POST", ["auth.change_user"], "user"),
    "backoffice:staff_contact_grant": ("POST", ["auth.change_user"], "user"),
    "backoffice:staff_contact_revoke": ("POST", ["auth.change_user"], "user"),
    "backoffice:staff_deactivate": ("POST", ["auth.change_user"], "user"),
    "backoffice:staff_reactivate": ("POST", ["auth.change_user"], "user"),
    "backoffice:staff_setup_link": ("POST", ["auth.change_user"], "user"),
    "backoffice:staff_reset_2fa": ("POST", ["auth.change_user"], "user"),
    "admin:password_change": ("GET", "any", None),
    "admin:password_change_done": ("GET", "any", None),
    # The legal notice and accessibility statement: whoever may change objects (objects/admin.py).
    **{
        f"admin:objects_sitepage_{view}": ("GET", ["objects.change_traceobject"], kind)
        for view, kind in (
            ("changelist", None),
            ("add", None),
            ("change", SitePage),
            ("history", SitePage),
            ("delete", SitePage),
        )
    },
}
# Admin model views nobody may use: no add (tips come from the public, audit lines from the
# system), no delete (tips leave by the purge, accounts are deactivated), roles are code.
NEVER = {
    "admin:tips_tip_add",
    "admin:traceobject_auditentry_add",
    "admin:tips_tip_delete",
    "admin:traceobject_auditentry_delete",
    "admin:auth_user_delete",
    "admin:auth_group_add",
    "admin:auth_group_delete",
}
MODEL_VIEWS = {
    "changelist": "view",
    "add": "add",
    "change": "view",
    "history": "view",
    "delete": "delete",
}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), f"{namespace}{p.name}"


def backoffice_url_names():
    return sorted(
        {name for route, name in _walk(get_resolver().url_patterns) if "backoffice/" in route}
    )


def _model_rule(name):
    """admin:<app>_<model>_<view> → (method, perms, kind) from the model's permissions."""
    from django.contrib import admin

    for model in admin.site._registry:
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(base) and name[len(base) :] in MODEL_VIEWS:
            view = name[len(base) :]
            perm = f"{model._meta.app_label}.{MODEL_VIEWS[view]}_{model._meta.model_name}"
            kind = model if view in ("change", "history", "delete") else None
            return ("GET", [perm] if name not in NEVER else ["never"], kind)
    return None


def rule_for(name):
    return RULES.get(name) or _model_rule(name)


def test_every_backoffice_url_has_a_rule():
    names = backoffice_url_names()
    assert "tipstaff:triage" in names and "admin:tips_tip_changelist" in names
    assert [name for name in names if rule_for(name) is None] == []


PERSONAS = {
    "editor": make_editor,
    "investigator": make_investigator,
    "investigator_with_contact": make_investigator_with_contact,
    "supervisor": make_supervisor,
    "nobody": make_staff_without_permission,
}


def _role_perms(user) -> set[str]:
    perms = set()
    for group in user.groups.values_list("name", flat=True):
        perms |= set(ROLES[group])
    perms |= {
        f"{p.content_type.app_label}.{p.codename}"
        for p in user.user_permissions.select_related("content_type")
    }
    return perms


def _allowed(user, perms) -> bool:
    if perms == "any":
        return True
    have = _role_perms(user)
    # The admin lets a user with change permission view (changelist, change, history).
    expanded = set(have) | {p.replace("change_", "view_") for p in have if "change_" in p}
    return all(p in expanded for p in perms)


@pytest.fixture
def world(db):
    obj = make_object()
    receipt = make_tip(obj, photo_jpeg=make_image_bytes(size=(40, 30)), contact="me@example.org")
    Tag.objects.create(name="brand")
    user = get_user_model().objects.create_user(username="someone", is_staff=True)
    instances = {
        "tip": receipt.tip,
        "traceobject": obj,
        "objectimage": obj.images.get(),
        Tip: receipt.tip,
        TraceObject: obj,
        Category: obj.category,
        Tag: Tag.objects.get(),
        get_user_model(): user,
        Group: Group.objects.first(),
        SitePage: SitePage.objects.create(kind="legal", title="Legal notice", body="Us."),
    }
    from traceobject.audit import audit_record

    instances[AuditEntry] = audit_record(action="view", actor_name="x")
    return instances


def _url(name, kind, world, *, wrong=False):
    if kind is None:
        return reverse(name)
    if kind == "user":
        kind = get_user_model()
    if kind not in world:
        world[kind] = kind.objects.first()
        assert world[kind] is not None
    pk = 987654 if wrong else world[kind].pk
    return reverse(name, args=[pk])


def _cases():
    for name in backoffice_url_names():
        rule = rule_for(name)
        if isinstance(rule, tuple):
            yield name


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(_cases()))
def test_anonymous_and_password_only_never_get_in(client, world, name):
    method, perms, kind = rule_for(name)
    url = _url(name, kind, world)
    response = getattr(client, method.lower())(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    login_password_only(client, make_supervisor())
    response = getattr(client, method.lower())(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:otp")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(PERSONAS))
@pytest.mark.parametrize("name", list(_cases()))
def test_each_role_is_allowed_or_refused(client, world, name, persona):
    method, perms, kind = rule_for(name)
    user = PERSONAS[persona]()
    login_verified(client, user)
    url = _url(name, kind, world)
    allowed = perms != ["never"] and _allowed(user, perms)
    if method == "POST":
        get = client.get(url)
        assert get.status_code == (405 if allowed else 403), get.status_code
        response = client.post(url, {})
    else:
        response = client.get(url)
    if allowed:
        # An empty POST may be bad input (400), never a refusal.
        assert response.status_code in ((200, 302, 400) if method == "POST" else (200, 302))
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("admin:login"))
            assert response["Location"] != reverse("backoffice:otp")
    else:
        assert response.status_code == 403, response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in _cases() if rule_for(n)[2] is not None])
def test_a_wrong_object_id_is_404(client, world, name):
    method, perms, kind = rule_for(name)
    if perms == ["never"]:
        pytest.skip("nobody may open this view at all (403 above)")
    user = make_supervisor()
    user.user_permissions.add(*Permission.objects.all())
    login_verified(client, user)
    response = getattr(client, method.lower())(_url(name, kind, world, wrong=True))
    assert response.status_code == 404
