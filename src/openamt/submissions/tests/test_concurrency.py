"""Parallel requests as impatient applicants and busy portals send them: each
thread has its own database connection and all start together (a barrier), so
on PostgreSQL they really overlap in the database."""

import copy

import pytest
from django.db import connection
from django.test import Client

from openamt.catalogue.models import Service
from openamt.core.models import AuditEntry
from openamt.forms.services import draft_save, form_create, version_publish
from openamt.forms.tests.test_definition import DOG
from openamt.regions.models import Region
from openamt.submissions.models import DeliveryJob, Draft, ReceiptJob, Submission
from openamt.submissions.services import draft_answer, draft_start
from openamt.submissions.tests.test_api import URL, _token
from openamt.submissions.tests.test_submissions import ANSWERS
from openamt.testing.accounts import holder_client, make_holder
from openamt.testing.concurrency import run_at_once
from openamt.testing.data import THURINGIA, load_register

pytestmark = [
    pytest.mark.transactional,
    # The test database on SQLite is in memory with a shared cache: a second
    # connection's write fails at once ("table is locked") instead of waiting as
    # on a database file (busy timeout, IMMEDIATE transactions), so parallel
    # writers cannot be tested there.
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel writers need PostgreSQL"
    ),
]
MOXA = "16075069"


@pytest.fixture
def dog(data_files, transactional_db):
    """The dog form, committed. Each accepted application is delivered right
    after its commit (the test settings run tasks at once), so deliveries run
    alongside the intake as a worker's would."""
    if not Region.objects.exists():  # an earlier committing test emptied the tables
        load_register(data_files, land=THURINGIA)
    form = form_create(
        actor=None,
        key="hundesteuer",
        service=Service.objects.get(leika_key="99102013000000"),
        title="Hundesteuer",
    )
    return version_publish(actor=None, version=draft_save(actor=None, form=form, definition=DOG))


def _post(token: str, key: str, answers: dict) -> tuple[int, dict, str]:
    response = Client().post(
        URL,
        {"form": "hundesteuer", "place": MOXA, "answers": answers},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    return response.status_code, response.json(), response["Content-Type"]


def test_twenty_clicks_on_submit_give_one_application_and_the_same_receipt(dog):
    user = make_holder("erika@example.org")
    draft = draft_start(user=user, version=dog, place=Region.objects.get(ags=MOXA))
    draft_answer(draft=draft, answers=ANSWERS, step="tiere")
    browser = holder_client(user)
    clients = []
    for _ in range(20):  # two tabs, a double click: the same session
        tab = Client()
        tab.cookies = copy.deepcopy(browser.cookies)
        clients.append(tab)

    def click(n: int) -> tuple[int, str]:
        response = clients[n].post(
            f"/antrag/entwurf/{draft.public_id}/pruefen/", {"versicherung": "1"}
        )
        return response.status_code, response.get("Location", "")

    answers = run_at_once(20, click)
    submission = Submission.objects.get()
    assert answers == [(302, f"/antrag/eingang/{submission.public_id}/")] * 20
    assert not Draft.objects.exists()
    assert (DeliveryJob.objects.count(), ReceiptJob.objects.count()) == (1, 1)
    assert AuditEntry.objects.filter(action="submission.submit").count() == 1
    assert browser.get(f"/antrag/eingang/{submission.public_id}/").status_code == 200


def test_one_key_with_two_bodies_gives_one_application_and_the_other_body_always_409(dog):
    token = _token()
    other = {**ANSWERS, "vorname": "Max"}
    bodies = [ANSWERS, other]

    results = run_at_once(20, lambda n: _post(token, "ein-schluessel", bodies[n % 2]))

    submission = Submission.objects.get()
    winner = 0 if submission.answers["vorname"] == "Erika" else 1
    for n, (status, body, content_type) in enumerate(results):
        if n % 2 == winner:
            assert (status, body["id"]) == (202, str(submission.public_id)), body
        else:
            assert (status, content_type) == (409, "application/problem+json"), body
            assert body["type"] == "urn:openamt:problem:conflict"
    assert (DeliveryJob.objects.count(), ReceiptJob.objects.count()) == (1, 1)


def test_fifty_applications_at_once_to_one_authority_are_all_accepted_and_numbered(dog):
    token = _token()

    results = run_at_once(50, lambda n: _post(token, f"antrag-{n}", ANSWERS))

    assert [status for status, _, _ in results] == [202] * 50, [
        body for status, body, _ in results if status != 202
    ]
    references = sorted(body["reference"] for _, body, _ in results)
    year = references[0][:4]
    assert references == [f"{year}-{n:06d}" for n in range(1, 51)]
    assert Submission.objects.count() == 50
    assert DeliveryJob.objects.filter(status="erledigt").count() == 50
    assert ReceiptJob.objects.filter(status="erledigt").count() == 50
    assert AuditEntry.objects.filter(action="submission.submit").count() == 50
