"""The back-office app's own URLs, under /backoffice/: the login steps and the supervisors' staff
account actions. Every view here is a login step or wrapped in traceobject.staff.staff_view
(login, second factor, permission, never_cache). The other apps' staff URLs are their own
(objects/staff_urls.py, tips/staff_urls.py)."""

from django.urls import path

from backoffice import views

app_name = "backoffice"

urlpatterns = [
    # Login steps (no second factor yet, by nature).
    path("otp/", views.otp_view, name="otp"),
    path("signout/", views.logout_view, name="logout"),
    path("setup/<str:token>/", views.setup_view, name="setup"),
    # Staff accounts (supervisors), one POST view per action, each calling one service:
    # backoffice.services refuses what the person may not do.
    path("staff/add/", views.staff_add, name="staff_add"),
    path("staff/<int:pk>/role/", views.staff_role, name="staff_role"),
    path("staff/<int:pk>/contact/grant/", views.staff_contact_grant, name="staff_contact_grant"),
    path("staff/<int:pk>/contact/revoke/", views.staff_contact_revoke, name="staff_contact_revoke"),
    path("staff/<int:pk>/deactivate/", views.staff_deactivate_view, name="staff_deactivate"),
    path("staff/<int:pk>/reactivate/", views.staff_reactivate_view, name="staff_reactivate"),
    path("staff/<int:pk>/setup-link/", views.staff_setup_link, name="staff_setup_link"),
    path("staff/<int:pk>/reset-2fa/", views.staff_reset_second_factor, name="staff_reset_2fa"),
]
