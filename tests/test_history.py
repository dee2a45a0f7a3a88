"""Every change on file: each write path leaves history rows (django-simple-history) with who,
when, what and why; nothing writes editorial rows around it."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from claimtrack.claims.demo import SEED_FIXTURES
from claimtrack.claims.models import (
    Article,
    Citation,
    Claim,
    ClaimGroup,
    Evidence,
    Flag,
    ReasonTag,
)

from .conftest import form_data, tag

EDITORIAL = [Article, Citation, Claim, ClaimGroup, Evidence, Flag, ReasonTag]


def history_counts():
    return {model.__name__: model.history.count() for model in EDITORIAL}


def added(before):
    after = history_counts()
    return {name: after[name] - before[name] for name in after if after[name] != before[name]}


def latest(obj):
    return type(obj).history.filter(id=obj.pk).order_by("-history_id").first()


@pytest.mark.parametrize("model", EDITORIAL)
def test_bulk_writes_that_would_skip_the_history_are_refused(db, model):
    with pytest.raises(TypeError, match="history"):
        model.objects.all().update(pk=1)
    with pytest.raises(TypeError, match="history"):
        model.objects.bulk_update([], ["pk"])
    with pytest.raises(TypeError, match="history"):
        model.objects.bulk_create([])


def test_related_managers_refuse_bulk_writes_too(claim):
    with pytest.raises(TypeError):
        claim.article.claims.update(topic="safety")


def test_the_rules_record_who_and_why(editor, reviewer, reviewed_claim, citation):
    before = history_counts()
    reviewed_claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Mice only.", note="Too strong."
    )
    evidence = reviewed_claim.add_evidence(
        by=editor, citation=citation, stance="qualifies", note="n=73", why="Source."
    )
    evidence.note = "n=73 RCT"
    reviewed_claim.revise_evidence(evidence, by=editor, why="Precise.")
    reviewed_claim.remove_evidence(evidence, by=editor, why="Not about BDNF.")
    flag = Flag.objects.raise_flag(claim=reviewed_claim, by=reviewer, reason=tag("outdated"))
    flag.dismiss(by=editor, note="Still current.")
    reviewed_claim.withdraw(by=editor, note="Duplicate of another claim.")
    # The claim's rows: the verdict, the withdrawal, and each change of its evidence, which
    # makes its review due (make_due, saying which change).
    assert added(before) == {"Claim": 5, "Evidence": 3, "Flag": 2}
    assert reviewed_claim.history.filter(due_reason__contains="evidence was revised").count() == 3
    verdict = reviewed_claim.history.order_by("history_id")[1]
    assert (verdict.history_user, verdict.history_change_reason, verdict.status) == (
        editor,
        "Too strong.",
        "overstated",
    )
    removal = Evidence.history.order_by("-history_id").first()
    assert (removal.history_type, removal.history_user, removal.history_change_reason) == (
        "-",
        editor,
        "Not about BDNF.",
    )
    assert latest(flag).history_user == editor


@pytest.mark.parametrize("model", ["article", "citation", "claimgroup", "reasontag", "claim"])
def test_admin_saves_record_the_editor_and_an_unchanged_form_records_nothing(
    client, editor, reviewed_claim, citation, model
):
    record = {
        "article": reviewed_claim.article,
        "citation": citation,
        "claimgroup": ClaimGroup.objects.create(slug="bdnf", name="BDNF"),
        "reasontag": ReasonTag.objects.get(slug="outdated"),
        "claim": reviewed_claim,
    }[model]
    url = reverse(f"admin:claims_{model}_change", args=[record.pk])
    client.force_login(editor)
    data = form_data(client.get(url), f"{model}_form")
    before = history_counts()
    assert client.post(url, data).status_code == 302
    assert added(before) == {}  # saved unchanged: nothing written
    field = {"article": "title", "citation": "title", "claim": "statement"}.get(model, "name")
    data[field] = data[field] + " (edited)"
    assert client.post(url, data).status_code == 302
    assert sum(added(before).values()) == 1
    assert latest(record).history_user == editor
    assert getattr(latest(record), field).endswith("(edited)")


def test_the_admin_history_page_shows_each_change_as_a_diff(client, editor, article):
    url = reverse("admin:claims_article_change", args=[article.pk])
    client.force_login(editor)
    data = form_data(client.get(url), "article_form")
    data["title"] = "Ketamine news, corrected"
    client.post(url, data)
    page = client.get(reverse("admin:claims_article_history", args=[article.pk])).content.decode()
    assert "Ketamine news" in page and "Ketamine news, corrected" in page
    assert "&rarr;" in page or "→" in page


def test_fixture_loading_is_recorded_by_the_system_with_the_fixtures_dates_and_only_once(db):
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    claim = Claim.objects.get_by_natural_key(
        "ketamine-psychedelic-substance", "traditionally-used-as-anesthetic"
    )
    record = claim.history.earliest("history_id")
    assert record.history_user is None
    assert record.history_change_reason.startswith("Loaded from fixture article_0")
    assert record.history_date == datetime.datetime(2026, 11, 22, 9, tzinfo=datetime.UTC)
    assert claim.changes.count() == 0  # a seed load is not a public correction
    before = history_counts()
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    assert added(before) == {}


def test_a_fixture_that_overwrites_an_editors_verdict_keeps_it_in_the_history(db, editor, tmp_path):
    call_command("loaddata", *SEED_FIXTURES[:3], verbosity=0)
    claim = Claim.objects.get_by_natural_key(
        "ketamine-psychedelic-substance", "traditionally-used-as-anesthetic"
    )
    claim.change_verdict(
        by=editor, status="unverifiable", certainty="", rationale="Editor's view.", note="Why."
    )
    call_command("loaddata", SEED_FIXTURES[2], verbosity=0)
    claim.refresh_from_db()
    assert claim.status == "supported"
    assert claim.history.filter(rationale="Editor's view.", history_user=editor).exists()


def test_setup_demo_records_its_flags_by_the_demo_reviewer(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("setup_demo", verbosity=0)
    record = Flag.history.order_by("history_id").first()
    assert record.history_user.username == "demo-reviewer"


def test_admin_inlines_and_actions_record_the_editor(client, editor, reviewed_claim, citation):
    url = reverse("admin:claims_claim_change", args=[reviewed_claim.pk])
    client.force_login(editor)
    data = form_data(client.get(url), "claim_form")
    data.update(
        {
            # evidence-0 is its autry2011 link; evidence-1 the blank row for a new one.
            "evidence-1-citation": str(citation.pk),
            "evidence-1-stance": "qualifies",
            "evidence-1-note": "n=73 RCT; 24 h only.",
            "change_note": "Adds the trial.",
        }
    )
    before = history_counts()
    assert client.post(url, data).status_code == 302
    assert added(before) == {"Evidence": 1, "Claim": 1}  # the claim made due for review
    assert reviewed_claim.evidence.count() == 2
    assert latest(reviewed_claim.evidence.get(citation=citation)).history_user == editor

    before = history_counts()
    version = Claim.objects.get(pk=reviewed_claim.pk).version
    client.post(
        reverse("admin:claims_claim_changelist"),
        {
            "action": "set_verdict",
            "_selected_action": [reviewed_claim.pk],
            f"seen_version_{reviewed_claim.pk}": str(version),
            "apply": "1",
            "status": "overstated",
            "certainty": "",
            "rationale": "Mice only.",
            "note": "Bulk review.",
        },
    )
    assert added(before) == {"Claim": 1}
    record = latest(reviewed_claim)
    assert (record.status, record.history_user, record.history_change_reason) == (
        "overstated",
        editor,
        "Bulk review.",
    )
