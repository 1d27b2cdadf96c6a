from django.urls import path

from objects import staff_views

app_name = "imagestaff"

urlpatterns = [
    path("<int:pk>/original/", staff_views.image_original, name="original"),
    path("<int:pk>/source/", staff_views.image_source, name="source"),
    path("<int:pk>/preview/", staff_views.image_preview, name="preview"),
    path("<int:pk>/edit/", staff_views.image_edit, name="edit"),
    path("<int:pk>/edit/preview/", staff_views.image_edit_preview, name="edit_preview"),
    path("<int:pk>/edit/publish/", staff_views.image_edit_publish, name="edit_publish"),
]
