"""Staff roles as groups. Created by a data migration; `roles_sync` is idempotent."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from tips.models import CONTACT_PERMISSION

EDITOR = "Editor"
INVESTIGATOR = "Investigator"
SUPERVISOR = "Supervisor"
ROLE_NAMES = {"editor": EDITOR, "investigator": INVESTIGATOR, "supervisor": SUPERVISOR}

_EDITOR = [
    "objects.add_category",
    "objects.change_category",
    "objects.delete_category",
    "objects.view_category",
    "objects.add_traceobject",
    "objects.change_traceobject",
    "objects.delete_traceobject",
    "objects.view_traceobject",
    "objects.add_objectimage",
    "objects.change_objectimage",
    "objects.delete_objectimage",
    "objects.view_objectimage",
    "objects.add_traceobjecttranslation",
    "objects.change_traceobjecttranslation",
    "objects.delete_traceobjecttranslation",
    "objects.view_traceobjecttranslation",
]
_INVESTIGATOR = [
    "tips.view_tip",
    "tips.change_tip",
    "tips.view_tag",
    "tips.add_tag",
    "tips.change_tag",
    "objects.view_traceobject",
    "objects.view_category",
]
_SUPERVISOR = sorted(
    set(_EDITOR + _INVESTIGATOR)
    | {
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.delete_user",
        "auth.view_group",
        "traceobject.view_auditentry",
        "tips.delete_tag",
        CONTACT_PERMISSION,
    }
)

ROLES = {EDITOR: _EDITOR, INVESTIGATOR: _INVESTIGATOR, SUPERVISOR: _SUPERVISOR}


def roles_sync(apps=global_apps) -> None:
    """Create the three groups with exactly their permissions (creating permissions first).

    Called by migrations with their historical `apps`: a permission of a model that does not
    exist yet at that point of the history is left for the later migration that syncs again.
    """
    for app_config in apps.get_app_configs():
        if apps is not global_apps:
            # Historical app configs have no models module; create_permissions skips those.
            app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is None and apps is global_apps:
                raise LookupError(f"no permission {perm}")
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)
