"""The people every test talks about (healthchecks' hc/test.py habit): one helper each."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

PASSWORD = "correct horse battery staple 42"


def _user(username: str, *, groups=(), perms=(), is_staff=True):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, is_staff=is_staff
    )
    for name in groups:
        user.groups.add(_group(name))
    for codename in perms:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def _group(name: str) -> Group:
    group, created = Group.objects.get_or_create(name=name)
    if created and name == "Editor":
        group.permissions.set(Permission.objects.filter(content_type__app_label="objects"))
    if created and name == "Investigator":
        group.permissions.set(Permission.objects.filter(codename="view_traceobject"))
    return group


def make_editor():
    return _user("editor", groups=["Editor"])


def make_investigator():
    return _user("investigator", groups=["Investigator"])


def make_staff_without_permission():
    return _user("nobody", groups=[])
