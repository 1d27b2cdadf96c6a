from django.urls import path

from objects import views
from objects.feeds import CategoryFeed, LatestObjectsFeed

app_name = "objects"

urlpatterns = [
    path("", views.gallery, name="gallery"),
    path("objects/<ref:number>/", views.object_detail, name="detail"),
    path("identified/", views.identified, name="identified"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("legal/", views.legal, name="legal"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("feeds/objects.atom", LatestObjectsFeed(), name="feed"),
    path("feeds/<slug:slug>.atom", CategoryFeed(), name="feed_category"),
]
