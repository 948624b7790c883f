"""Case inbox at Land scale: 100,000 cases across all Thuringian authorities,
20,000 of them at the Stadtverwaltung Erfurt.

Measures the inbox page (/verwaltung/behoerden/<pk>/eingang/) through the
Django test client as a logged-in caseworker of Erfurt who belongs to a team
(team scoping included): the default view, a filter (status and service) and
page 50; p50/p95 and the queries per page; and the full-text search through
the same page (names, references, Aktenzeichen, answer words, prefixes).
Each is compared with the bare SQL query of the same page rows in the same
run (the search with the engine's bare full-text query: FTS5 MATCH on
SQLite, tsvector @@ tsquery on PostgreSQL). Targets (issue 14): inbox p95
<= 100 ms with <= 10 queries, search p95 <= 150 ms.

Runs on SQLite, then on a throw-away PostgreSQL database (127.0.0.1:5432, if
reachable) in a second process. `BENCH_POSTGRES=1` measures PostgreSQL only,
`BENCH_SQLITE_ONLY=1` SQLite only; `BENCH_CASES` changes the total.
"""

import os
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from _django import percentile, postgres_database, setup

if os.environ.get("BENCH_POSTGRES"):
    postgres_database()
workdir = setup()

from django.db import connection  # noqa: E402

if os.environ.get("BENCH_POSTGRES") and connection.vendor != "postgresql":
    sys.exit(0)  # no PostgreSQL server: postgres_database() said so
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from openamt.accounts.models import User  # noqa: E402
from openamt.cases.constants import OPEN_STATUSES, CaseStatus, Channel  # noqa: E402
from openamt.cases.models import Case, FilingPlanEntry, Team  # noqa: E402
from openamt.cases.search import _fts5_query, case_search_reindex  # noqa: E402
from openamt.catalogue.models import Service  # noqa: E402
from openamt.core.editions import DataFiles  # noqa: E402
from openamt.organisations.constants import AuthorityRoleName  # noqa: E402
from openamt.organisations.models import Authority, AuthorityRole  # noqa: E402
from openamt.testing.data import THURINGIA, load_register  # noqa: E402

TOTAL = int(os.environ.get("BENCH_CASES", "100000"))
BIG = TOTAL // 5  # Erfurt's share: 20,000 of 100,000
REQUESTS = 200  # per measured page
SERVICES = 40
PAGE = 25

FIRST = [
    "Anna",
    "Lena",
    "Paul",
    "Jonas",
    "Marie",
    "Sophie",
    "Lukas",
    "Felix",
    "Emma",
    "Mia",
    "Ben",
    "Finn",
    "Leon",
    "Lea",
    "Hannah",
    "Elias",
    "Noah",
    "Emil",
    "Clara",
    "Ida",
    "Jana",
    "Uwe",
    "Petra",
    "Jörg",
    "Sabine",
    "Frank",
    "Heike",
    "Andreas",
    "Kerstin",
    "Thomas",
    "Katrin",
    "Michael",
    "Susanne",
    "Stefan",
    "Claudia",
    "Matthias",
    "Birgit",
    "Ralf",
    "Anke",
    "Dirk",
    "Ines",
    "René",
    "Grit",
    "Maik",
    "Peggy",
]
LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Franke",
    "Albrecht",
    "Schuster",
    "Simon",
    "Ludwig",
    "Böhm",
    "Winter",
    "Kraus",
    "Martin",
    "Schumacher",
    "Krämer",
    "Vogt",
    "Stein",
    "Jäger",
    "Otto",
    "Sommer",
    "Groß",
    "Seidel",
    "Heinrich",
    "Brandt",
    "Haas",
    "Schreiber",
    "Graf",
    "Schulte",
    "Dietrich",
    "Ziegler",
    "Kuhn",
    "Kühn",
    "Pohl",
    "Engel",
    "Horn",
    "Busch",
    "Bergmann",
    "Thomas",
    "Voigt",
    "Sauer",
    "Arnold",
    "Wolff",
    "Pfeiffer",
    "Apel",
    "Töpfer",
]
STREETS = [
    "Anger",
    "Bahnhofstraße",
    "Marktstraße",
    "Gartenweg",
    "Lindenallee",
    "Schillerstraße",
    "Goethestraße",
    "Juri-Gagarin-Ring",
    "Krämpferstraße",
    "Löberstraße",
    "Hauptstraße",
    "Am",
    "Teich",
    "Bergstraße",
    "Weimarische",
]
WORDS = [
    "Bello",
    "Rex",
    "Luna",
    "Balu",
    "Hund",
    "Garage",
    "Carport",
    "Zufahrt",
    "Gewerbe",
    "Imbiss",
    "Friseur",
    "Wohnung",
    "Umzug",
    "Anbau",
    "Dachgeschoss",
    "Baum",
    "Fällung",
    "Parkplatz",
    "Anwohner",
    "Kennzeichen",
    "Ausweis",
    "Reisepass",
    "Geburt",
    "Eheschließung",
    "Wohngeld",
    "Kita",
    "Hort",
    "Schulweg",
    "Sondernutzung",
    "Baustelle",
    "Gerüst",
    "Container",
    "Fest",
]
# Share of cases per status (closed and disposed dominate an old file stock).
STATUS_WEIGHTS = {
    CaseStatus.NEW: 8,
    CaseStatus.IN_PROGRESS: 20,
    CaseStatus.WAITING_APPLICANT: 8,
    CaseStatus.WAITING_PARTIES: 4,
    CaseStatus.DECIDED: 10,
    CaseStatus.CLOSED: 47,
    CaseStatus.DISPOSED: 3,
}


