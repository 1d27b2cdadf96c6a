from django.urls import path, register_converter

from objects import views
from objects.converters import ReferenceConverter

register_converter(ReferenceConverter, "ref")

app_name = "objects"

urlpatterns = [
    path("", views.gallery, name="gallery"),
    path("objects/<ref:number>/", views.object_detail, name="detail"),
    path("objects/<ref:number>/tip/", views.tip_soon, name="tip"),
    path("identified/", views.identified, name="identified"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
]
