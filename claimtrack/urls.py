from django.contrib import admin
from django.urls import path

admin.site.site_header = "claimtrack editorial admin"
admin.site.site_title = "claimtrack admin"

urlpatterns = [
    path("admin/", admin.site.urls),
]
