"""The tips app's staff URLs, mounted under /backoffice/ by the root URLconf. Every view is
wrapped in traceobject.staff.staff_view; each decision on a tip is its own small POST view."""

from django.urls import path

from tips import staff_views

app_name = "tipstaff"

urlpatterns = [
    path("triage/", staff_views.triage_queue, name="triage"),
    path("tips/<int:pk>/status/", staff_views.tip_status, name="tip_status"),
    path("tips/<int:pk>/duplicate/", staff_views.tip_duplicate, name="tip_duplicate"),
    path("tips/<int:pk>/assign/", staff_views.tip_assign, name="tip_assign"),
    path("tips/<int:pk>/priority/", staff_views.tip_priority, name="tip_priority"),
    path("tips/<int:pk>/note/", staff_views.tip_note, name="tip_note"),
    path("tips/<int:pk>/ask/", staff_views.tip_ask, name="tip_ask"),
    path("tips/<int:pk>/forward/", staff_views.tip_forward, name="tip_forward"),
    path("tips/<int:pk>/contact/", staff_views.tip_contact_reveal, name="tip_contact"),
    path("tips/<int:pk>/photo/", staff_views.tip_photo_view, name="tip_photo"),
    path("tips/<int:pk>/cluster/ask/", staff_views.cluster_ask, name="cluster_ask"),
    path("objects/<int:pk>/tips/", staff_views.object_tips, name="object_tips"),
    path("objects/<int:pk>/identify/", staff_views.object_identify, name="object_identify"),
    path("tips/<int:pk>/undo/", staff_views.tip_undo, name="tip_undo"),
    # Decisions on a whole lead of the object; the lead's key is in the form.
    path("objects/<int:pk>/leads/confirm/", staff_views.lead_confirm, name="lead_confirm"),
    path("objects/<int:pk>/leads/split/", staff_views.lead_split, name="lead_split"),
    path("objects/<int:pk>/leads/useful/", staff_views.lead_useful, name="lead_useful"),
    path("objects/<int:pk>/leads/forward/", staff_views.lead_forward, name="lead_forward"),
    path("objects/<int:pk>/leads/ask/", staff_views.lead_ask, name="lead_ask"),
]
