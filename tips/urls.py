from django.urls import path

from tips import views

app_name = "tips"

urlpatterns = [
    path("objects/<ref:number>/tip/", views.tip_form, name="form"),
    path("follow-up/", views.follow_up, name="follow_up"),
    path("report/", views.report, name="report"),
    path("report/tip/", views.general_tip_form, name="general_form"),
    path("results/", views.results, name="results"),
]
