"""The editors' desk: intake, the claim workspace, my work, lookups. Staff only."""

from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("", views.index, name="index"),
    path("similar/", views.similar, name="similar"),
]
