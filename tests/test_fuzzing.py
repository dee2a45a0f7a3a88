"""Hostile input, generated: every public parameter, the flag form and the admin's searches get
any Unicode, NULs, 100 KB strings, numbers of any size, repeated keys and Django `__` lookups.
Nothing may answer 5xx. Hypothesis draws FUZZ_EXAMPLES requests per target (default 700, so
more than 10,000 in all across the targets below), without a database of past examples, so a
run is bounded and repeatable in time; FUZZ_EXAMPLES=5000 digs deeper outside CI. CI draws the
10,000 on SQLite and 200 per target on PostgreSQL (.ci/run): the two run at once on two cores.
"""

import os
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.claims.models import Claim, Flag
from tests.conftest import make_claim, make_user, tag

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 700)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
COUNTED = []  # (target, requests): the total is checked at the end

# The parameters each page reads, and the names a hostile client tries besides.
CLAIM_FILTERS = ["q", "status", "topic", "certainty", "article", "tag", "flagged", "ordering"]
PAGES = ["page", "after", "before"]
TARGETS = {
    "/": [],
    "/claims/": CLAIM_FILTERS + PAGES,
    "/claims/export.csv": CLAIM_FILTERS,
    "/claims/export.json": CLAIM_FILTERS,
    "/claims/feed/": [],
    "/articles/": ["q", "sort"] + PAGES,
    "/articles/suggest.json": ["q"],
    "/changes/": ["kind", "article", "since", "until"] + PAGES,
    "/sources/": ["q", "journal", "year", "kind", "sort"] + PAGES,
    "/how-we-rate/": [],
}
LOOKUPS = ["__in", "__regex", "__gt", "__isnull", "__startswith", "__text", "__pk", "__year"]

huge = st.sampled_from(["x" * 100_000, "é" * 50_000, "%" * 20_000, "0" * 10_000])
numbers = st.integers(min_value=-(10**30), max_value=10**30).map(str)
any_text = st.text(max_size=300)  # any Unicode, NULs and lone surrogates' neighbours included
hostile = st.sampled_from(
    [
        "\x00",
        "a\x00b",
        "'; DROP TABLE claims_claim; --",
        "<script>alert(1)</script>",
        "../../etc/passwd",
        "10.1234/\x00",
        "PMID \x00",
        "-1",
        "1e309",
        "NaN",
        "2024-02-30",
        "9999-12-31",
        "0000-00-00",
        "true",
        "null",
        "[]",
        "{}",
        "%00",
        "\u202e",
        "\ufeff",
        "\U0001f9ea" * 100,
    ]
)
values = st.one_of(any_text, numbers, hostile, huge)


def names_for(known):
    lookups = st.builds(
        lambda name, lookup: name + lookup,
        st.sampled_from(known or ["pk"]),
        st.sampled_from(LOOKUPS),
    )
    return st.one_of(st.sampled_from(known or ["q"]), lookups, any_text.filter(bool))


def query(known):
    """A query string: up to 6 pairs, names repeated as they come (repeated keys)."""
    return st.lists(st.tuples(names_for(known), values), max_size=6).map(urlencode)


HOSTILE_VALUES = [*hostile.elements, "0" * 10_000, "9" * 5_000, "x" * 100_000]


@pytest.mark.parametrize("path", TARGETS)
def test_every_parameter_takes_every_hostile_value(client, seeded, path):
    """The values known to break parsers, each in each parameter: what random draws may miss."""
    for name in TARGETS[path] or ["q"]:
        for value in HOSTILE_VALUES:
            response = client.get(f"{path}?{urlencode({name: value})}")
            assert response.status_code < 500, (path, name, value[:40])


@pytest.fixture
def fuzz_site(evidenced_claim, reviewer):
    """A small site with a row of every kind the pages list: a published claim with evidence, a
    reason tag, a corrected verdict and an open flag; a draft; an unreviewed claim. The seeds
    would have each of 10,000 requests render 25 claim cards: the parsing under test is the same,
    and the hostile values above run against the seeds."""
    article = evidenced_claim.article
    evidenced_claim.change_verdict(
        by=make_user("fuzzy-editor-0", "Editors", is_staff=True),
        status="overstated",
        certainty="low",
        rationale="Mice only.",
        note="Re-read the study.",
    )
    make_claim(article, status="overstated", rationale="One small trial.", published_at=None)
    make_claim(
        article,
        slug="relieves",
        quote="Ketamine can relieve depression",
        statement="Ketamine relieves depression.",
    )
    Flag.objects.raise_flag(claim=evidenced_claim, by=reviewer, reason=tag("overstates-impact"))
    return Claim.objects.count()


@pytest.mark.parametrize("path", TARGETS)
def test_no_public_parameter_makes_a_5xx(client, fuzz_site, path):
    requests = []

    @FUZZ
    @given(query=query(TARGETS[path]))
    def one(query):
        response = client.get(f"{path}?{query}")
        requests.append(query)
        assert response.status_code < 500, (path, query, response.status_code)

    one()
    COUNTED.append((path, len(requests)))
    assert len(requests) >= min(EXAMPLES, 100)


flag_fields = st.fixed_dictionaries(
    {},
    optional={
        "reason": st.one_of(st.sampled_from(["overstates-impact", "no-evidence"]), values),
        "comment": values,
        "csrfmiddlewaretoken": values,
    },
)


def test_no_flag_form_input_makes_a_5xx(client, fuzz_site):
    reviewer = make_user("fuzzy-reviewer", "Reviewers", is_staff=True)
    client.force_login(reviewer)
    claim = Claim.objects.published().select_related("article").first()
    url = f"{claim.get_absolute_url()}flag/"
    requests = []

    @FUZZ
    @given(data=flag_fields)
    def one(data):
        response = client.post(url, data)
        requests.append(data)
        assert response.status_code < 500, (data, response.status_code)

    one()
    COUNTED.append(("flag form", len(requests)))


ADMIN_SEARCHES = [
    "/admin/claims/claim/",
    "/admin/claims/article/",
    "/admin/claims/citation/",
    "/admin/claims/flag/",
]


@pytest.mark.parametrize("path", ADMIN_SEARCHES)
def test_no_admin_search_makes_a_5xx(client, fuzz_site, path):
    editor = make_user("fuzzy-editor", "Editors", is_staff=True)
    client.force_login(editor)
    requests = []

    @FUZZ
    @given(query=query(["q", "o", "p", "all", "status", "state", "priority"]))
    def one(query):
        response = client.get(f"{path}?{query}")
        requests.append(query)
        assert response.status_code < 500, (path, query, response.status_code)

    one()
    COUNTED.append((path, len(requests)))


def test_more_than_ten_thousand_requests_were_generated_in_all():
    """Runs last in this file (pytest keeps the file's order): the sum over the targets."""
    if len(COUNTED) < len(TARGETS) + 1 + len(ADMIN_SEARCHES):
        pytest.skip("run with the whole file to count")
    total = sum(count for _, count in COUNTED)
    print(f"\n{total} generated requests over {len(COUNTED)} targets, none 5xx")
    if EXAMPLES >= 700:
        assert total >= 10_000
