from django.urls import path

from claimtrack.api.views import api

urlpatterns = [path("v1/", api.urls)]
