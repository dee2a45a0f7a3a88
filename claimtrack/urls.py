from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from claimtrack.claims import views
from claimtrack.claims.feeds import ChangesFeed

admin.site.site_header = "claimtrack editorial admin"
admin.site.site_title = "claimtrack admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/export.csv", views.export_csv, name="claims_export_csv"),
    path("claims/export.json", views.export_json, name="claims_export_json"),
    path("claims/feed/", ChangesFeed(), name="changes_feed"),
    path("claims/<slug:article_slug>/<slug:claim_slug>/", views.claim_detail, name="claim_detail"),
    path("claims/<slug:article_slug>/<slug:claim_slug>/flag/", views.flag_claim, name="flag_claim"),
    path("articles/", views.article_list, name="article_list"),
    # A file name, not a slug: no article's slug can take this address.
    path("articles/suggest.json", views.article_suggest, name="article_suggest"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("articles/<slug:slug>/changes/", views.article_revisions, name="article_revisions"),
    path("changes/", views.changes, name="changes"),
    path("how-we-rate/", views.how_we_rate, name="how_we_rate"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("desk/", include("claimtrack.desk.urls")),
    path("admin/", admin.site.urls),
]
