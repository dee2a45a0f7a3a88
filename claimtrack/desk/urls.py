"""The editors' desk: intake, the claim workspace, my work, lookups. Staff only."""

from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("", views.index, name="index"),
    path("my-work/", views.my_work, name="my_work"),
    path("my-work/email/", views.email_settings, name="email_settings"),
]
