"""Postfach: delivery through the API (messages per second) against a bare insert
of the same rows, and the holder's message list with 10,000 messages in one
account (p95 per page and queries per page) against the bare page query."""

import base64
import random
import time
from datetime import timedelta

from _django import percentile, setup

setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from oauth2_provider.models import AccessToken, Application  # noqa: E402

from openamt.accounts.auth import LEVEL_KEY  # noqa: E402
from openamt.accounts.models import Account, User  # noqa: E402
from openamt.mailbox.models import Mailbox, Message  # noqa: E402
from openamt.mailbox.services import mailbox_for  # noqa: E402
from openamt.oidc.models import ClientSettings  # noqa: E402
from openamt.organisations.constants import AuthorityKind  # noqa: E402
from openamt.organisations.models import Authority  # noqa: E402
from openamt.testing.documents import sample_pdf  # noqa: E402

DELIVERIES = 300
LIST_MESSAGES = 10_000
PAGES = 300

authority = Authority.objects.create(
    name="Stadtverwaltung Erfurt",
    name_folded="stadtverwaltung erfurt",
    kind=AuthorityKind.KREISFREIE_STADT,
)
app = Application.objects.create(
    name="Fachverfahren",
    client_type=Application.CLIENT_CONFIDENTIAL,
    authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
)
ClientSettings.objects.create(application=app, authority=authority)
token = AccessToken.objects.create(
    application=app,
    token="bench-token",  # noqa: S106 - a throw-away token of this benchmark
    scope="postfach:zustellen",
    expires=timezone.now() + timedelta(hours=1),
)


def holder(email: str) -> tuple[User, Mailbox]:
    user = User.objects.create_user(username=email, email=email, password="x" * 16)
    return user, mailbox_for(Account.objects.create(user=user, email_verified_at=timezone.now()))


_, inbox = holder("zustellung@example.org")
documents = [base64.b64encode(sample_pdf(f"Bescheid {n}")).decode() for n in range(DELIVERIES)]
api = Client()


def deliver(n: int) -> None:
    response = api.post(
        "/api/v1/postfach/nachrichten",
        {
            "address": str(inbox.address),
            "subject": f"Bescheid {n}",
            "body": "Sehr geehrte Damen und Herren,\nanbei Ihr Bescheid.",
            "is_decision": True,
            "documents": [{"filename": "bescheid.pdf", "content_base64": documents[n]}],
        },
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer bench-token",
        HTTP_IDEMPOTENCY_KEY=f"bench-{n}",
    )
    assert response.status_code == 202, response.content


start = time.perf_counter()
for n in range(DELIVERIES):
    deliver(n)
api_s = time.perf_counter() - start
start = time.perf_counter()
Message.objects.bulk_create(
    Message(mailbox=inbox, sender=authority, subject=f"Roh {n}", body="Text")
    for n in range(DELIVERIES)
)
bare_s = time.perf_counter() - start

user, box = holder("viele.nachrichten@example.org")
now = timezone.now()
Message.objects.bulk_create(
    (
        Message(mailbox=box, sender=authority, subject=f"Nachricht {n}", body="Text")
        for n in range(LIST_MESSAGES)
    ),
    batch_size=2000,
)
Message.objects.filter(mailbox=box).update(
    delivered_at=now
)  # worst case: one timestamp, order by id
browser = Client()
browser.force_login(user)
session = browser.session
session[LEVEL_KEY] = "niedrig"
session.save()
last_page = LIST_MESSAGES // 20
rng = random.Random(4)
pages = [rng.randint(1, last_page) for _ in range(PAGES)]
RAW = (
    "SELECT m.public_id, m.subject, m.is_decision, m.delivered_at, m.first_opened_at, a.name "
    "FROM mailbox_message m JOIN organisations_authority a ON a.id = m.sender_id "
    "WHERE m.mailbox_id = %s ORDER BY m.delivered_at DESC, m.id DESC LIMIT 20 OFFSET %s"
)


def raw(page: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(RAW, [box.pk, (page - 1) * 20])
        cursor.fetchall()


def view(page: int) -> None:
    assert browser.get("/konto/postfach/", {"seite": page}).status_code == 200


def timed(fn) -> list[float]:
    for page in pages[:20]:
        fn(page)
    samples = []
    for page in pages:
        t = time.perf_counter()
        fn(page)
        samples.append((time.perf_counter() - t) * 1000)
    return samples


raw_ms, view_ms = timed(raw), timed(view)
reset_queries()
with CaptureQueriesContext(connection) as queries:
    view(last_page)
print(f"database: {connection.vendor}")
print(
    f"delivery via API ({DELIVERIES} messages, one distinct 1-page PDF each): "
    f"{DELIVERIES / api_s:6.0f} messages/s   bare insert {DELIVERIES / bare_s:8.0f} rows/s   "
    f"ratio {api_s / bare_s:5.0f}x"
)
print(
    f"Postfach list, {LIST_MESSAGES:,} messages in one account, {PAGES} random pages: "
    f"p50 {percentile(view_ms, 50):5.2f} ms  p95 {percentile(view_ms, 95):5.2f} ms   "
    f"bare page query p95 {percentile(raw_ms, 95):5.2f} ms   ratio {percentile(view_ms, 95) / percentile(raw_ms, 95):4.1f}x"
)
print(f"queries per page (last page): {len(queries)} (target <= 10)")