def load() -> dict:
    start = time.perf_counter()
    load_register(DataFiles.configured(), land=THURINGIA)
    register_s = time.perf_counter() - start
    rng = random.Random(14)
    authorities = list(Authority.objects.order_by("pk").values_list("pk", "name"))
    erfurt = Authority.objects.get(name="Stadtverwaltung Erfurt")
    services = list(
        Service.objects.filter(in_leika=True)
        .order_by("-popularity", "pk")
        .values_list("pk", "name")[:SERVICES]
    )
    entry = FilingPlanEntry.objects.create(authority=erfurt, code="022.31", title="Ordnungsamt")
    teams = [
        Team.objects.create(authority=erfurt, name=name)
        for name in ("Bürgerservice", "Ordnungsamt", "Bauamt", "Soziales")
    ]
    staff = []
    for n in range(30):
        user = User.objects.create_user(
            username=f"erfurt.sb{n}", first_name=rng.choice(FIRST), last_name=rng.choice(LAST)
        )
        AuthorityRole.objects.create(user=user, authority=erfurt, role=AuthorityRoleName.CASEWORKER)
        staff.append(user)
    me = staff[0]
    teams[0].members.add(me)
    others = [pk for pk, _ in authorities if pk != erfurt.pk]
    # Erfurt holds BIG; the others share the rest, unevenly (big towns get more).
    weights = [rng.paretovariate(1.2) for _ in others]
    counts: dict[int, int] = {erfurt.pk: 0}
    owners = [erfurt.pk] * BIG + rng.choices(others, weights=weights, k=TOTAL - BIG)
    rng.shuffle(owners)
    statuses, status_weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    now = timezone.now()
    today = timezone.localdate()
    insert_start = time.perf_counter()
    batch: list[Case] = []
    for owner in owners:
        counts[owner] = counts.get(owner, 0) + 1
        received = now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
        reference = f"{received.year}-{counts[owner]:06d}"
        big = owner == erfurt.pk
        file_number = f"{entry.code}-{reference}" if big and rng.random() < 0.6 else reference
        service_pk, service_name = rng.choice(services)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        status = rng.choices(statuses, weights=status_weights)[0]
        due = received.date() + timedelta(days=rng.randint(14, 90))
        answers = " ".join(rng.choices(WORDS, k=8))
        street = f"{rng.choice(STREETS)} {rng.randint(1, 120)}"
        document = (
            f"{reference} {file_number} {name} {service_name} {street} "
            f"{rng.randint(99084, 99099)} Erfurt {answers} "
            f"geboren am {rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(1940, 2005)}"
        )
        batch.append(
            Case(
                authority_id=owner,
                reference=reference,
                file_number=file_number,
                service_id=service_pk,
                filing_plan_entry_id=entry.pk if file_number != reference else None,
                channel=Channel.ONLINE,
                applicant_name=name,
                applicant_address={"street": street, "postcode": "99084", "city": "Erfurt"},
                status=status,
                assignee=(rng.choice(staff) if big and rng.random() < 0.75 else None),
                team=(rng.choice(teams) if big and rng.random() < 0.6 else None),
                priority=rng.choices([1, 2, 3], weights=[1, 8, 1])[0],
                received_at=received,
                due_on=due,
                warn_on=due - timedelta(days=5),
                resubmission_on=(
                    today + timedelta(days=rng.randint(-20, 40)) if rng.random() < 0.15 else None
                ),
                search_document=document,
            )
        )
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)
    insert_s = time.perf_counter() - insert_start
    index_start = time.perf_counter()
    case_search_reindex()
    with connection.cursor() as cursor:
        # As autovacuum does after a load: statistics, and the visibility map
        # that lets counts read the index alone.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    index_s = time.perf_counter() - index_start
    return {
        "erfurt": erfurt,
        "me": me,
        "teams": teams,
        "services": services,
        "rng": rng,
        "register_s": register_s,
        "insert_s": insert_s,
        "index_s": index_s,
        "authorities": len(authorities),
    }


