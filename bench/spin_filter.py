"""How long the admin's "Spin hint" filter takes on a big database, rule by rule.

Run against a database filled by make_bench_data (it reads, never writes):

    DATABASE_URL=postgres://.../bench .venv/bin/python manage.py make_bench_data --claims 100000
    DATABASE_URL=postgres://.../bench .venv/bin/python bench/spin_filter.py

For each rule it prints how many claims the database's stems and evidence conditions leave
as candidates (spin.claims_with_hint reads at most CANDIDATE_LIMIT of them), how many of
those get a hint, and the time (median of three runs) of the claim changelist filtered by the
rule, the admin's own view rendering its first page, as a superuser.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtrack.settings")

import django  # noqa: E402

django.setup()

from django.contrib import admin  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from claimtrack.claims.models import Claim  # noqa: E402
from claimtrack.watch import spin  # noqa: E402


def changelist_seconds(params):
    request = RequestFactory().get("/admin/claims/claim/", params)
    request.user = User(username="bench", is_staff=True, is_superuser=True, is_active=True)
    view = admin.site._registry[Claim].changelist_view
    times = []
    for _ in range(3):
        start = time.perf_counter()
        response = view(request)
        response.render()
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return statistics.median(times), len(response.context_data["cl"].result_list)


def main():
    claims = Claim.objects.all()
    total = claims.count()
    print(f"{total} claims; candidate limit {spin.CANDIDATE_LIMIT}")
    seconds, _ = changelist_seconds({})
    print(f"{'(no spin filter)':28} {'':>10} {'':>8} {seconds * 1000:8.0f} ms")
    print(f"{'rule':28} {'candidates':>10} {'hinted':>8} {'list':>8}")
    for rule in spin.RULES:
        candidates = claims.filter(spin.MentionsAny(spin.spin_text(), rule.stems))
        if rule.narrow is not None:
            candidates = rule.narrow(candidates)
        hinted, complete = spin.claims_with_hint(claims, rule)
        hinted = f"{len(hinted)}{'' if complete else '+'}"
        seconds, _ = changelist_seconds({"spin": rule.id})
        print(f"{rule.id:28} {candidates.count():>10} {hinted:>8} {seconds * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
