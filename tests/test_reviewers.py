"""Reviewer pages: staff appear in public by their public name, linked to a page with their role,
bio and declared interests, which they edit themselves in the admin; never by their login."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from claimtrack.claims import demo
from claimtrack.claims.models import Claim, Interests, PublicVersion, StaffProfile

from .conftest import form_data, make_claim, make_user, raw_update

LOGIN = "zq-login-7"  # a login name no page has any other reason to contain


def version():
    return PublicVersion.objects.current()


@pytest.fixture
def zed(db):
    """An editor with a public profile and a login name that must never be shown."""
    user = make_user(LOGIN, "Editors", is_staff=True, first_name="Zed", last_name="Quill")
    StaffProfile.objects.make(
        user,
        display_name="Dr Zed Quill",
        bio="Pharmacologist; ten years of trial reviews.",
        interests=Interests.NONE,
    )
    return user


@pytest.fixture
def reviewed_by_zed(reviewed_claim, zed):
    reviewed_claim.change_verdict(
        by=zed, status="overstated", certainty="low", rationale="Mice.", note="Only in mice."
    )
    return reviewed_claim


def test_no_public_page_shows_the_login_name(client, reviewed_by_zed):
    pages = [
        reviewed_by_zed.get_absolute_url(),
        "/changes/",
        "/claims/feed/",
        "/reviewers/",
        "/reviewers/dr-zed-quill/",
        "/how-we-rate/",
        "/",
        "/claims/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.content.decode()
        assert LOGIN not in text, path
        assert "Dr Zed Quill" in text or path in ("/", "/claims/", "/how-we-rate/"), path
    claim_page = client.get(reviewed_by_zed.get_absolute_url()).content.decode()
    link = '<a class="person" href="/reviewers/dr-zed-quill/">Dr Zed Quill</a>'
    assert f"Reviewed by</dt><dd>{link}," in claim_page
    assert f"— {link}" in claim_page  # the history
    assert f"— {link}" in client.get("/changes/").content.decode()


def test_someone_without_a_profile_or_a_name_is_still_not_shown_by_login(client, reviewed_claim):
    nameless = make_user("xk-login-3", "Editors", is_staff=True)
    reviewed_claim.change_verdict(
        by=nameless, status="overstated", certainty="low", rationale="Mice.", note="Mice."
    )
    for path in [reviewed_claim.get_absolute_url(), "/changes/", "/claims/feed/", "/reviewers/"]:
        text = client.get(path).content.decode()
        assert "xk-login-3" not in text, path
        assert "A claimtrack reviewer" in text, path


def test_the_full_name_is_the_public_name_by_default_and_the_address_never_the_login(db):
    named = make_user("ab-login", "Reviewers", is_staff=True, first_name="Ana", last_name="Bell")
    assert StaffProfile.objects.make(named).slug == "ana-bell"
    nameless = make_user("cd-login", "Reviewers", is_staff=True)
    profile = StaffProfile.objects.make(nameless)
    assert profile.public_name == "A claimtrack reviewer"
    assert "cd-login" not in profile.slug
    twin = make_user("ef-login", "Reviewers", is_staff=True, first_name="Ana", last_name="Bell")
    assert StaffProfile.objects.make(twin).slug == "ana-bell-2"


def test_the_list_names_each_reviewer_and_editor_with_their_role(
    client, zed, reviewer, django_assert_num_queries
):
    StaffProfile.objects.make(reviewer, display_name="Rita Moss")
    with django_assert_num_queries(2):  # the version, the page of people
        page = client.get("/reviewers/").content.decode()
    people = page[page.index('<ul class="people">') :]
    assert people.index("Dr Zed Quill") < people.index("Rita Moss")  # by name
    assert '<a class="person" href="/reviewers/dr-zed-quill/">Dr Zed Quill</a>' in people
    zed_card = people[people.index("Dr Zed Quill") : people.index("Rita Moss")]
    assert "Editor" in zed_card
    assert "Reviewer" in people[people.index("Rita Moss") :]


def test_the_list_leaves_out_the_inactive_and_anyone_not_staff(client, zed, outsider):
    gone = make_user("gone-login", "Reviewers", is_staff=True, is_active=False)
    StaffProfile.objects.make(gone, display_name="Gina Gone")
    not_staff = make_user("ns-login", "Reviewers")
    StaffProfile.objects.make(not_staff, display_name="Nora Notstaff")
    StaffProfile.objects.make(outsider, display_name="Olly Outside")
    page = client.get("/reviewers/").content.decode()
    assert "Dr Zed Quill" in page
    for hidden in ["Gina Gone", "Nora Notstaff", "Olly Outside"]:
        assert hidden not in page
    for slug in ["gina-gone", "nora-notstaff", "olly-outside"]:
        assert client.get(f"/reviewers/{slug}/").status_code == 404


def test_staff_who_reviewed_are_listed_even_outside_the_groups(client, reviewed_claim):
    former = make_user("fm-login", is_staff=True)  # reviewed, then left the groups
    StaffProfile.objects.make(former, display_name="Fay Former")
    assert "Fay Former" not in client.get("/reviewers/").content.decode()
    raw_update(Claim.objects.filter(pk=reviewed_claim.pk), reviewed_by=former)
    assert "Fay Former" in client.get("/reviewers/").content.decode()


def test_a_reviewers_page_shows_role_bio_interests_and_their_claims(
    client, reviewed_by_zed, article, zed, django_assert_num_queries
):
    other = make_claim(article, slug="other", status="unverifiable", rationale="No trial.")
    raw_update(Claim.objects.filter(pk=other.pk), reviewed_by=zed, reviewed_at=timezone.now())
    with django_assert_num_queries(3):  # the version, the person, a page of their claims
        page = client.get("/reviewers/dr-zed-quill/").content.decode()
    assert "<h1>Dr Zed Quill</h1>" in page
    assert "claimtrack editor" in page
    assert "Pharmacologist; ten years of trial reviews." in page
    assert "Dr Zed Quill declares no competing interests." in page
    reviewed = page[page.index('<h2 id="reviewed">') :]
    assert reviewed.index(other.statement) < reviewed.index(reviewed_by_zed.statement)
    assert 'href="/how-we-rate/#status-overstated"' in reviewed


def test_a_reviewers_claims_come_a_page_at_a_time(client, zed, article, monkeypatch):
    monkeypatch.setattr("claimtrack.claims.views.REVIEWED_PER_PAGE", 1)
    for n, quote in enumerate(["relieve depression within hours", "It triggers BDNF release."]):
        claim = make_claim(article, slug=f"c{n}", quote=quote, status="unverifiable", rationale="x")
        raw_update(Claim.objects.filter(pk=claim.pk), reviewed_by=zed, reviewed_at=timezone.now())
    first = client.get("/reviewers/dr-zed-quill/")
    assert len(first.context["page"].object_list) == 1 and first.context["page"].has_next()
    assert 'rel="next"' in first.content.decode()
    assert client.get("/reviewers/dr-zed-quill/?page=x").status_code == 400


def test_not_stated_is_not_the_same_as_none_declared(client, zed):
    profile = zed.staff_profile
    profile.interests = Interests.NOT_STATED
    profile.save()
    page = client.get("/reviewers/dr-zed-quill/").content.decode()
    assert "Not stated" in page and "declares no competing interests" not in page
    profile.interests = Interests.DECLARED
    profile.interests_statement = "Consults for a ketamine clinic."
    profile.save()
    page = client.get("/reviewers/dr-zed-quill/").content.decode()
    assert "Consults for a ketamine clinic." in page and "Not stated" not in page


def test_declared_interests_must_say_what_they_are(zed):
    profile = zed.staff_profile
    profile.interests = Interests.DECLARED
    with pytest.raises(IntegrityError), transaction.atomic():
        profile.save()
    profile.interests, profile.interests_statement = Interests.NONE, "Something."
    with pytest.raises(IntegrityError), transaction.atomic():
        profile.save()


def admin_url(profile=None):
    if profile is None:
        return reverse("admin:claims_staffprofile_changelist")
    return reverse("admin:claims_staffprofile_change", args=[profile.pk])


def test_each_person_edits_their_own_profile_and_the_history_says_who(client, zed):
    client.force_login(zed)
    profile = zed.staff_profile
    assert client.get(admin_url())["Location"] == admin_url(profile)
    data = form_data(client.get(admin_url(profile)), "staffprofile_form")
    data.update(bio="Pharmacologist and trialist.", display_name="Zed Quill")
    response = client.post(admin_url(profile), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    profile.refresh_from_db()
    assert profile.bio == "Pharmacologist and trialist."
    assert profile.slug == "zed-quill"  # the address follows the name
    latest = profile.history.order_by("-history_id").first()
    assert latest.history_user == zed and latest.bio == "Pharmacologist and trialist."
    # The old address leads to the new one.
    old = client.get("/reviewers/dr-zed-quill/")
    assert old.status_code == 301 and old["Location"] == "/reviewers/zed-quill/"


def test_an_editor_cannot_see_or_change_someone_elses_bio(client, zed, reviewer):
    theirs = StaffProfile.objects.make(reviewer, display_name="Rita Moss", bio="Nurse.")
    client.force_login(zed)
    assert client.get(admin_url(theirs)).status_code in (302, 403, 404)
    data = {"display_name": "Hacked", "bio": "Hacked.", "interests": "none"}
    client.post(admin_url(theirs), data)
    theirs.refresh_from_db()
    assert theirs.bio == "Nurse." and theirs.display_name == "Rita Moss"
    assert client.get(reverse("admin:claims_staffprofile_add")).status_code != 200


def test_a_reviewer_without_a_profile_makes_their_own(client, reviewer):
    client.force_login(reviewer)
    add = reverse("admin:claims_staffprofile_add")
    assert client.get(admin_url())["Location"] == add
    data = form_data(client.get(add), "staffprofile_form")
    data.update(display_name="Rita Moss", bio="Nurse.", interests="not_stated")
    assert client.post(add, data).status_code == 302
    profile = StaffProfile.objects.get(user=reviewer)
    assert profile.slug == "rita-moss" and profile.bio == "Nurse."
    assert profile.history.get().history_user == reviewer


def test_a_bad_profile_form_says_what_is_wrong(client, zed):
    client.force_login(zed)
    profile = zed.staff_profile
    data = form_data(client.get(admin_url(profile)), "staffprofile_form")
    data.update(interests="declared", interests_statement="")
    response = client.post(admin_url(profile), data)
    assert response.status_code == 200
    assert "Say which interests you declare." in response.content.decode()


def test_a_public_change_to_a_profile_is_seen_at_once_the_email_setting_is_not(zed):
    before = version()
    StaffProfile.objects.set_email_on_flags(zed, False)
    assert version() == before
    profile = zed.staff_profile
    profile.bio = "New bio."
    profile.save()
    assert version() != before


def test_the_groups_may_view_add_and_change_profiles(db):
    for name in ["Reviewers", "Editors"]:
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"view_staffprofile", "add_staffprofile", "change_staffprofile"} <= codenames
        assert "delete_staffprofile" not in codenames


def test_the_demo_staff_have_a_public_profile(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo.ensure_demo_accounts()
    for username, wanted in demo.DEMO_PROFILES.items():
        profile = StaffProfile.objects.get(user__username=username)
        assert profile.display_name == wanted["display_name"] and profile.bio
        assert username not in profile.slug
    profile.bio = "Edited since."
    profile.save()
    demo.ensure_demo_accounts()  # run again: keeps what was edited
    assert StaffProfile.objects.get(pk=profile.pk).bio == "Edited since."