data = load()
erfurt, me, rng = data["erfurt"], data["me"], data["rng"]
my_teams = [team.pk for team in data["teams"] if team.members.filter(pk=me.pk).exists()]
visible = Case.objects.filter(authority=erfurt).filter(team__isnull=True) | Case.objects.filter(
    authority=erfurt, team_id__in=my_teams
)
visible_count = visible.count()
open_visible = visible.filter(status__in=OPEN_STATUSES).count()
client = Client()
client.force_login(me)
inbox = f"/verwaltung/behoerden/{erfurt.pk}/eingang/"
common_service = (
    Case.objects.filter(authority=erfurt)
    .values_list("service_id", flat=True)
    .order_by("service_id")
    .first()
)

COLUMNS = (
    "SELECT c.public_id, c.reference, c.file_number, c.applicant_name, c.status, c.priority, "
    "c.received_at, c.due_on, c.warn_on, c.resubmission_on, s.name, u.username, u.first_name, "
    "u.last_name, t.name FROM cases_case c JOIN catalogue_service s ON s.id = c.service_id "
    "LEFT JOIN accounts_user u ON u.id = c.assignee_id LEFT JOIN cases_team t ON t.id = c.team_id "
)
SCOPE = "WHERE c.authority_id = %s AND (c.team_id IS NULL OR c.team_id IN ({teams})) ".format(
    teams=", ".join(str(pk) for pk in my_teams) or "NULL"
)
OPEN_SQL = "AND c.status IN ({}) ".format(", ".join(f"'{s}'" for s in sorted(OPEN_STATUSES)))
ORDER = "ORDER BY c.received_at DESC, c.id DESC LIMIT 25 OFFSET %s"


