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
    # Staff accounts (supervisors): a new one-time setup link; reset the second factor.
    path("staff/<int:pk>/setup-link/", views.staff_setup_link, name="staff_setup_link"),
    path("staff/<int:pk>/reset-2fa/", views.staff_reset_second_factor, name="staff_reset_2fa"),
]
