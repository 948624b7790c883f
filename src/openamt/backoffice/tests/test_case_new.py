"""A case opened by hand: a paper, phone, counter or e-mail application with
its scanned documents, and every refusal with nothing stored."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from openamt.cases.constants import Channel, DocumentKind
from openamt.cases.models import Case, CaseDocument
from openamt.catalogue.models import Service
from openamt.core.contrib.eicar_test.plugin import EICAR
from openamt.core.models import AuditEntry
from openamt.mailbox.models import Document
from openamt.testing.documents import PNG_1X1, sample_pdf

DOG_TAX = "99102013000000"


@pytest.fixture
def dog_tax(register) -> Service:
    return Service.objects.get(leika_key=DOG_TAX)


def new_url(authority) -> str:
    return reverse("backoffice:case-new", kwargs={"pk": authority.pk})


def form_data(chosen: Service, **changes) -> dict:
    return {
        "service": str(chosen.pk),
        "channel": "papier",
        "name": "Erika Mustermann",
        "street": "Fischmarkt 1",
        "postcode": "99084",
        "city": "Erfurt",
        "received_on": "2026-11-02",
        **changes,
    }


def nothing_stored() -> tuple:
    return Case.objects.count(), CaseDocument.objects.count(), Document.objects.count()


def test_the_form_finds_services_in_the_catalogue(client_as, erfurt, erfurt_caseworker, dog_tax):
    client = client_as(erfurt_caseworker)
    response = client.get(new_url(erfurt))
    assert response.status_code == 200
    assert response.context["form"]["channel"].value() == Channel.PAPER
    response = client.get(new_url(erfurt), {"q": "Hundesteuer"})
    assert dog_tax in response.context["offered"]
    assert f'<option value="{dog_tax.pk}">{dog_tax.name}</option>' in response.content.decode()


def test_a_paper_application_becomes_a_case_with_its_scans(
    client_as, erfurt, erfurt_caseworker, dog_tax, fresh_storage
):
    scans = [
        SimpleUploadedFile("seite1.pdf", sample_pdf("Seite 1")),
        SimpleUploadedFile("foto.png", PNG_1X1),
    ]
    response = client_as(erfurt_caseworker).post(new_url(erfurt), form_data(dog_tax, scans=scans))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:case", kwargs={"case_id": case.public_id})
    assert (case.authority, case.service, case.channel) == (erfurt, dog_tax, Channel.PAPER)
    assert case.applicant_name == "Erika Mustermann"
    assert case.applicant_address == {
        "street": "Fischmarkt 1",
        "postcode": "99084",
        "city": "Erfurt",
    }
    assert timezone.localtime(case.received_at).date() == datetime.date(2026, 11, 2)
    assert case.assignee == erfurt_caseworker
    assert [(d.kind, d.filename, d.version) for d in case.documents.order_by("pk")] == [
        (DocumentKind.SCAN, "seite1.pdf", 1),
        (DocumentKind.SCAN, "foto.png", 1),
    ]
    assert list(
        AuditEntry.objects.filter(object_id=str(case.pk), object_type="cases.case").values_list(
            "action", flat=True
        )
    ) == ["case.open", "case.document_add", "case.document_add"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": " "}, "name", "Bitte geben Sie den Namen des Antragstellers an."),
        ({"channel": ""}, "channel", "Bitte wählen Sie, wie der Antrag eingegangen ist."),
        ({"channel": "online"}, "channel", "Bitte wählen Sie, wie der Antrag eingegangen ist."),
        ({"service": ""}, "service", "Bitte wählen Sie die Leistung."),
        ({"service": "999999999"}, "service", "Bitte wählen Sie die Leistung."),
        (
            {"received_on": ""},
            "received_on",
            "Bitte geben Sie an, wann der Antrag eingegangen ist.",
        ),
        ({"received_on": "2.11."}, "received_on", "Bitte geben Sie ein Datum als TT.MM.JJJJ an."),
        (
            {"received_on": "2099-01-01"},
            "received_on",
            "Das Eingangsdatum darf nicht in der Zukunft liegen.",
        ),
        ({"postcode": "9908"}, "postcode", "Bitte geben Sie eine fünfstellige Postleitzahl an."),
    ],
)
def test_wrong_entries_are_refused_at_their_field(
    client_as, erfurt, erfurt_caseworker, dog_tax, changes, field, message
):
    before = nothing_stored()
    response = client_as(erfurt_caseworker).post(new_url(erfurt), form_data(dog_tax, **changes))
    assert response.status_code == 422
    assert response.context["form"].errors == {field: [message]}
    page = response.content.decode()
    assert f'href="#id_{field}"' in page  # the error summary links to the field
    assert f'id="id_{field}-error"' in page
    assert nothing_stored() == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("virus.pdf", b"%PDF-1.4\n" + EICAR),
            "„virus.pdf“ enthält Schadsoftware (Eicar-Test-Signature) und wird nicht angenommen.",
        ),
        (
            SimpleUploadedFile("notiz.txt", b"nur Text"),
            "„notiz.txt“ hat keinen erlaubten Dateityp (JPG, PDF, PNG).",
        ),
    ],
)
def test_a_bad_scan_refuses_the_whole_case(
    client_as, erfurt, erfurt_caseworker, dog_tax, fresh_storage, upload, message
):
    before = nothing_stored()
    good = SimpleUploadedFile("seite1.pdf", sample_pdf("Seite 1"))
    response = client_as(erfurt_caseworker).post(
        new_url(erfurt), form_data(dog_tax, scans=[good, upload])
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {"scans": [message]}
    assert nothing_stored() == before
    assert AuditEntry.objects.filter(action="case.open").count() == 0
    storage = Document.file.field.storage
    assert storage.listdir("")[0] == [] or all(
        not storage.listdir(folder)[1] for folder in storage.listdir("")[0]
    )


def test_staff_of_another_authority_cannot_open_a_case_here(
    client_as, erfurt, lindenberg_admin, dog_tax
):
    client = client_as(lindenberg_admin)
    assert client.get(new_url(erfurt)).status_code == 404
    assert client.post(new_url(erfurt), form_data(dog_tax)).status_code == 404
    assert Case.objects.count() == 0