def bare(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()


def page(params: dict) -> None:
    response = client.get(inbox, params)
    assert response.status_code == 200, response.status_code


def timed(fn, args_list: list) -> list[float]:
    for args in args_list[:20]:
        fn(*args)
    samples = []
    for args in args_list:
        started = time.perf_counter()
        fn(*args)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def queries_of(params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        page(params)
    return len(captured)


views = {
    "default view (open cases, newest first)": (
        {},
        COLUMNS + SCOPE + OPEN_SQL + ORDER,
        [erfurt.pk, 0],
    ),
    "filter (status in Bearbeitung + service)": (
        {"status": CaseStatus.IN_PROGRESS, "leistung": common_service},
        COLUMNS + SCOPE + "AND c.status = %s AND c.service_id = %s " + ORDER,
        [erfurt.pk, CaseStatus.IN_PROGRESS, common_service, 0],
    ),
    "page 50 of the default view": (
        {"seite": 50},
        COLUMNS + SCOPE + OPEN_SQL + ORDER,
        [erfurt.pk, 49 * PAGE],
    ),
}

# Search: what caseworkers type. References and Aktenzeichen of real cases.
samples = list(
    Case.objects.filter(authority=erfurt, team__isnull=True)
    .order_by("?")
    .values_list("reference", "file_number", "applicant_name")[:20]
)
queries = []
for reference, file_number, name in samples:
    queries += [reference, file_number, name, name.split()[-1]]
queries += ["Müller", "Schm", "Bello", "Garage Carport", "Wohngeld", "Juri-Gagarin-Ring", "Töpfer"]
queries = (queries * (REQUESTS // len(queries) + 1))[:REQUESTS]
rng.shuffle(queries)


def bare_search(q: str) -> None:
    """The engine's bare full-text query for the page of the same rows."""
    if connection.vendor == "postgresql":
        parts, params = [], []
        for term in q.split():
            words = [w for w in term.replace("-", " ").replace(".", " ").split() if w]
            if len(words) == 1:
                parts.append("to_tsquery('german', %s)")
                params.append(f"{words[0].lower()}:*")
            else:
                parts.append("phraseto_tsquery('german', %s)")
                params.append(term)
        sql = COLUMNS + SCOPE + "AND c.search_vector @@ (" + " && ".join(parts) + ") " + ORDER
        bare(sql, [erfurt.pk, *params, 0])
    else:
        match = _fts5_query(erfurt.pk, q.split())
        sql = (
            COLUMNS  # noqa: S608 - fixed SQL of this benchmark, the query is a parameter
            + SCOPE
            + "AND c.id IN (SELECT rowid FROM cases_case_fts WHERE cases_case_fts MATCH %s) "
            + ORDER
        )
        bare(sql, [erfurt.pk, match, 0])


results = {}
for label, (params, sql, sql_params) in views.items():
    ours = timed(page, [(params,)] * REQUESTS)
    raw = timed(bare, [(sql, sql_params)] * REQUESTS)
    results[label] = (ours, raw, queries_of(params))
# The floor on this machine: a staff page of the same site with the same login
# and middleware that reads nearly nothing (the authority's empty Postausgang).
outbox = f"/verwaltung/behoerden/{erfurt.pk}/postausgang/"
floor = timed(lambda: client.get(outbox), [()] * REQUESTS)
search_ours = timed(page, [({"q": q, "status": "alle"},) for q in queries])
search_raw = timed(bare_search, [(q,) for q in queries])
search_queries = max(queries_of({"q": q, "status": "alle"}) for q in set(queries[:20]))

sizes = ""
if connection.vendor == "sqlite":
    database = Path(connection.settings_dict["NAME"])
    sizes = f"; database file {database.stat().st_size / 1e6:.0f} MB"
else:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('cases_case'), pg_relation_size('cases_case_fts')"
        )
        total, fts = cursor.fetchone()
    sizes = f"; cases_case with indexes {total / 1e6:.0f} MB (full-text index {fts / 1e6:.0f} MB)"
print(f"database: {connection.vendor}")
print(
    f"data: {Case.objects.count():,} cases across {data['authorities']} authorities; "
    f"Erfurt {Case.objects.filter(authority=erfurt).count():,}, of which the caseworker's "
    f"teams see {visible_count:,} ({open_visible:,} open){sizes}"
)
print(
    f"loaded: register {data['register_s']:.0f} s, cases bulk insert {data['insert_s']:.1f} s, "
    f"full-text index {data['index_s']:.1f} s"
)
print(f"{REQUESTS} requests per page, Django test client, logged-in caseworker of Erfurt in a team")
for label, (ours, raw, count) in results.items():
    p95, raw95 = percentile(ours, 95), percentile(raw, 95)
    print(
        f"inbox {label:<42} p50 {percentile(ours, 50):6.2f} ms  p95 {p95:6.2f} ms  "
        f"queries {count:2d}   bare page SQL p95 {raw95:5.2f} ms  ratio {p95 / raw95:5.1f}x"
    )
p95, raw95 = percentile(search_ours, 95), percentile(search_raw, 95)
print(
    f"search ({len(set(queries))} distinct queries: names, references, Aktenzeichen, answer words)"
    f"  p50 {percentile(search_ours, 50):6.2f} ms  p95 {p95:6.2f} ms  queries {search_queries:2d}"
    f"   bare full-text SQL p95 {raw95:5.2f} ms  ratio {p95 / raw95:5.1f}x"
)
print(
    f"floor: an empty staff list page (Postausgang) p50 {percentile(floor, 50):6.2f} ms  "
    f"p95 {percentile(floor, 95):6.2f} ms; load average {os.getloadavg()[0]:.1f} on "
    f"{os.cpu_count()} cores"
)
print("targets: inbox p95 <= 100 ms with <= 10 queries; search p95 <= 150 ms")
sys.stdout.flush()

if not os.environ.get("BENCH_POSTGRES") and not os.environ.get("BENCH_SQLITE_ONLY"):
    # The same on PostgreSQL, in a process of its own (Django's database is set at start).
    subprocess.run(  # noqa: S603 - this script, fixed arguments
        [sys.executable, __file__],
        env={**os.environ, "BENCH_POSTGRES": "1"},
        check=True,
    )
