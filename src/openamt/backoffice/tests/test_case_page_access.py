"""Who reaches a case page: another case's document, auditors, other teams
and other authorities; and the page's query bound."""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openamt.backoffice.tests.test_case_page import _staff, snapshot, url
from openamt.cases import files
from openamt.cases.constants import DocumentKind
from openamt.cases.models import Case, CaseDocument, Team
from openamt.cases.services import case_open
from openamt.cases.tests.conftest import fresh_case  # noqa: F401  (fixture)
from openamt.core.audit import audit_record
from openamt.core.models import AuditEntry
from openamt.organisations.constants import AuthorityRoleName
from openamt.submissions.tests.conftest import dog_form, moxa  # noqa: F401  (fixtures)
from openamt.testing.documents import sample_pdf
from openamt.testing.isolation import staff_urls


def _scan(case: Case, text: str = "Scan") -> CaseDocument:
    """A scanned page filed by the system (no staff author)."""
    return files.file_document_add(
        case=case,
        kind=DocumentKind.SCAN,
        title="Scan",
        data=sample_pdf(text),
        name="scan.pdf",
        author=None,
        author_name="System",
    )


def test_a_document_of_another_case_is_not_found(
    client_as, erfurt, erfurt_case, erfurt_admin, erfurt_caseworker
):
    other = case_open(
        actor=erfurt_admin,
        authority=erfurt,
        service=erfurt_case.service,
        channel="telefon",
        applicant_name="Max Muster",
        applicant_address={},
        scans=[],
    )
    document = _scan(other, "anderer Vorgang")
    client = client_as(erfurt_caseworker)
    for name in ("case-document", "case-document-download"):
        response = client.get(url(name, erfurt_case, document_id=document.public_id))
        assert response.status_code == 404
    response = client.get(url("case-document", erfurt_case, document_id=uuid.uuid4()))
    assert response.status_code == 404


# --- roles -------------------------------------------------------------------

ACTIONS = {
    "case-assign-self": {},
    "case-assign": {"zuweisung-assignee": ""},
    "case-transition": {"status-to": "in_bearbeitung"},
    "case-update": {"merkmale-priority": "1", "merkmale-tags": "x"},
    "case-note": {"vermerk-text": "Vermerk"},
    "case-document-add": {"dokument-kind": "anlage"},
}


def test_an_auditor_reads_but_sees_no_forms_and_every_post_is_refused(
    client_as, erfurt, erfurt_case, erfurt_auditor
):
    client = client_as(erfurt_auditor)
    response = client.get(url("case", erfurt_case))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<form" not in page.split('id="inhalt"')[1]
    assert "forms" not in response.context
    before = snapshot(erfurt_case)
    for name, data in ACTIONS.items():
        if name == "case-document-add":
            data = {**data, "dokument-datei": SimpleUploadedFile("a.pdf", sample_pdf("a"))}
        response = client.post(url(name, erfurt_case), data)
        assert response.status_code == 403, name
        assert "Sie dürfen Vorgänge dieser Behörde nur lesen." in response.content.decode()
    new = reverse("backoffice:case-new", kwargs={"pk": erfurt.pk})
    assert client.get(new).status_code == 403
    assert client.post(new, {"name": "X", "channel": "papier"}).status_code == 403
    assert snapshot(erfurt_case) == before
    assert Case.objects.count() == 1


def test_an_auditor_is_refused_every_post_on_every_case_url(client_as, erfurt, erfurt_auditor):
    """The walk of the URL configuration: whatever case URL exists, an
    auditor's POST changes nothing (403; 405 where a page takes no POST)."""
    urls = [address for address, _ in staff_urls(erfurt) if "/vorgaenge/" in address]
    client = client_as(erfurt_auditor)
    before = (
        list(Case.objects.values()),
        list(CaseDocument.objects.values()),
        AuditEntry.objects.count(),
    )
    answers = {
        address: client.post(address, {"status-to": "abgeschlossen", "name": "X"}).status_code
        for address in urls
    }
    # 404: the walk's attachment of another message is no attachment of this case.
    assert sorted(answers.values()) == [403] * 12 + [404] * 2 + [405] * 6, answers
    assert (
        list(Case.objects.values()),
        list(CaseDocument.objects.values()),
        AuditEntry.objects.count(),
    ) == before


