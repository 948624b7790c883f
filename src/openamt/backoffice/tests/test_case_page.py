"""The case page: what it shows of a case, its actions through the case
services with their German refusals, the documents of the file, and who may
see or change what (authority, team, read-only auditors)."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from openamt.accounts.models import User
from openamt.cases.constants import CaseStatus, DocumentKind
from openamt.cases.models import Case, CaseDocument, Team
from openamt.cases.tests.conftest import fresh_case  # noqa: F401  (fixture)
from openamt.core.contrib.eicar_test.plugin import EICAR
from openamt.core.models import AuditEntry
from openamt.forms.display import answer_rows
from openamt.mailbox.models import Document
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.services import authority_role_grant
from openamt.submissions.models import DeliveryJob
from openamt.submissions.tests.conftest import dog_form, moxa  # noqa: F401  (fixtures)
from openamt.testing.documents import PNG_1X1, sample_pdf

PASSWORD = "ein-langes-test-passwort"
DOG_TAX = "99102013000000"


def _staff(username: str, authority, role: str, **names: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **names)
    authority_role_grant(actor=None, user=user, authority=authority, role=role)
    return user


def url(name: str, case: Case, **kwargs) -> str:
    return reverse(f"backoffice:{name}", kwargs={"case_id": case.public_id, **kwargs})


def snapshot(case: Case) -> tuple:
    return (
        Case.objects.filter(pk=case.pk).values().get(),
        list(CaseDocument.objects.filter(case=case).values()),
        Document.objects.count(),
        AuditEntry.objects.count(),
    )


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- what the page shows -----------------------------------------------------


def test_an_online_case_shows_answers_file_receipt_deliveries_and_history(
    client_as,
    fresh_case,  # noqa: F811
):
    worker = _staff(
        "ranis.sb", fresh_case.authority, AuthorityRoleName.CASEWORKER, first_name="Jana"
    )
    response = client_as(worker).get(url("case", fresh_case))
    assert response.status_code == 200
    submission = fresh_case.submission
    assert response.context["answers"] == answer_rows(
        submission.version.definition, submission.answers
    )
    labels = [label for _, rows in response.context["answers"] for label, _ in rows]
    page = response.content.decode()
    # The form's own wording, in the form's order.
    positions = [page.index(f">{label}<") for label in labels]
    assert positions == sorted(positions)
    assert len(labels) >= 4
    documents = list(fresh_case.documents.order_by("pk"))
    assert [(d.kind, d.version) for d in documents] == [
        (DocumentKind.APPLICATION, 1),
        (DocumentKind.ATTACHMENT, 1),
    ]
    for document in documents:
        sha = document.document.sha256
        assert f'<code title="{sha}">{sha[:12]}…</code>' in page
        assert url("case-document", fresh_case, document_id=document.public_id) in page
        assert url("case-document-download", fresh_case, document_id=document.public_id) in page
    jobs = list(DeliveryJob.objects.filter(submission=submission))
    assert len(response.context["deliveries"]) == len(jobs) >= 1
    assert response.context["deliveries"][0]["status"] == "erledigt"
    text = text_of(response)
    assert (
        "Der Antrag wurde ohne Servicekonto gestellt: die Eingangsbestätigung bekam der "
        "Antragsteller beim Absenden zum Herunterladen." in text
    )
    assert f"Der Antrag mit allen Angaben liegt als {documents[0].title} in der Akte." in text
    assert [(e.actor, e.label) for e in response.context["history"]][:2] == [
        ("System", "Vorgang angelegt"),
        ("System", "Dokument zur Akte genommen"),
    ]
    assert 'id="nachrichten"' in page
    assert "Mir zuweisen" in page


def test_a_failed_delivery_is_shown_with_its_error(
    client_as,
    fresh_case,  # noqa: F811
):
    from openamt.submissions.registry import delivery_targets

    worker = _staff("ranis.sb", fresh_case.authority, AuthorityRoleName.CASEWORKER)
    job = DeliveryJob.objects.filter(submission=fresh_case.submission).order_by("pk").first()
    DeliveryJob.objects.filter(pk=job.pk).update(
        status="gescheitert",
        attempts=5,
        last_error="Der Empfänger antwortet nicht.",
        done_at=None,
    )
    response = client_as(worker).get(url("case", fresh_case))
    label = delivery_targets.get(job.channel).label
    row = f"{label} gescheitert 5 Der Empfänger antwortet nicht."
    assert row in text_of(response)


def test_a_case_by_hand_shows_address_and_no_answers(client_as, erfurt_case, erfurt_caseworker):
    response = client_as(erfurt_caseworker).get(url("case", erfurt_case))
    assert response.status_code == 200
    text = text_of(response)
    assert "Erika Mustermann Fischmarkt 1 99084 Erfurt" in text
    assert "Dieser Vorgang wurde von Hand angelegt (Papier)" in text
    assert response.context["answers"] == []
    assert "Zustellung des Antrags" not in text


def test_only_the_allowed_transitions_are_offered(client_as, erfurt_case, erfurt_caseworker):
    response = client_as(erfurt_caseworker).get(url("case", erfurt_case))
    choices = response.context["forms"]["transition"].fields["to"].choices
    assert choices == [
        ("", "– bitte wählen –"),
        ("in_bearbeitung", "in Bearbeitung"),
        ("wartet_antragsteller", "wartet auf Antragsteller"),
        ("abgeschlossen", "abgeschlossen"),
    ]


# --- actions -----------------------------------------------------------------


def test_assign_to_myself(client_as, erfurt_case, erfurt_caseworker):
    client = client_as(erfurt_caseworker)
    response = client.post(url("case-assign-self", erfurt_case))
    assert response.status_code == 302
    assert response["Location"] == url("case", erfurt_case)
    erfurt_case.refresh_from_db()
    assert erfurt_case.assignee == erfurt_caseworker
    entry = AuditEntry.objects.filter(action="case.assign").get()
    assert entry.actor_id == erfurt_caseworker.pk
    page = client.get(url("case", erfurt_case)).content.decode()
    assert "Der Vorgang ist Ihnen zugewiesen." in page
    assert "Mir zuweisen" not in page


def test_assign_to_a_person_and_a_team(client_as, erfurt, erfurt_case, erfurt_caseworker):
    team = Team.objects.create(authority=erfurt, name="Steuern")
    first = erfurt_case.assignee_id
    response = client_as(erfurt_caseworker).post(
        url("case-assign", erfurt_case),
        {"zuweisung-assignee": str(erfurt_caseworker.pk), "zuweisung-team": str(team.pk)},
    )
    assert response.status_code == 302
    erfurt_case.refresh_from_db()
    assert (erfurt_case.assignee, erfurt_case.team) == (erfurt_caseworker, team)
    history = client_as(erfurt_caseworker).get(url("case", erfurt_case)).context["history"]
    assert history[-1].label == "Zuständigkeit geändert"
    assert history[-1].details == "Bearbeitung: erfurt.sb; Team: Steuern"
    # "unverändert" keeps the team; "kein Team" takes the case out of it.
    client = client_as(erfurt_caseworker)
    client.post(url("case-assign", erfurt_case), {"zuweisung-assignee": "", "zuweisung-team": ""})
    erfurt_case.refresh_from_db()
    assert (erfurt_case.assignee, erfurt_case.team) == (None, team)
    response = client.post(
        url("case-assign", erfurt_case), {"zuweisung-assignee": "", "zuweisung-team": "ohne"}
    )
    assert response.status_code == 302
    erfurt_case.refresh_from_db()
    assert (erfurt_case.assignee, erfurt_case.team) == (None, None)
    assert [e.changes for e in AuditEntry.objects.filter(action="case.assign").order_by("pk")] == [
        {"assignee": [first, erfurt_caseworker.pk], "team": [None, team.pk]},
        {"assignee": [erfurt_caseworker.pk, None]},
        {"team": [team.pk, None]},
    ]


def test_assign_to_staff_of_another_authority_is_refused(
    client_as, erfurt_case, erfurt_caseworker, lindenberg_admin
):
    before = snapshot(erfurt_case)
    response = client_as(erfurt_caseworker).post(
        url("case-assign", erfurt_case), {"zuweisung-assignee": str(lindenberg_admin.pk)}
    )
    assert response.status_code == 422
    assert "Bearbeitung: Bitte wählen Sie aus der Liste." in text_of(response)
    assert snapshot(erfurt_case) == before


def test_a_status_change_is_saved_with_its_reason(client_as, erfurt_case, erfurt_caseworker):
    client = client_as(erfurt_caseworker)
    response = client.post(
        url("case-transition", erfurt_case),
        {"status-to": "in_bearbeitung", "status-reason": "Unterlagen vollständig"},
    )
    assert response.status_code == 302
    erfurt_case.refresh_from_db()
    assert erfurt_case.status == CaseStatus.IN_PROGRESS
    page = client.get(url("case", erfurt_case))
    assert "Der Vorgang ist jetzt „in Bearbeitung“." in page.content.decode()
    assert page.context["history"][-1].details == "neu → in Bearbeitung (Unterlagen vollständig)"


def test_a_forged_illegal_transition_is_refused_in_german(
    client_as, erfurt_case, erfurt_caseworker
):
    before = snapshot(erfurt_case)
    response = client_as(erfurt_caseworker).post(
        url("case-transition", erfurt_case), {"status-to": "entschieden"}
    )
    assert response.status_code == 422
    message = "Ein Vorgang im Status „neu“ kann nicht „entschieden“ werden."
    page = response.content.decode()
    assert f'<a class="kern-link" href="#id_status-to">Neuer Status: {message}</a>' in page
    assert 'id="id_status-to-error"' in page
    assert snapshot(erfurt_case) == before


def test_a_status_must_be_chosen(client_as, erfurt_case, erfurt_caseworker):
    before = snapshot(erfurt_case)
    response = client_as(erfurt_caseworker).post(
        url("case-transition", erfurt_case), {"status-to": ""}
    )
    assert response.status_code == 422
    assert "Neuer Status: Bitte wählen Sie den neuen Status." in text_of(response)
    assert snapshot(erfurt_case) == before


def test_priority_tags_and_resubmission(client_as, erfurt_case, erfurt_caseworker):
    response = client_as(erfurt_caseworker).post(
        url("case-update", erfurt_case),
        {
            "merkmale-priority": "1",
            "merkmale-tags": "Hund, gefährlich, Hund",
            "merkmale-resubmission_on": "2027-01-15",
        },
    )
    assert response.status_code == 302
    erfurt_case.refresh_from_db()
    assert erfurt_case.priority == 1
    assert erfurt_case.tags == ["Hund", "gefährlich"]
    assert erfurt_case.resubmission_on == datetime.date(2027, 1, 15)
    history = client_as(erfurt_caseworker).get(url("case", erfurt_case)).context["history"]
    assert history[-1].details == (
        "Priorität: hoch; Schlagworte: Hund, gefährlich; Wiedervorlage: 15.01.2027"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"merkmale-resubmission_on": "morgen"},
            "Wiedervorlage: Bitte geben Sie ein Datum als TT.MM.JJJJ an.",
        ),
        ({"merkmale-priority": "7"}, "Priorität: Bitte wählen Sie aus der Liste."),
        (
            {"merkmale-tags": ",".join(f"t{n}" for n in range(11))},
            "Schlagworte: Höchstens 10 Schlagworte mit je bis zu 40 Zeichen.",
        ),
    ],
)
def test_wrong_case_details_are_refused(client_as, erfurt_case, erfurt_caseworker, data, message):
    before = snapshot(erfurt_case)
    form = {"merkmale-priority": "2", "merkmale-tags": "", "merkmale-resubmission_on": ""}
    response = client_as(erfurt_caseworker).post(url("case-update", erfurt_case), form | data)
    assert response.status_code == 422
    assert message in text_of(response)
    assert snapshot(erfurt_case) == before


def test_a_note_is_filed_as_pdf_and_in_the_history(client_as, erfurt_case, erfurt_caseworker):
    client = client_as(erfurt_caseworker)
    response = client.post(
        url("case-note", erfurt_case), {"vermerk-text": "Halter telefonisch erreicht."}
    )
    assert response.status_code == 302
    note = CaseDocument.objects.get(case=erfurt_case, kind=DocumentKind.NOTE)
    assert note.text == "Halter telefonisch erreicht."
    assert note.document.content_type == "application/pdf"
    assert note.title == f"Vermerk vom {timezone.localdate():%d.%m.%Y}"
    assert (note.author, note.version) == (erfurt_caseworker, 1)
    page = client.get(url("case", erfurt_case))
    assert (page.context["history"][-1].label, page.context["history"][-1].details) == (
        "Dokument zur Akte genommen",
        "Vermerk, Version 1",
    )
    assert page.context["history"][-1].actor == "erfurt.sb"


def test_an_empty_note_is_refused(client_as, erfurt_case, erfurt_caseworker):
    before = snapshot(erfurt_case)
    response = client_as(erfurt_caseworker).post(
        url("case-note", erfurt_case), {"vermerk-text": " "}
    )
    assert response.status_code == 422
    assert "Vermerk: Bitte schreiben Sie den Vermerk." in text_of(response)
    assert snapshot(erfurt_case) == before


def _upload(client, case, data: bytes, name: str, **extra: str):
    return client.post(
        url("case-document-add", case),
        {
            "dokument-kind": "anlage",
            "dokument-title": "",
            "dokument-replaces": "",
            "dokument-datei": SimpleUploadedFile(name, data),
            **extra,
        },
    )


def test_documents_and_new_versions(client_as, erfurt_case, erfurt_caseworker):
    client = client_as(erfurt_caseworker)
    first = sample_pdf("Meldebescheinigung")
    response = _upload(client, erfurt_case, first, "melde.pdf", **{"dokument-title": "Meldung"})
    assert response.status_code == 302
    original = CaseDocument.objects.get(case=erfurt_case, title="Meldung")
    assert (original.kind, original.version, original.filename) == ("anlage", 1, "melde.pdf")
    second = sample_pdf("Meldebescheinigung, berichtigt")
    response = _upload(
        client, erfurt_case, second, "melde2.pdf", **{"dokument-replaces": str(original.pk)}
    )
    assert response.status_code == 302
    newer = CaseDocument.objects.get(replaces=original)
    assert (newer.version, newer.title) == (2, "melde2.pdf")
    page = client.get(url("case", erfurt_case))
    assert "„melde2.pdf“ ist als Version 2 in der Akte." in page.content.decode()
    offered = {pk for pk, _ in page.context["forms"]["document"].fields["replaces"].choices}
    assert original.pk not in offered
    assert newer.pk in offered
    # The older version cannot be replaced a second time.
    before = snapshot(erfurt_case)
    response = _upload(
        client,
        erfurt_case,
        sample_pdf("dritte"),
        "c.pdf",
        **{"dokument-replaces": str(original.pk)},
    )
    assert response.status_code == 422
    assert "Neue Version von: Von diesem Dokument gibt es schon eine neuere Fassung." in text_of(
        response
    )
    assert snapshot(erfurt_case) == before


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"%PDF-1.4\n" + EICAR,
            "virus.pdf",
            "„virus.pdf“ enthält Schadsoftware (Eicar-Test-Signature) und wird nicht angenommen.",
        ),
        (
            b"Nur Text, kein PDF",
            "brief.pdf",
            "„brief.pdf“ hat keinen erlaubten Dateityp (JPG, PDF, PNG).",
        ),
    ],
)
def test_a_bad_upload_is_refused_and_nothing_stored(
    client_as, erfurt_case, erfurt_caseworker, data, name, message
):
    before = snapshot(erfurt_case)
    response = _upload(client_as(erfurt_caseworker), erfurt_case, data, name)
    assert response.status_code == 422
    page = response.content.decode()
    assert f"Datei (PDF, PNG oder JPG): {message}" in text_of(response)
    assert 'id="id_dokument-datei-error"' in page
    assert snapshot(erfurt_case) == before


def test_an_upload_needs_a_file(client_as, erfurt_case, erfurt_caseworker):
    before = snapshot(erfurt_case)
    response = client_as(erfurt_caseworker).post(
        url("case-document-add", erfurt_case), {"dokument-kind": "anlage"}
    )
    assert response.status_code == 422
    assert "Datei (PDF, PNG oder JPG): Bitte wählen Sie eine Datei." in text_of(response)
    assert snapshot(erfurt_case) == before


def test_documents_are_shown_inline_or_downloaded(client_as, erfurt_case, erfurt_caseworker):
    client = client_as(erfurt_caseworker)
    _upload(client, erfurt_case, PNG_1X1, "foto.png")
    image = CaseDocument.objects.get(case=erfurt_case, filename="foto.png")
    shown = client.get(url("case-document", erfurt_case, document_id=image.public_id))
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"] == 'inline; filename="foto.png"'
    assert shown["Cache-Control"] == "private, no-store"
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert shown["Content-Security-Policy"].startswith("default-src 'none'")
    assert b"".join(shown.streaming_content) == PNG_1X1
    saved = client.get(url("case-document-download", erfurt_case, document_id=image.public_id))
    assert saved["Content-Disposition"] == 'attachment; filename="foto.png"'
    assert b"".join(saved.streaming_content) == PNG_1X1
