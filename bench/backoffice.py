"""Back-office at scale: seed N tips (default 1,000,000) into their own PostgreSQL database with
COPY, then print the server time of the pages investigators use most.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tao_bench_bo \\
        .venv/bin/python bench/backoffice.py

Seeding happens once (a second run reuses the rows). Times are measured in-process through
Django's test client (full middleware, templates and queries; no network), best and median of
five runs after one warm-up, plus the median time of the page's queries ("db ms"). Prints
figures; it never passes or fails. BENCH_VERBOSE=1 also prints each page's three slowest queries.
"""

import importlib
import io
import os
import random
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tao_bench_bo")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traceobject.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("RECEIPT_KEY", "bench-only-receipt-key-not-for-production-0123456789")
os.environ.setdefault("TIP_ENCRYPTION_KEYS", "kHvqPqyXhIX8qIh0oKoZ0nJk3cQq5cQ4tB1o6H0ExKU=")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_HTTPS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("VAR_DIR", "var/bench")

N = int(os.environ.get("BENCH_TIPS", "1000000"))
OBJECTS = 30

CITIES = [
    "Lyon",
    "Utrecht",
    "Madrid",
    "Lisbon",
    "Warsaw",
    "Krakow",
    "Porto",
    "Ghent",
    "Vienna",
    "Graz",
    "Turin",
    "Naples",
    "Seville",
    "Malaga",
    "Bremen",
    "Leipzig",
    "Tallinn",
    "Riga",
    "Vilnius",
    "Oslo",
    "Bergen",
    "Aarhus",
    "Malmo",
    "Turku",
    "Cork",
    "Galway",
    "Brno",
    "Ostrava",
    "Kosice",
    "Split",
    "Zagreb",
    "Ljubljana",
    "Debrecen",
    "Cluj",
    "Varna",
    "Plovdiv",
    "Thessaloniki",
    "Patras",
    "Limassol",
    "Valletta",
] + [f"Town{i}" for i in range(60)]
SHOPS = [
    "Primark",
    "Hema",
    "Zara",
    "Lidl",
    "Aldi",
    "Ikea",
    "Action",
    "Tesco",
    "Carrefour",
    "Pepco",
    "Kik",
    "Tedi",
    "Biedronka",
    "Mercadona",
    "Coop",
    "Spar",
    "Rossmann",
    "dm",
]
THINGS = ["bag", "lamp", "mug", "shirt", "blanket", "bottle", "toy", "curtain", "pillow", "box"]
COUNTRIES = [
    "FR",
    "NL",
    "ES",
    "PT",
    "PL",
    "BE",
    "AT",
    "IT",
    "DE",
    "EE",
    "LV",
    "LT",
    "NO",
    "DK",
    "SE",
    "FI",
    "IE",
    "CZ",
    "SK",
    "HR",
    "SI",
    "HU",
    "RO",
    "BG",
    "GR",
    "CY",
    "MT",
]
TEMPLATES = [
    "I have seen this {thing} at {shop} in {city}, near the station.",
    "This {thing} is sold by {shop}. My sister bought one in {city} last year.",
    "Looks like the {thing} from the {shop} catalogue, I saw it in {city}.",
    "We had the same {thing} at home, bought at a market in {city}.",
    "{shop} sells this exact {thing}, at least the one in {city} did in 2019.",
]
# Realistic repeated leads: each object has a few shops most of its tips name (a flood says
# the same few things), in several languages, with typos and inflections, and some off-topic or
# vague tips. The proposed lead of each tip is computed by the real functions (tips.matching,
# tips.language) as the seed writes it, once per distinct text.
LEAD_TEMPLATES = [
    ("en", "I have seen this {thing} at {shop} in {city}, near the station."),
    ("en", "{shop}"),
    ("en", "This is from {shop}, they sell it everywhere."),
    ("de", "Das gibt es bei {shop} in {city}, ganz sicher."),
    ("fr", "Je l'ai vu chez {shop} à {city}."),
    ("es", "Lo vi en {shop} de {city}."),
    ("nl", "Gezien bij de {shop} in {city} vorig jaar."),
    ("pl", "Widziałam to w {shop} w {city}."),
    ("pt", "Vi isto no {shop} em {city}."),
    ("it", "L'ho comprato da {shop} a {city}."),
]
VAGUE = [
    "My grandmother has the same one at home.",
    "I have one like it!",
    "No idea, sorry.",
    "buy cheap watches at example dot com",
    "It looks like a normal {thing}.",
]
STATUSES = (
    ["new"] * 30
    + ["in_review"] * 10
    + ["useful"] * 5
    + ["not_useful"] * 25
    + ["duplicate"] * 15
    + ["spam"] * 10
    + ["forwarded"] * 3
    + ["closed"] * 2
)