def assert_not_found(client, case: Case) -> None:
    """Every URL of the case answers 404 to the method it takes (and 405,
    before any lookup, to the other)."""
    document = case.documents.first()
    pages = [url("case", case)] + [
        url(name, case, document_id=document.public_id)
        for name in ("case-document", "case-document-download")
    ]
    for address in pages:
        assert client.get(address).status_code == 404, address
        assert client.post(address, {"status-to": "abgeschlossen"}).status_code == 405, address
    for name in ACTIONS:
        assert client.get(url(name, case)).status_code == 405, name
        assert client.post(url(name, case), {"status-to": "abgeschlossen"}).status_code == 404


def test_a_team_caseworker_does_not_find_another_teams_case(
    client_as, erfurt, erfurt_case, erfurt_admin
):
    _scan(erfurt_case)
    ordnung, steuern = (
        Team.objects.create(authority=erfurt, name=n) for n in ("Ordnung", "Steuern")
    )
    worker = _staff("erfurt.ordnung", erfurt, AuthorityRoleName.CASEWORKER)
    ordnung.members.add(worker)
    Case.objects.filter(pk=erfurt_case.pk).update(team=steuern)
    client = client_as(worker)
    before = snapshot(erfurt_case)
    assert_not_found(client, erfurt_case)
    assert snapshot(erfurt_case) == before
    # A case given to no team is the whole authority's.
    Case.objects.filter(pk=erfurt_case.pk).update(team=None)
    assert client.get(url("case", erfurt_case)).status_code == 200


def test_staff_of_another_authority_do_not_find_the_case(client_as, erfurt_case, lindenberg_admin):
    _scan(erfurt_case)
    client = client_as(lindenberg_admin)
    before = snapshot(erfurt_case)
    assert_not_found(client, erfurt_case)
    assert snapshot(erfurt_case) == before


# --- query bound ---------------------------------------------------------------


def test_the_case_page_reads_a_large_file_in_few_queries(
    client_as, erfurt, erfurt_case, erfurt_caseworker, django_assert_max_num_queries
):
    team = Team.objects.create(authority=erfurt, name="Steuern")
    team.members.add(erfurt_caseworker)
    stored = files.file_document_add(
        case=erfurt_case,
        kind=DocumentKind.SCAN,
        title="Scan",
        data=sample_pdf("Scan"),
        name="scan.pdf",
        author=erfurt_caseworker,
        author_name="erfurt.sb",
    )
    for number in range(29):
        files.file_document_link(
            case=erfurt_case,
            kind=DocumentKind.ATTACHMENT,
            title=f"Anlage {number}",
            document=stored.document,
            filename="scan.pdf",
            author=erfurt_caseworker,
            author_name="erfurt.sb",
        )
    for _ in range(20):
        audit_record(
            actor=erfurt_caseworker,
            action="case.assign",
            target=erfurt_case,
            authority_id=erfurt.pk,
            changes={"assignee": [None, erfurt_caseworker.pk], "team": [None, team.pk]},
        )
    assert (
        AuditEntry.objects.filter(object_type="cases.case", object_id=str(erfurt_case.pk)).count()
        >= 50
    )
    assert erfurt_case.documents.count() == 30
    client = client_as(erfurt_caseworker)
    # A fixed number, whatever the file holds: the case, its file, history and
    # deliveries, and the Nachrichten and Bescheide sections.
    with django_assert_max_num_queries(20):
        response = client.get(url("case", erfurt_case))
    assert response.status_code == 200
    assert len(response.context["documents"]) == 30
