"""Staff URLs outside Django's admin, under /backoffice/. Every view here is either a login step
or wrapped in traceobject.staff.staff_view (login, second factor, permission, never_cache)."""

from django.urls import path

from backoffice import views
from tips import staff_views

app_name = "backoffice"

urlpatterns = [
    # Login steps (no second factor yet, by nature).
    path("otp/", views.otp_view, name="otp"),
    path("signout/", views.logout_view, name="logout"),
    path("setup/<str:token>/", views.setup_view, name="setup"),
    # Staff accounts (supervisors): a new one-time setup link; reset the second factor.
    path("staff/<int:pk>/setup-link/", views.staff_setup_link, name="staff_setup_link"),
    path("staff/<int:pk>/reset-2fa/", views.staff_reset_second_factor, name="staff_reset_2fa"),
    # Triage.
    path("triage/", staff_views.triage_queue, name="triage"),
    path("triage/<int:pk>/decide/", staff_views.triage_decide, name="triage_decide"),
    path("tips/<int:pk>/act/", staff_views.tip_act, name="tip_act"),
    path("tips/<int:pk>/contact/", staff_views.tip_contact_reveal, name="tip_contact"),
    path("tips/<int:pk>/photo/", staff_views.tip_photo_view, name="tip_photo"),
    path("tips/<int:pk>/cluster/ask/", staff_views.cluster_ask, name="cluster_ask"),
    path("objects/<int:pk>/tips/", staff_views.object_tips, name="object_tips"),
    path("objects/<int:pk>/identify/", staff_views.object_identify, name="object_identify"),
]