def ensure_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


class _Proposals:
    """Each distinct text's detected language and proposed lead, as tips.services.proposing
    would store them, computed once; an object's known leads grow as tips are written."""

    def __init__(self):
        self.known: dict[int, dict[str, int]] = {}
        self.done: dict[tuple, tuple] = {}

    def get(self, obj_id: int, body: str, place: str) -> tuple[str, str, str, str]:
        import json

        from tips import matching
        from tips.language import detect_language

        known = self.known.setdefault(obj_id, {})
        key = (obj_id, body, place)
        if key not in self.done:
            language = detect_language(body)
            found = matching.tip_names(place=place, body=body, language=language)
            assignment = matching.assign(found, known)
            terms = {
                "names": found.keys,
                "common": sorted(found.common)[:30],
                "several": assignment.several,
            }
            self.done[key] = (
                language,
                assignment.key,
                assignment.label[:80],
                json.dumps(terms).replace("\\", "\\\\"),
            )
        proposed = self.done[key]
        if proposed[1]:
            known[proposed[1]] = known.get(proposed[1], 0) + 1
        return proposed


def seed(n: int) -> None:
    from django.db import connection

    from objects import services as object_services
    from objects.models import Category, TraceObject
    from tips.models import Tip

    have = Tip.objects.count()
    if have and not Tip.objects.exclude(lead_key="").exists():
        print("seed: tips without proposed leads (an older seed): starting again")
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE tips_tip CASCADE")
        have = 0
    if have >= n:
        print(f"seed: {have:,} tips already there")
        return
    category, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    objects = list(TraceObject.objects.all()[:OBJECTS])
    for i in range(len(objects), OBJECTS):
        obj = TraceObject(
            category=category,
            title=f"Bench object {i}",
            question="Where is this sold?",
            alt_text="A bench object",
            status="published",
        )
        objects.append(object_services.object_save(obj=obj))
    ids = [o.pk for o in objects]
    rng = random.Random(42)
    # Per object: three or four shops, the first named most (a flood), the others less.
    leads_of = {pk: rng.sample(SHOPS, 4) for pk in ids}
    start = time.perf_counter()
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    columns = [
        "trace_object_id",
        "body",
        "country",
        "place",
        "link",
        "certainty",
        "contact_encrypted",
        "photo_name",
        "language",
        "receipt_hash",
        "submission_hash",
        "status",
        "received_at",
        "updated_at",
        "priority",
        "forwarded_to",
        "forwarded_country",
        "detected_language",
        "lead_key",
        "lead_label",
        "lead_terms",
    ]
    proposals = _Proposals()
    with connection.cursor() as cursor:
        # Building the GIN indexes once after COPY is much faster than keeping them up to date.
        cursor.execute("DROP INDEX IF EXISTS tip_fts_idx")
        batch = 100_000
        for offset in range(have, n, batch):
            buf = io.StringIO()
            for _ in range(offset, min(n, offset + batch)):
                obj_id = rng.choice(ids)
                city, thing = rng.choice(CITIES), rng.choice(THINGS)
                shop = rng.choices(leads_of[obj_id], weights=[60, 20, 8, 4])[0]
                language, template = rng.choice(LEAD_TEMPLATES)
                if rng.random() < 0.12:
                    language, template = "en", rng.choice(VAGUE)
                body = template.format(city=city, shop=shop, thing=thing)
                place = shop if rng.random() < 0.3 else ""
                received = now - timedelta(hours=rng.randrange(0, 24 * 700))
                proposed = proposals.get(obj_id, body, place)
                buf.write(
                    "\t".join(
                        [
                            str(obj_id),
                            body,
                            rng.choice(COUNTRIES) if place else "",
                            place,
                            ""
                            if rng.random() > 0.05
                            else f"https://shop.example/{thing}-{rng.randrange(500)}",
                            "think",
                            "\\\\x",
                            "",
                            language,
                            secrets.token_hex(32),
                            secrets.token_hex(32),
                            rng.choice(STATUSES),
                            received.isoformat(),
                            received.isoformat(),
                            "1",
                            "",
                            "",
                            *proposed,
                        ]
                    )
                    + "\n"
                )
            buf.seek(0)
            cursor.cursor.copy_expert(f"COPY tips_tip ({', '.join(columns)}) FROM STDIN", buf)
            print(f"seed: {min(n, offset + batch):,} tips ({time.perf_counter() - start:.0f} s)")
        print("seed: building the full-text and trigram indexes …")
        migration = importlib.import_module("tips.migrations.0003_search_indexes")
        for sql in migration.FORWARD:
            cursor.execute(sql)
    # What autovacuum does soon after a bulk load (visibility map for index-only scans).
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE tips_tip")
    print(f"seed: done in {time.perf_counter() - start:.0f} s")


