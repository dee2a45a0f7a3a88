"""The editors' desk: intake, the claim workspace, my work, lookups. Staff only."""

from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("", views.index, name="index"),
    path("articles/new/", views.intake, name="intake"),
    path("articles/<slug:slug>/workspace/", views.workspace, name="workspace"),
    path("articles/<slug:slug>/claims/", views.add_claim, name="add_claim"),
    path("articles/<slug:slug>/dismiss/", views.dismiss_candidate, name="dismiss_candidate"),
    path("claims/<int:pk>/verdict/", views.set_verdict, name="set_verdict"),
    path("claims/<int:pk>/evidence/", views.add_evidence, name="add_evidence"),
    path("claims/<int:pk>/publish/", views.publish, name="publish"),
    path("claims/<int:pk>/preview/", views.claim_preview, name="claim_preview"),
    path("lookup/citation/", views.lookup_citation, name="lookup_citation"),
    path("similar/", views.similar, name="similar"),
    path("citations/", views.citation_search, name="citation_search"),
    path("my-work/", views.my_work, name="my_work"),
    path("my-work/email/", views.email_settings, name="email_settings"),
]
