from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path

from claimtrack.claims import views
from claimtrack.claims.feeds import ArticleFeed, ChangesFeed, VerdictsFeed
from claimtrack.claims.pagecache import conditional_export, public_page
from claimtrack.watch.due import counted

# Errors in JSON where JSON was asked for (the API, the .json addresses), else the site's pages.
handler400 = "claimtrack.lib.json_errors.bad_request"
handler403 = "claimtrack.lib.json_errors.permission_denied"
handler404 = "claimtrack.lib.json_errors.page_not_found"
handler500 = "claimtrack.lib.json_errors.server_error"

admin.site.site_header = "claimtrack editorial admin"
admin.site.site_title = "claimtrack admin"

# public_page: anonymous readers get the page from the cache, filed under the public version
# (fresh the moment a change commits), with an ETag; conditional_export: the ETag only.
urlpatterns = [
    path("", public_page(views.home), name="home"),
    path("claims/", public_page(views.claim_list), name="claim_list"),
    path("claims/export.csv", conditional_export(views.export_csv), name="claims_export_csv"),
    path("claims/export.json", conditional_export(views.export_json), name="claims_export_json"),
    path("claims/feed/", public_page(ChangesFeed()), name="changes_feed"),
    # Counted before the cache answers (the review queue's "most read"); cached by the day too:
    # the page says when the claim's review is overdue, which no write announces.
    path(
        "claims/<slug:article_slug>/<slug:claim_slug>/",
        counted(public_page(views.claim_detail, by_day=True)),
        name="claim_detail",
    ),
    path("claims/<slug:article_slug>/<slug:claim_slug>/flag/", views.flag_claim, name="flag_claim"),
    path("articles/", public_page(views.article_list), name="article_list"),
    # A file name, not a slug: no article's slug can take this address.
    path("articles/suggest.json", public_page(views.article_suggest), name="article_suggest"),
    path("articles/<slug:slug>/", public_page(views.article_detail), name="article_detail"),
    path("articles/<slug:slug>/feed/", public_page(ArticleFeed()), name="article_feed"),
    path(
        "articles/<slug:slug>/changes/",
        public_page(views.article_revisions),
        name="article_revisions",
    ),
    path("sources/", public_page(views.source_list), name="source_list"),
    path("sources/<slug:slug>/", public_page(views.source_detail), name="source_detail"),
    path("changes/", public_page(views.changes), name="changes"),
    # Not under claims/: /claims/<article>/<claim>/ would take "feed/verdicts/" for a claim.
    path("changes/feed/verdicts/", public_page(VerdictsFeed()), name="verdicts_feed"),
    path("how-we-rate/", public_page(views.how_we_rate), name="how_we_rate"),
    path("reviewers/", public_page(views.reviewer_list), name="reviewer_list"),
    path("reviewers/<slug:slug>/", public_page(views.reviewer_detail), name="reviewer_detail"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("desk/", include("claimtrack.desk.urls")),
    path("watch/", include("claimtrack.watch.urls")),
    path("api/", include("claimtrack.api.urls")),
    path("admin/", admin.site.urls),
]


def bench_floor(request):
    """The benchmark's B0: the cost of the middleware stack alone, no view work, no query."""
    return HttpResponse("ok\n", content_type="text/plain")


if settings.BENCH_FLOOR:
    urlpatterns.append(path("bench/floor", bench_floor))