def measure() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from objects.models import TraceObject
    from tests.personas import login_verified
    from tips import selectors
    from tips.models import Tip

    User = get_user_model()
    user = User.objects.filter(username="bench-supervisor").first()
    if user is None:
        from django.contrib.auth.models import Group
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from backoffice.roles import SUPERVISOR, roles_sync

        roles_sync()
        user = User.objects.create_user(username="bench-supervisor", is_staff=True)
        user.groups.add(Group.objects.get(name=SUPERVISOR))
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = login_verified(Client(), user)
    obj = TraceObject.objects.order_by("pk").first()
    first_new = selectors.tip_next_in_queue()
    tips_url = reverse("admin:tips_tip_changelist")
    pages = [
        ("admin tip list", tips_url),
        (
            "filtered list (object+status+country)",
            f"{tips_url}?trace_object__id__exact={obj.pk}&status__exact=new&country__exact=FR",
        ),
        ("full-text search 'utrecht'", f"{tips_url}?q=utrecht"),
        ("triage queue", reverse("tipstaff:triage")),
        ("triage queue after a skip", f"{reverse('tipstaff:triage')}?after={first_new.pk}"),
        ("per-object view (its leads)", reverse("tipstaff:object_tips", args=[obj.pk])),
        ("tip page", reverse("admin:tips_tip_change", args=[first_new.pk])),
        ("back-office index (the desk)", reverse("admin:index")),
    ]
    print(
        f"\n{Tip.objects.order_by().count():,} tips on {TraceObject.objects.count()} objects"
        f" (that COUNT is the bench's own, not a page's)\n"
    )
    print(f"{'page':42} {'best ms':>8} {'median ms':>10} {'db ms':>6} {'queries':>8}")
    for label, url in pages:
        client.get(url)  # warm-up: connection, templates, caches
        times, db_times = [], []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            # The queries' own time as Django measured it (less noisy than the wall time).
            db_times.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        print(
            f"{label:42} {min(times):8.0f} {statistics.median(times):10.0f}"
            f" {statistics.median(db_times):6.0f} {len(queries):8d}"
        )
        if os.environ.get("BENCH_VERBOSE"):
            slow = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
            for q in slow:
                print(f"    {float(q['time']) * 1000:6.0f} ms  {q['sql'][:300]}")


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed(N)
    measure()


if __name__ == "__main__":
    main()
