"""Status words tell the truth: an application that only lies in the platform's
Eingang is never called "zugestellt"; every page and the API say the same."""

import pytest
from django.test import Client

from openamt.forms.services import draft_save, version_publish
from openamt.forms.tests.test_definition import DOG
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.services import authority_role_grant
from openamt.submissions.constants import SubmissionStatus
from openamt.submissions.delivery import deliver_due, delivered_status
from openamt.submissions.endpoints import endpoint_store
from openamt.submissions.models import Submission
from openamt.submissions.receipt import receipt_route
from openamt.submissions.services import draft_new, draft_start, submission_create
from openamt.submissions.tests.test_submissions import answered
from openamt.testing.accounts import holder_client, make_holder


def _delivered(version, place, user=None):
    draft = draft_start(user=user, version=version, place=place)
    answered(draft)
    submission = submission_create(draft=draft)
    assert deliver_due() == len(version.definition.get("delivery") or ["eingang"])
    submission.refresh_from_db()
    return submission


@pytest.mark.parametrize(
    ("channels", "status"),
    [
        (["eingang"], SubmissionStatus.IN_INBOX),
        (["eingang", "email"], SubmissionStatus.IN_INBOX),
        (["fit-connect"], SubmissionStatus.DELIVERED),
        (["eingang", "webhook"], SubmissionStatus.DELIVERED),
    ],
)
def test_only_a_channel_into_the_authoritys_system_counts_as_delivered(channels, status):
    assert delivered_status(channels) == status


def test_an_application_in_the_eingang_says_so_on_every_page(dog_form, moxa, erfurt_admin):
    anna = make_holder("anna@example.org")
    submission = _delivered(dog_form, moxa, user=anna)
    assert submission.status == "im_eingang"

    citizen = holder_client(anna)
    mine = citizen.get("/antrag/meine/").content.decode()
    # The Eingang opened a case: "Meine Anträge" speaks of the case's status.
    assert "Ihr Antrag ist eingegangen und wartet auf die Bearbeitung." in mine
    assert "zugestellt" not in mine
    page = citizen.get(f"/antrag/eingang/{submission.public_id}/").content.decode()
    assert "im Eingang der Behörde" in page
    assert "liegt im elektronischen Eingang der zuständigen Behörde auf dieser Plattform" in page
    assert "zugestellt" not in page
    assert receipt_route(submission) == "elektronischer Eingang der Behörde auf dieser Plattform"

    staff = Client()
    authority_role_grant(
        actor=None,
        user=erfurt_admin,
        authority=submission.authority,
        role=AuthorityRoleName.CASEWORKER,
    )
    staff.force_login(erfurt_admin)
    # The staff's Eingang lists the case the application opened, by the case's status.
    inbox = staff.get(f"/verwaltung/behoerden/{submission.authority_id}/eingang/")
    assert [(c.reference, c.status) for c in inbox.context["page"]] == [
        (submission.reference, "neu")
    ]
    assert "zugestellt" not in inbox.content.decode()


def test_a_delivery_to_the_authoritys_system_is_named_as_such(dog_form, moxa, monkeypatch):
    from openamt.submissions.contrib.webhook import plugin

    version = version_publish(
        actor=None,
        version=draft_save(
            actor=None, form=dog_form.form, definition={**DOG, "delivery": ["webhook"]}
        ),
    )
    sent = []
    monkeypatch.setattr(plugin, "receiver_post", lambda url, **kwargs: sent.append(url))
    endpoint_store(
        authority=draft_new(user=None, version=version, place=moxa).authority,
        plugin="webhook",
        values={
            "url": "https://fachverfahren.example.org/antraege",
            "secret": "webhook-geheimnis-mit-mindestens-32-zeichen",
        },
    )
    submission = _delivered(version, moxa)
    assert sent == ["https://fachverfahren.example.org/antraege"]
    assert submission.status == "zugestellt"
    assert submission.get_status_display() == "an das Fachverfahren der Behörde übermittelt"
    assert receipt_route(submission) == (
        "Übermittlung an das System der Behörde, in dem sie Anträge bearbeitet"
    )


def test_the_api_states_the_status_in_words(dog_form, moxa):
    from openamt.submissions.api import _out

    submission = _delivered(dog_form, moxa)
    out = _out(submission)
    assert (out["status"], out["status_text"]) == ("im_eingang", "im Eingang der Behörde")


def test_old_delivered_rows_without_an_outside_channel_are_corrected(dog_form, moxa):
    from importlib import import_module

    from django.apps import apps

    migration = import_module(
        "openamt.submissions.migrations.0005_status_says_where_the_application_is"
    )
    inbox_only = _delivered(dog_form, moxa)
    outside = _delivered(dog_form, moxa)
    outside.jobs.filter(channel="eingang").update(channel="webhook")
    Submission.objects.filter(pk__in=[inbox_only.pk, outside.pk]).update(status="zugestellt")
    migration.only_in_the_inbox(apps, None)
    assert Submission.objects.get(pk=inbox_only.pk).status == "im_eingang"
    assert Submission.objects.get(pk=outside.pk).status == "zugestellt"
