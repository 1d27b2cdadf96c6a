"""Every staff request that changes state writes an audit row: generated from the URL patterns
and the admin's registry.

Every back-office URL name is one of:
- CHANGES: a recipe that makes one valid change as someone allowed to, which must add an audit
  row naming them (and must really change what it says);
- GET_ONLY: a POST answers 405 (checked);
- refused: an admin add/change/delete view that even a superuser may not use (found from the
  ModelAdmin, checked: a POST is a 403);
- READS: a page that takes a POST but writes nothing, with the reason.
Admin history pages are reads, and an admin list page's POST runs an action (each is in ACTIONS,
found from every registered ModelAdmin) or saves list_editable fields (then it is in CHANGES).
A new view or action in none of them fails `test_every_backoffice_url_is_classified`, so it
cannot ship without its audit.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import get_resolver, reverse

from backoffice.models import SetupLink
from backoffice.roles import CONTACT_PERMISSION, INVESTIGATOR
from backoffice.services import (
    staff_contact_access_grant,
    staff_roles,
    staff_setup_link_issue,
)
from objects.models import Category, SitePage, TraceObject, TraceObjectTranslation
from tests.admin_forms import admin_form, form_values
from tests.backoffice.test_permission_matrix import _walk, backoffice_url_names
from tests.factories import make_category, make_image_bytes, make_object, make_tip
from tests.personas import (
    PASSWORD,
    login_password_only,
    login_verified,
    make_editor,
    make_investigator,
    make_investigator_with_contact,
    make_staff,
    make_supervisor,
    totp_code,
    totp_device,
)
from tips import services as tip_services
from tips.models import Tag, Tip, TipEvent
from traceobject.models import AuditEntry

User = get_user_model()
NEW_PASSWORD = "a brand new long passphrase 5"

# A POST answers 405 (test_get_only_urls_refuse_a_post).
GET_ONLY = {
    "imagestaff:original": "the original, downloaded (a read, audited as a view)",
    "imagestaff:source": "the editor's canvas (a read, audited as a view)",
    "imagestaff:preview": "an image as it now stands, from private storage (a read, audited)",
    "imagestaff:edit": "the crop page; its form posts to edit_preview and edit_publish",
    "tipstaff:triage": "the triage queue page; its decisions post to the tip_* views",
    "tipstaff:tip_photo": "a tip's photo (a read, audited as a reveal)",
    "tipstaff:object_tips": "the per-object page; its forms post to cluster_ask, identify",
    "admin:password_change_done": "a page after a password change",
    "admin:auth_user_add": "leads to backoffice:staff_add, which creates accounts",
    "admin:auth_user_change": "the account page edits nothing; its forms post to staff_*",
}
# A POST is accepted but writes nothing.
READS = {
    "admin:index": "the back-office's front page",
    "admin:app_list": "one app's models",
    "admin:jsi18n": "the admin's translation catalogue",
    "admin:autocomplete": "a search for a select box",
    "admin:view_on_site": "a redirect to the public page",
    "imagestaff:edit_preview": "the crop page's preview from the original (a read, audited)",
}


@dataclass
class Case:
    actor: object  # whom the new audit rows must name
    url: str | None
    data: dict
    changed: Callable[[HttpResponse], bool]  # the change really happened (or the read was shown)


def _login(client, user):
    login_verified(client, user)
    return user


# --- One recipe per state-changing URL -----------------------------------------------------


def _has_new_password(user) -> bool:
    return User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)


def _login_step(client, w):
    editor = w["editor"]
    data = {"username": "editor", "password": PASSWORD}
    return Case(editor, reverse("admin:login"), data, lambda _: "_auth_user_id" in client.session)


def _otp_step(client, w):
    editor = w["editor"]
    login_password_only(client, editor)
    data = {"token": totp_code(totp_device(editor))}
    return Case(
        editor, reverse("backoffice:otp"), data, lambda _: "otp_device_id" in client.session
    )


def _setup_step(client, w):
    investigator = w["investigator"]
    token = staff_setup_link_issue(user=investigator, actor_name="test")
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    url = reverse("backoffice:setup", args=[token])
    return Case(investigator, url, data, lambda _: _has_new_password(investigator))


def _logout(name):
    def recipe(client, w):
        editor = _login(client, w["editor"])
        return Case(editor, reverse(name), {}, lambda _: "_auth_user_id" not in client.session)

    return recipe


def _own_password(client, w):
    editor = _login(client, w["editor"])
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    return Case(editor, reverse("admin:password_change"), data, lambda _: _has_new_password(editor))


def _their_password(client, w):
    boss, investigator = _login(client, w["supervisor"]), w["investigator"]
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    url = reverse("admin:auth_user_password_change", args=[investigator.pk])
    return Case(boss, url, data, lambda _: _has_new_password(investigator))


def _staff(name, data=None, changed=None, prepare=None):
    def recipe(client, w):
        boss, investigator = _login(client, w["supervisor"]), w["investigator"]
        if prepare:
            prepare(investigator, boss)
        url = reverse(f"backoffice:{name}", args=[investigator.pk])
        return Case(boss, url, data or {}, lambda _: changed(User.objects.get(pk=investigator.pk)))

    return recipe


def _staff_add(client, w):
    boss = _login(client, w["supervisor"])
    data = {"email": "ana@example.org", "role": INVESTIGATOR}
    return Case(
        boss,
        reverse("backoffice:staff_add"),
        data,
        lambda _: User.objects.filter(username="ana@example.org").exists(),
    )


def _image_publish(client, w):
    editor = _login(client, w["editor"])
    image = w["object"].images.get()
    data = {
        "crop_x": "10",
        "crop_y": "10",
        "crop_width": "200",
        "crop_height": "150",
        "redactions-TOTAL_FORMS": "0",
        "redactions-INITIAL_FORMS": "0",
        "redactions-MIN_NUM_FORMS": "0",
        "redactions-MAX_NUM_FORMS": "1000",
    }
    return Case(
        editor,
        reverse("imagestaff:edit_publish", args=[image.pk]),
        data,
        lambda _: bool(type(image).objects.get(pk=image.pk).crop),
    )


def _tip(name, data, changed, prepare=None):
    def recipe(client, w):
        investigator = _login(client, w["investigator_contact"])
        tip = w["tip"]
        if prepare:
            prepare(w, investigator)

        url = reverse(f"tipstaff:{name}", args=[tip.pk])
        return Case(
            investigator,
            url,
            data(w),
            lambda response: changed(Tip.objects.get(pk=tip.pk), w, response),
        )

    return recipe


def _lead(name, data, changed):
    """A decision on a whole lead: two tips naming one shop, then the view."""

    def recipe(client, w):
        investigator = _login(client, w["investigator"])
        tips = [
            make_tip(w["object"], body=f"I bought it at Pingo Doce in Lisbon ({n}).").tip
            for n in range(2)
        ]
        key = Tip.objects.get(pk=tips[0].pk).lead_key
        assert key and Tip.objects.get(pk=tips[1].pk).lead_key == key
        w["lead_tips"] = tips
        url = reverse(f"tipstaff:{name}", args=[w["object"].pk])

        def fresh():
            return [Tip.objects.get(pk=t.pk) for t in tips]

        return Case(investigator, url, {"key": key, **data}, lambda _: changed(fresh(), key))

    return recipe


def _undo(client, w):
    investigator = _login(client, w["investigator"])
    tip = w["tip"]
    client.post(reverse("tipstaff:tip_status", args=[tip.pk]), {"to": "spam"})
    assert Tip.objects.get(pk=tip.pk).status == "spam"
    return Case(
        investigator,
        reverse("tipstaff:tip_undo", args=[tip.pk]),
        {},
        lambda _: Tip.objects.get(pk=tip.pk).status == "new",
    )


def _useful(w, user):
    tip_services.tip_transition(tip=w["tip"], user=user, to=Tip.Status.USEFUL)


def _object_identify(client, w):
    investigator = _login(client, w["investigator"])
    obj = w["object"]
    return Case(
        investigator,
        reverse("tipstaff:object_identify", args=[obj.pk]),
        {"note": "Sold in Lyon."},
        lambda _: TraceObject.objects.get(pk=obj.pk).status == "identified",
    )


def _object_form(category, **extra):
    data = {
        "category": category.pk,
        "title": "Printed T-shirt",
        "question": "Where is this T-shirt sold?",
        "description": "",
        "alt_text": "A white T-shirt",
        "status": "draft",
        "identification_note": "",
        "case_reference": "",
        "images-TOTAL_FORMS": "1",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "images-0-alt_text": "",
        "images-0-position": "0",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def _object_add(client, w):
    editor = _login(client, w["editor"])
    upload = SimpleUploadedFile("a.jpg", make_image_bytes(size=(200, 150)), "image/jpeg")
    data = _object_form(w["category"], **{"images-0-upload": upload})
    return Case(
        editor,
        reverse("admin:objects_traceobject_add"),
        data,
        lambda _: TraceObject.objects.filter(title="Printed T-shirt").exists(),
    )


def _object_change(client, w):
    editor = _login(client, w["editor"])
    obj = w["object"]
    url = reverse("admin:objects_traceobject_change", args=[obj.pk])
    data = {
        **admin_form(client, url),
        "title": "A new title",
        "translations-TOTAL_FORMS": "1",
        "translations-0-language": "de",
        "translations-0-title": "Ein Titel",
    }
    return Case(
        editor,
        url,
        data,
        lambda _: (
            TraceObject.objects.get(pk=obj.pk).title == "A new title"
            and TraceObjectTranslation.objects.filter(trace_object=obj).exists()
        ),
    )


def _delete(model_name, make, persona):
    def recipe(client, w):
        user = _login(client, w[persona])
        target = make(w)
        url = reverse(f"admin:{model_name}_delete", args=[target.pk])
        return Case(
            user,
            url,
            {"post": "yes"},
            lambda _: not type(target).objects.filter(pk=target.pk).exists(),
        )

    return recipe


def _simple_add(model_name, data, model, persona, *, key="name"):
    def recipe(client, w):
        user = _login(client, w[persona])
        url = reverse(f"admin:{model_name}_add")
        # The add page's own form: its inlines' management fields come with it.
        form = {**admin_form(client, url), **data}
        return Case(user, url, form, lambda _: model.objects.filter(**{key: data[key]}).exists())

    return recipe


def _site_page_change(client, w):
    user = _login(client, w["editor"])
    page = _site_page(w)
    url = reverse("admin:objects_sitepage_change", args=[page.pk])
    data = {**admin_form(client, url), "title": "Accessibility statement"}
    return Case(
        user,
        url,
        data,
        lambda _: SitePage.objects.get(pk=page.pk).title == "Accessibility statement",
    )


def _site_page(w):
    return SitePage.objects.get_or_create(
        kind=SitePage.Kind.ACCESSIBILITY, defaults={"title": "Accessibility", "body": "Text."}
    )[0]


def _simple_change(model_name, key, persona, field, value):
    def recipe(client, w):
        user = _login(client, w[persona])
        target = w[key]
        url = reverse(f"admin:{model_name}_change", args=[target.pk])
        data = {**admin_form(client, url), field: value}
        fresh = type(target).objects.filter(pk=target.pk)
        return Case(user, url, data, lambda _: str(getattr(fresh.get(), field)) == value)

    return recipe


def _category_list_editable(client, w):
    editor = _login(client, w["editor"])
    url = reverse("admin:objects_category_changelist")
    formset = client.get(url).context["cl"].formset
    data: dict = {"_save": "Save"}
    form_values(formset.management_form, data)
    for form in formset.forms:
        form_values(form, data)
    first = formset.forms[0].instance
    data[formset.forms[0].add_prefix("order")] = "77"
    return Case(editor, url, data, lambda _: Category.objects.get(pk=first.pk).order == 77)


CHANGES = {
    # Login steps: each is audited (test_login.py has the details).
    "admin:login": _login_step,
    "backoffice:otp": _otp_step,
    "backoffice:setup": _setup_step,
    "backoffice:logout": _logout("backoffice:logout"),
    "admin:logout": _logout("admin:logout"),
    "admin:password_change": _own_password,
    "admin:auth_user_password_change": _their_password,
    # Staff accounts.
    "backoffice:staff_add": _staff_add,
    "backoffice:staff_role": _staff(
        "staff_role", {"role": "Editor"}, lambda u: staff_roles(u) == ["Editor"]
    ),
    "backoffice:staff_contact_grant": _staff(
        "staff_contact_grant", None, lambda u: u.has_perm(CONTACT_PERMISSION)
    ),
    "backoffice:staff_contact_revoke": _staff(
        "staff_contact_revoke",
        None,
        lambda u: not u.user_permissions.exists(),
        prepare=lambda u, boss: staff_contact_access_grant(user=u, by=boss),
    ),
    "backoffice:staff_deactivate": _staff("staff_deactivate", None, lambda u: not u.is_active),
    "backoffice:staff_reactivate": _staff(
        "staff_reactivate",
        None,
        lambda u: u.is_active,
        prepare=lambda u, boss: User.objects.filter(pk=u.pk).update(is_active=False),
    ),
    "backoffice:staff_setup_link": _staff(
        "staff_setup_link", None, lambda u: SetupLink.objects.filter(user=u).exists()
    ),
    "backoffice:staff_reset_2fa": _staff(
        "staff_reset_2fa", None, lambda u: not u.has_usable_password()
    ),
    # Images.
    "imagestaff:edit_publish": _image_publish,
    # Tips.
    "tipstaff:tip_status": _tip(
        "tip_status", lambda w: {"to": "useful"}, lambda t, w, r: t.status == "useful"
    ),
    "tipstaff:tip_duplicate": _tip(
        "tip_duplicate",
        lambda w: {"duplicate_of": w["tip2"].pk},
        lambda t, w, r: t.duplicate_of_id == w["tip2"].pk,
    ),
    "tipstaff:tip_assign": _tip(
        "tip_assign",
        lambda w: {"assignee": w["investigator"].pk},
        lambda t, w, r: t.assignee_id == w["investigator"].pk,
    ),
    "tipstaff:tip_priority": _tip(
        "tip_priority", lambda w: {"priority": "2"}, lambda t, w, r: t.priority == 2
    ),
    "tipstaff:tip_note": _tip(
        "tip_note",
        lambda w: {"text": "Checked the shop."},
        lambda t, w, r: t.events.filter(kind=TipEvent.Kind.NOTE).exists(),
    ),
    "tipstaff:tip_ask": _tip(
        "tip_ask", lambda w: {"body": "Which shop?"}, lambda t, w, r: t.messages.exists()
    ),
    "tipstaff:tip_forward": _tip(
        "tip_forward",
        lambda w: {"agency": "Europol", "country": ""},
        lambda t, w, r: t.status == "forwarded",
        prepare=_useful,
    ),
    "tipstaff:tip_contact": _tip(
        "tip_contact", lambda w: {}, lambda t, w, r: b"me@example.org" in r.content
    ),
    "tipstaff:cluster_ask": _tip(
        "cluster_ask", lambda w: {"body": "Which shop?"}, lambda t, w, r: t.messages.exists()
    ),
    "tipstaff:object_identify": _object_identify,
    "tipstaff:tip_undo": _undo,
    # Decisions on a whole lead.
    "tipstaff:lead_confirm": _lead(
        "lead_confirm", {}, lambda tips, key: tips[1].duplicate_of_id == tips[0].pk
    ),
    "tipstaff:lead_split": _lead(
        "lead_split", {}, lambda tips, key: all(t.lead_key != key for t in tips)
    ),
    "tipstaff:lead_useful": _lead("lead_useful", {}, lambda tips, key: tips[0].status == "useful"),
    "tipstaff:lead_forward": _lead(
        "lead_forward",
        {"agency": "Europol", "country": ""},
        lambda tips, key: tips[0].status == "forwarded",
    ),
    "tipstaff:lead_ask": _lead(
        "lead_ask",
        {"body": "Which shop exactly?"},
        lambda tips, key: all(t.messages.exists() for t in tips),
    ),
    # The admin's model views.
    "admin:objects_traceobject_add": _object_add,
    "admin:objects_traceobject_change": _object_change,
    "admin:objects_traceobject_delete": _delete(
        "objects_traceobject", lambda w: make_object(category=w["category"]), "editor"
    ),
    "admin:objects_sitepage_add": _simple_add(
        "objects_sitepage",
        {"kind": "legal", "title": "Legal notice", "body": "Who we are."},
        SitePage,
        "editor",
        key="kind",
    ),
    "admin:objects_sitepage_delete": _delete("objects_sitepage", _site_page, "editor"),
    "admin:objects_sitepage_change": _site_page_change,
    "admin:objects_category_add": _simple_add(
        "objects_category", {"name": "Shoes", "slug": "shoes", "order": "3"}, Category, "editor"
    ),
    "admin:objects_category_change": _simple_change(
        "objects_category", "category", "editor", "name", "Bags and cases"
    ),
    "admin:objects_category_delete": _delete(
        "objects_category", lambda w: make_category(), "editor"
    ),
    "admin:objects_category_changelist": _category_list_editable,
    "admin:tips_tag_add": _simple_add("tips_tag", {"name": "shop found"}, Tag, "investigator"),
    "admin:tips_tag_change": _simple_change("tips_tag", "tag", "investigator", "name", "logo"),
    "admin:tips_tag_delete": _delete("tips_tag", lambda w: w["tag"], "supervisor"),
    "admin:tips_tip_change": _simple_change("tips_tip", "tip", "investigator", "priority", "2"),
}


def _action(
    action, data, changed, *, persona="investigator", select=lambda w: [w["tip"].pk], prepare=None
):
    def recipe(client, w):
        user = _login(client, w[persona])
        if prepare:
            prepare(w, user)
        post = {
            "action": action,
            ACTION_CHECKBOX_NAME: [str(pk) for pk in select(w)],
            "index": "0",
            **data(w),
        }
        return Case(user, None, post, lambda response: changed(w, response))

    return recipe


def _tip_fresh(w):
    return Tip.objects.get(pk=w["tip"].pk)


def _tagged(w, user):
    w["tip"].tags.add(w["tag"])


ACTIONS = {
    ("objects.sitepage", "delete_selected"): _action(
        "delete_selected",
        lambda w: {"post": "yes"},
        lambda w, r: not SitePage.objects.filter(kind=SitePage.Kind.ACCESSIBILITY).exists(),
        persona="editor",
        select=lambda w: [_site_page(w).pk],
    ),
    ("objects.category", "delete_selected"): _action(
        "delete_selected",
        lambda w: {"post": "yes"},
        lambda w, r: not Category.objects.filter(pk=w["spare_category"].pk).exists(),
        persona="editor",
        select=lambda w: [w["spare_category"].pk],
    ),
    ("objects.traceobject", "delete_selected"): _action(
        "delete_selected",
        lambda w: {"post": "yes"},
        lambda w, r: not TraceObject.objects.filter(pk=w["spare_object"].pk).exists(),
        persona="editor",
        select=lambda w: [w["spare_object"].pk],
    ),
    ("tips.tag", "delete_selected"): _action(
        "delete_selected",
        lambda w: {"post": "yes"},
        lambda w, r: not Tag.objects.exists(),
        persona="supervisor",
        select=lambda w: [w["tag"].pk],
    ),
    ("tips.tip", "export_csv"): _action(
        "export_csv", lambda w: {}, lambda w, r: b"rue de la R" in r.csv
    ),
    ("tips.tip", "mark_duplicate"): _action(
        "mark_duplicate",
        lambda w: {"duplicate_of": w["tip2"].pk},
        lambda w, r: _tip_fresh(w).duplicate_of_id == w["tip2"].pk,
    ),
    ("tips.tip", "forward"): _action(
        "forward",
        lambda w: {"agency": "Europol"},
        lambda w, r: _tip_fresh(w).status == "forwarded",
        prepare=_useful,
    ),
    ("tips.tip", "ask_tipsters"): _action(
        "ask_tipsters",
        lambda w: {"apply": "1", "body": "Which shop?"},
        lambda w, r: _tip_fresh(w).messages.exists(),
    ),
    ("tips.tip", "add_tag"): _action(
        "add_tag",
        lambda w: {"apply": "1", "tag": w["tag"].pk},
        lambda w, r: _tip_fresh(w).tags.exists(),
    ),
    ("tips.tip", "remove_tag"): _action(
        "remove_tag",
        lambda w: {"apply": "1", "tag": w["tag"].pk},
        lambda w, r: not _tip_fresh(w).tags.exists(),
        prepare=_tagged,
    ),
}


# --- Classification, from the URL patterns and the admin's registry -------------------------


def _model_views():
    """admin URL name → (ModelAdmin, view) for every registered model's add/change/delete/
    changelist/history view."""
    found = {}
    for model, model_admin in admin.site._registry.items():
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        for view in ("add", "change", "delete", "changelist", "history"):
            found[base + view] = (model_admin, view)
    return found


def _superuser_request():
    root = User(username="root", is_superuser=True, is_staff=True, is_active=True)
    request = RequestFactory().post("/")
    request.user = root
    return request


def refused_by_admin() -> set[str]:
    """Admin add/change/delete views whose ModelAdmin refuses even a superuser."""
    request = _superuser_request()
    refused = set()
    for name, (model_admin, view) in _model_views().items():
        check = {
            "add": model_admin.has_add_permission,
            "change": model_admin.has_change_permission,
            "delete": model_admin.has_delete_permission,
        }.get(view)
        if check is not None and not check(request):
            refused.add(name)
    return refused


def classify(name: str) -> str | None:
    if name in CHANGES:
        return "change"
    if name in GET_ONLY:
        return "get-only"
    if name in READS:
        return "read"
    if name in refused_by_admin():
        return "refused"
    model_view = _model_views().get(name)
    if model_view is not None:
        model_admin, view = model_view
        if view == "history":
            return "read"  # the object's django_admin_log lines, a page
        if view == "changelist" and not model_admin.list_editable:
            return "actions"  # a POST runs an action: each is in ACTIONS
    return None


def every_action() -> set[tuple[str, str]]:
    request = _superuser_request()
    return {
        (model._meta.label_lower, name)
        for model, model_admin in admin.site._registry.items()
        for name in model_admin.get_actions(request)
    }


def test_every_backoffice_url_is_classified():
    names = backoffice_url_names()
    assert "admin:objects_traceobject_change" in names and "backoffice:staff_role" in names
    assert [name for name in names if classify(name) is None] == []
    assert set(CHANGES) | set(GET_ONLY) | set(READS) <= set(names)  # no stale entry


def test_every_admin_action_has_a_recipe():
    assert every_action() == set(ACTIONS)


# --- The checks -----------------------------------------------------------------------------


@pytest.fixture
def w(db):
    category = make_category()
    obj = make_object(category=category)
    tip = make_tip(obj, contact="me@example.org", photo_jpeg=make_image_bytes(size=(40, 30))).tip
    tip2 = make_tip(obj).tip
    return {
        "category": category,
        "spare_category": make_category(),
        "object": obj,
        "spare_object": make_object(category=category),
        "tip": tip,
        "tip2": tip2,
        "tag": Tag.objects.create(name="brand"),
        "editor": make_editor(),
        "investigator": make_investigator(),
        "investigator_contact": make_investigator_with_contact(),
        "supervisor": make_supervisor(),
    }


def _new_rows(after_pk: int, actor):
    rows = AuditEntry.objects.filter(pk__gt=after_pk).exclude(action=AuditEntry.Action.VIEW)
    return list(rows.filter(actor=actor).values_list("action", "target_type", "target_id"))


def _last_pk() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CHANGES))
def test_each_state_changing_url_writes_an_audit_row(client, w, name):
    case = CHANGES[name](client, w)
    before = _last_pk()
    response = client.post(case.url, case.data)
    assert response.status_code < 400, response.status_code
    assert case.changed(response), f"{name}: the request changed nothing (a stale recipe?)"
    assert _new_rows(before, case.actor), f"{name}: no audit row"


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(ACTIONS), ids=lambda key: f"{key[0]}:{key[1]}")
def test_each_admin_action_writes_an_audit_row(client, w, key):
    label, action = key
    case = ACTIONS[key](client, w)
    app_label, model_name = label.split(".")
    before = _last_pk()
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    # The tip list shows new tips by default; an action on a tip in another status is taken
    # from the list of every status, as an investigator would.
    query = "?status__exact=all" if label == "tips.tip" else ""
    response = client.post(url + query, case.data)
    assert response.status_code < 400, response.status_code
    # An export streams its lines; read them (the audit row is written before the first).
    response.csv = b"".join(getattr(response, "streaming_content", []))
    assert case.changed(response), f"{label} {action}: the action changed nothing"
    assert _new_rows(before, case.actor), f"{label} {action}: no audit row"


def _root(client):
    root = make_staff("root")
    User.objects.filter(pk=root.pk).update(is_superuser=True)
    login_verified(client, User.objects.get(pk=root.pk))


def _args(name: str, w) -> list:
    """An existing object for the URL's one argument, if it has one."""
    route = next(route for route, n in _walk(get_resolver().url_patterns) if n == name)
    if "<" not in route:
        return []
    if name.startswith("imagestaff:"):
        return [w["object"].images.get().pk]
    if name == "tipstaff:object_tips":
        return [w["object"].pk]
    if name.startswith("tipstaff:"):
        return [w["tip"].pk]
    return [w["investigator"].pk]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(GET_ONLY))
def test_get_only_urls_refuse_a_post(client, w, name):
    _root(client)
    url = reverse(name, args=_args(name, w))
    assert client.get(url).status_code in (200, 302)  # the URL is right, and it answers a GET
    assert client.post(url, {}).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(refused_by_admin()))
def test_admin_views_nobody_may_use_refuse_even_a_superuser(client, w, name):
    _root(client)
    model_admin, view = _model_views()[name]
    instance = model_admin.model.objects.first()
    args = [instance.pk if instance else 1] if view in ("change", "delete") else []
    before = model_admin.model.objects.count()
    assert client.post(reverse(name, args=args), {"post": "yes"}).status_code == 403
    assert model_admin.model.objects.count() == before
