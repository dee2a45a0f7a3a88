"""The evidence watch's pages: staff only."""

from django.urls import path

from . import views

app_name = "watch"

urlpatterns = [
    path("due/", views.due_queue, name="due"),
    path("due/<int:pk>/confirm/", views.confirm, name="confirm"),
]
