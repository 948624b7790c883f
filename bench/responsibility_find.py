"""Zuständigkeitsfinder at German scale.

Data: all 10,953 municipalities, an authority for every Gemeindeverband and
Kreis of every Land (synthetic beyond Thuringia), the LeiKa catalogue, the 41
Thuringian rules plus synthetic rules up to 500 services. Measures
`responsibility_find` in-process against the bare indexed SQL lookup of the
same answer, and HTTP throughput of /api/v1/responsibilities/find with 2
gunicorn workers under wrk on loopback. Free-text service search has its own
benchmark (service_search.py).
"""

import os
import random
import re
import shutil
import sys
import time
from pathlib import Path

from _django import percentile, served, setup

workdir = setup()

from django.db import connection  # noqa: E402

from openamt.catalogue.models import Service  # noqa: E402
from openamt.conf.keys import write_new_key  # noqa: E402
from openamt.core.editions import DataFiles  # noqa: E402
from openamt.organisations.models import Authority  # noqa: E402
from openamt.organisations.services import authorities_sync_from_register  # noqa: E402
from openamt.regions.models import Region  # noqa: E402
from openamt.responsibility.models import ResponsibilityRule  # noqa: E402
from openamt.responsibility.selectors import responsibility_find  # noqa: E402
from openamt.testing.data import load_register  # noqa: E402

files = DataFiles.configured()
start = time.perf_counter()
load_register(files)
for land in Region.objects.active().filter(level="land").values_list("ars", flat=True):
    authorities_sync_from_register(land=land)
rng = random.Random(7)
ruled = set(ResponsibilityRule.objects.values_list("service_id", flat=True))
extra = [s for s in Service.objects.filter(in_leika=True).order_by("pk") if s.pk not in ruled]
ResponsibilityRule.objects.bulk_create(
    ResponsibilityRule(service=s, level=rng.choice(["gemeinde", "kreis"]), reason="synthetisch")
    for s in rng.sample(extra, 500 - len(ruled))
)
print(
    f"data: {Region.objects.filter(level='gemeinde').count()} Gemeinden, "
    f"{Authority.objects.count()} authorities, {Service.objects.count()} services, "
    f"{ResponsibilityRule.objects.count()} rules (loaded in {time.perf_counter() - start:.0f} s, {connection.vendor})"
)

gemeinden = list(Region.objects.active().filter(level="gemeinde").exclude(kind__in=["65", "66"]))
rules = list(ResponsibilityRule.objects.select_related("service"))
pairs = [(rng.choice(rules), rng.choice(gemeinden)) for _ in range(2000)]

BARE_SQL = """
SELECT a.id, a.name FROM organisations_authority a
JOIN regions_region r ON r.id = a.register_region_id
WHERE r.ars = %s AND r.valid_until IS NULL
"""


def bare(rule: ResponsibilityRule, gemeinde: Region) -> None:
    key = gemeinde.ars[:9] if rule.level == "gemeinde" else gemeinde.ars[:5]
    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL, [key])
        cursor.fetchall()


def ours(rule: ResponsibilityRule, gemeinde: Region) -> None:
    responsibility_find(service=rule.service, region=gemeinde)


def measure(fn) -> list[float]:
    for pair in pairs[:100]:
        fn(*pair)
    samples = []
    for pair in pairs:
        t = time.perf_counter()
        fn(*pair)
        samples.append((time.perf_counter() - t) * 1000)
    return samples


base, find = measure(bare), measure(ours)
print(
    f"bare indexed SQL      p50 {percentile(base, 50):6.2f} ms  p95 {percentile(base, 95):6.2f} ms"
)
p95 = percentile(find, 95)
print(
    f"responsibility_find   p50 {percentile(find, 50):6.2f} ms  p95 {p95:6.2f} ms  "
    f"target <= 20 ms: {'OK' if p95 <= 20 else 'MISSED'}  ratio p95 {p95 / percentile(base, 95):.1f}x"
)

# HTTP: gunicorn with 2 workers on this database, wrk on loopback.
connection.close()
if shutil.which("wrk") is None:
    print("HTTP throughput: wrk not installed (apt-get install wrk)")
    sys.exit(0)
env = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "openamt.conf.production",
    "SECRET_KEY": "bench",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "REDIS_URL": "",
    "OPENAMT_SIGNING_KEY_FILE": str(workdir / "key.json"),
    "OPENAMT_OIDC_KEY_DIR": str(workdir / "oidc-keys"),
}
write_new_key(workdir / "oidc-keys")


def throughput(cache_seconds: str) -> str:
    script = Path(workdir) / "find.lua"
    targets = [(r.service.leika_key, g.ags) for r, g in pairs[:200]]
    script.write_text(
        "local paths = {"
        + ",".join(f'"/api/v1/responsibilities/find?service={k}&place={a}"' for k, a in targets)
        + "}\n"
        "local i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
    )
    out = served(
        {**env, "OPENAMT_ANSWER_CACHE_SECONDS": cache_seconds},
        8791,
        script,
        seconds=10,
        connections=16,
    )
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = re.search(r"Latency\s+(\S+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return f"{rate:.0f} req/s, mean latency {latency}, non-2xx {errors.group(1) if errors else 0}"


print(
    "HTTP /api/v1/responsibilities/find, 2 gunicorn workers, wrk 2 threads/16 connections/10 s, 200 distinct questions:"
)
print(f"  without answer cache: {throughput('0')}")
print(f"  with 60 s answer cache (per-process, target >= 300 req/s): {throughput('60')}")
