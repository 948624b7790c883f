"""Case-work settings of an authority (teams, Aktenplan, Bescheidvorlagen,
Bearbeitungsfristen): only its administrators change them, every change is
audited, refused input is shown in German and saves nothing."""

from datetime import date

import pytest
from django.utils import timezone

from openamt.accounts.models import User
from openamt.cases.models import (
    Case,
    DecisionTemplate,
    FilingPlanEntry,
    ServiceDeadline,
    Team,
)
from openamt.catalogue.models import Service
from openamt.core.models import AuditEntry
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.services import authority_role_grant

TEAMS = "/verwaltung/behoerden/{pk}/teams/"
PLAN = "/verwaltung/behoerden/{pk}/aktenplan/"
TEMPLATES = "/verwaltung/behoerden/{pk}/bescheidvorlagen/"
DEADLINES = "/verwaltung/behoerden/{pk}/fristen/"


@pytest.fixture
def services(register) -> list[Service]:
    return list(Service.objects.order_by("pk")[:3])


@pytest.fixture
def erfurt_auditor(erfurt) -> User:
    user = User.objects.create_user(username="erfurt.lesen", password="ein-langes-test-passwort")
    authority_role_grant(actor=None, user=user, authority=erfurt, role=AuthorityRoleName.READ_ONLY)
    return user


def _audit(action: str) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(action=action)
        .order_by("id")
        .values_list("actor_id", "object_id", "authority_id", "changes")
    )


def _html(response) -> str:
    return response.content.decode()


def _error_shown(response, message: str) -> None:
    """The message stands next to the field and in the error summary."""
    assert response.status_code == 422
    html = _html(response)
    assert 'class="kern-alert kern-alert--danger error-summary"' in html
    assert html.count(message) == 2, html


# Teams


def test_an_admin_creates_renames_staffs_and_removes_a_team(
    client_as, erfurt_admin, erfurt_caseworker, erfurt
):
    client = client_as(erfurt_admin)
    url = TEAMS.format(pk=erfurt.pk)
    response = client.post(
        url, {"aktion": "speichern", "name": " Hundesteuer ", "members": [erfurt_caseworker.pk]}
    )
    assert response.status_code == 302
    assert response["Location"] == url
    team = Team.objects.get()
    assert (team.authority, team.name) == (erfurt, "Hundesteuer")
    assert list(team.members.all()) == [erfurt_caseworker]
    assert _audit("team.create") == [
        (
            erfurt_admin.pk,
            str(team.pk),
            erfurt.pk,
            {"name": "Hundesteuer", "members": [erfurt_caseworker.pk]},
        )
    ]
    page = _html(client.get(url, {"bearbeiten": team.pk}))
    assert "Team ändern: Hundesteuer" in page
    assert f'name="eintrag" value="{team.pk}"' in page
    assert f'value="{erfurt_caseworker.pk}" checked' in page

    response = client.post(
        url,
        {
            "aktion": "speichern",
            "eintrag": team.pk,
            "name": "Steuern",
            "members": [erfurt_caseworker.pk, erfurt_admin.pk],
        },
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "Steuern"
    assert set(team.members.all()) == {erfurt_caseworker, erfurt_admin}
    assert _audit("team.update") == [
        (
            erfurt_admin.pk,
            str(team.pk),
            erfurt.pk,
            {
                "name": ["Hundesteuer", "Steuern"],
                "members": [
                    [erfurt_caseworker.pk],
                    sorted([erfurt_caseworker.pk, erfurt_admin.pk]),
                ],
            },
        )
    ]
    assert client.post(url, {"aktion": f"loeschen:{team.pk}"})["Location"] == url
    assert not Team.objects.exists()
    assert _audit("team.delete") == [
        (erfurt_admin.pk, str(team.pk), erfurt.pk, {"name": "Steuern"})
    ]


def test_team_input_the_rules_refuse_saves_nothing(
    client_as, erfurt_admin, erfurt_auditor, lindenberg_admin, erfurt
):
    client = client_as(erfurt_admin)
    url = TEAMS.format(pk=erfurt.pk)
    Team.objects.create(authority=erfurt, name="Pass")
    before = AuditEntry.objects.count()
    _error_shown(
        client.post(url, {"aktion": "speichern", "name": ""}), "Bitte geben Sie „Name“ an."
    )
    _error_shown(
        client.post(url, {"aktion": "speichern", "name": "Pass"}),
        "Ein Team mit diesem Namen gibt es schon.",
    )
    only = (
        "Mitglied eines Teams kann nur sein, wer in dieser Behörde "
        "Sachbearbeitung oder Administration ist."
    )
    for outsider in (erfurt_auditor, lindenberg_admin):
        response = client.post(
            url, {"aktion": "speichern", "name": "Neu", "members": [outsider.pk]}
        )
        assert response.status_code == 422
        assert only in _html(response)
    assert list(Team.objects.values_list("name", flat=True)) == ["Pass"]
    assert AuditEntry.objects.count() == before


# Aktenplan


def test_an_admin_keeps_the_filing_plan(client_as, erfurt_admin, erfurt, services):
    client = client_as(erfurt_admin)
    url = PLAN.format(pk=erfurt.pk)
    one, two, three = services
    data = {
        "aktion": "speichern",
        "code": "022.31",
        "title": "Hundesteuer",
        "retention_years": "6",
        "appraisal": "V",
        "services": f"{one.leika_key}\n{two.leika_key}",
    }
    assert client.post(url, data)["Location"] == url
    entry = FilingPlanEntry.objects.get()
    assert (entry.code, entry.title, entry.retention_years, entry.appraisal) == (
        "022.31",
        "Hundesteuer",
        6,
        "V",
    )
    assert set(entry.services.all()) == {one, two}
    assert _audit("filing_plan_entry.create") == [
        (
            erfurt_admin.pk,
            str(entry.pk),
            erfurt.pk,
            {
                "code": "022.31",
                "title": "Hundesteuer",
                "retention_years": 6,
                "appraisal": "V",
                "services": sorted([one.leika_key, two.leika_key]),
            },
        )
    ]
    page = _html(client.get(url))
    assert "022.31" in page
    assert "6 Jahre" in page
    assert "vernichten" in page
    changed = {**data, "eintrag": entry.pk, "retention_years": "100", "services": three.leika_key}
    assert client.post(url, changed)["Location"] == url
    entry.refresh_from_db()
    assert entry.retention_years == 100
    assert list(entry.services.all()) == [three]
    assert _audit("filing_plan_entry.update")[0][3] == {
        "retention_years": [6, 100],
        "services": [sorted([one.leika_key, two.leika_key]), [three.leika_key]],
    }
    assert client.post(url, {"aktion": f"loeschen:{entry.pk}"})["Location"] == url
    assert not FilingPlanEntry.objects.exists()
    assert _audit("filing_plan_entry.delete") == [
        (erfurt_admin.pk, str(entry.pk), erfurt.pk, {"code": "022.31", "title": "Hundesteuer"})
    ]


def test_filing_plan_input_the_rules_refuse_saves_nothing(
    client_as, erfurt_admin, erfurt, lindenberg, services
):
    client = client_as(erfurt_admin)
    url = PLAN.format(pk=erfurt.pk)
    one, two, _ = services
    taken = FilingPlanEntry.objects.create(authority=erfurt, code="100", title="Vorhanden")
    taken.services.add(one)
    # Another authority's plan does not count.
    FilingPlanEntry.objects.create(authority=lindenberg, code="200", title="Dort").services.add(two)
    before = (AuditEntry.objects.count(), FilingPlanEntry.objects.count())
    good = {"aktion": "speichern", "code": "200", "title": "Neu", "retention_years": "10"}
    good["appraisal"] = "A"
    _error_shown(
        client.post(url, {**good, "code": "100"}), "Dieses Aktenplankennzeichen gibt es schon."
    )
    for years in ("101", "-1"):
        _error_shown(
            client.post(url, {**good, "retention_years": years}),
            "Die Aufbewahrungsfrist liegt zwischen 0 und 100 Jahren.",
        )
    _error_shown(
        client.post(url, {**good, "services": f"{two.leika_key}, {one.leika_key}"}),
        f"„{one.name}“ gehört schon zum Aktenplaneintrag „100“.",
    )
    _error_shown(client.post(url, {**good, "title": " "}), "Bitte geben Sie „Betreff“ an.")
    _error_shown(
        client.post(url, {**good, "services": f"{two.leika_key}\nX-GIBT-ES-NICHT"}),
        "Den Leistungsschlüssel „X-GIBT-ES-NICHT“ gibt es nicht.",
    )
    _error_shown(
        client.post(url, {**good, "appraisal": "X"}), "Bitte wählen Sie einen Bewertungsvorschlag."
    )
    assert (AuditEntry.objects.count(), FilingPlanEntry.objects.count()) == before
    assert list(taken.services.all()) == [one]


def test_an_entry_with_cases_filed_under_it_stays(client_as, erfurt_admin, erfurt, services):
    entry = FilingPlanEntry.objects.create(authority=erfurt, code="100", title="Hundesteuer")
    Case.objects.create(
        authority=erfurt,
        reference="V-1",
        file_number="100-1",
        service=services[0],
        filing_plan_entry=entry,
        applicant_name="Moxa",
        received_at=timezone.now(),
    )
    before = AuditEntry.objects.count()
    client = client_as(erfurt_admin)
    url = PLAN.format(pk=erfurt.pk)
    response = client.post(url, {"aktion": f"loeschen:{entry.pk}"}, follow=True)
    assert "Unter diesem Eintrag sind Vorgänge abgelegt; er kann nicht entfernt werden." in _html(
        response
    )
    assert FilingPlanEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEntry.objects.count() == before


# Bescheidvorlagen

TEMPLATE = {
    "aktion": "speichern",
    "title": "Hundesteuer festsetzen",
    "subject": "Ihr Antrag {{ vorgangsnummer }}",
    "operative": "Die Hundesteuer wird festgesetzt, {{ antragsteller }}.",
    "reasons": "",
    "fee_euros": "30,50",
    "fee_legal_basis": "§ 1 Verwaltungskostensatzung",
    "legal_remedy": "Gegen diesen Bescheid kann Widerspruch erhoben werden.",
    "cosign_required": "on",
    "active": "on",
}


def test_an_admin_keeps_decision_templates(client_as, erfurt_admin, erfurt, services):
    client = client_as(erfurt_admin)
    url = TEMPLATES.format(pk=erfurt.pk)
    page = _html(client.get(url))
    assert "{{ antragsteller }}" in page
    assert "Name des Antragstellers" in page
    assert client.post(url, {**TEMPLATE, "service": services[0].leika_key})["Location"] == url
    template = DecisionTemplate.objects.get()
    assert (template.authority, template.service, template.fee_cents) == (erfurt, services[0], 3050)
    assert (template.cosign_required, template.active) == (True, True)
    assert template.subject == "Ihr Antrag {{ vorgangsnummer }}"
    assert _audit("decision_template.create") == [
        (
            erfurt_admin.pk,
            str(template.pk),
            erfurt.pk,
            {
                "service": services[0].leika_key,
                "title": "Hundesteuer festsetzen",
                "subject": "Ihr Antrag {{ vorgangsnummer }}",
                "operative": "Die Hundesteuer wird festgesetzt, {{ antragsteller }}.",
                "reasons": "",
                "fee_cents": 3050,
                "fee_legal_basis": "§ 1 Verwaltungskostensatzung",
                "legal_remedy": "Gegen diesen Bescheid kann Widerspruch erhoben werden.",
                "cosign_required": True,
                "active": True,
            },
        )
    ]
    page = _html(client.get(url))
    assert "30,50 €" in page
    assert "nötig" in page
    assert 'value="30,50"' in _html(client.get(url, {"bearbeiten": template.pk}))
    # For all services, free of charge, inactive (unticked boxes are not sent).
    changed = {**TEMPLATE, "eintrag": template.pk, "service": "", "fee_euros": "", "active": ""}
    del changed["cosign_required"]
    assert client.post(url, changed)["Location"] == url
    template.refresh_from_db()
    assert (template.service, template.fee_cents, template.active) == (None, 0, False)
    assert "alle Leistungen" in _html(client.get(url))
    assert _audit("decision_template.update")[0][3] == {
        "service": [services[0].leika_key, None],
        "fee_cents": [3050, 0],
        "cosign_required": [True, False],
        "active": [True, False],
    }
    assert client.post(url, {"aktion": f"loeschen:{template.pk}"})["Location"] == url
    assert not DecisionTemplate.objects.exists()
    assert _audit("decision_template.delete") == [
        (erfurt_admin.pk, str(template.pk), erfurt.pk, {"title": "Hundesteuer festsetzen"})
    ]


def test_decision_template_input_the_rules_refuse_saves_nothing(client_as, erfurt_admin, erfurt):
    client = client_as(erfurt_admin)
    url = TEMPLATES.format(pk=erfurt.pk)
    before = AuditEntry.objects.count()
    _error_shown(
        client.post(url, {**TEMPLATE, "fee_legal_basis": ""}),
        "Zu einer Gebühr gehört ihre Rechtsgrundlage: bitte angeben.",
    )
    _error_shown(
        client.post(url, {**TEMPLATE, "legal_remedy": ""}),
        "Bitte geben Sie „Rechtsbehelfsbelehrung“ an.",
    )
    _error_shown(
        client.post(url, {**TEMPLATE, "fee_euros": "-1"}), "Die Gebühr kann nicht negativ sein."
    )
    _error_shown(
        client.post(url, {**TEMPLATE, "fee_euros": "zehn"}),
        "Bitte geben Sie die Gebühr als Betrag in Euro an, zum Beispiel 30,00.",
    )
    _error_shown(
        client.post(url, {**TEMPLATE, "fee_euros": "1,005"}),
        "Bitte höchstens zwei Nachkommastellen (Cent).",
    )
    response = client.post(url, {**TEMPLATE, "operative": "Sehr geehrte/r {{ nmae }}"})
    assert response.status_code == 422
    assert "Den Platzhalter „{{ nmae }}“ gibt es nicht." in _html(response)
    assert 'id="id_operative-error"' in _html(response)
    assert not DecisionTemplate.objects.exists()
    assert AuditEntry.objects.count() == before


# Bearbeitungsfristen

DEADLINE = {
    "aktion": "speichern",
    "processing_working_days": "20",
    "warning_working_days": "5",
    "fiction_months": "3",
    "legal_basis": "Dienstanweisung Nr. 4",
    "valid_from": "01.01.2026",
    "valid_to": "",
}


def test_an_admin_sets_own_deadlines_beside_the_land_defaults(
    client_as, erfurt_admin, erfurt, lindenberg, services
):
    one = services[0]
    ServiceDeadline.objects.create(
        service=one,
        processing_working_days=40,
        legal_basis="Landesvorgabe X",
        valid_from=date(2020, 1, 1),
    )
    ServiceDeadline.objects.create(
        service=one,
        authority=lindenberg,
        processing_working_days=11,
        legal_basis="Lindenberger Weisung",
        valid_from=date(2020, 1, 1),
    )
    client = client_as(erfurt_admin)
    url = DEADLINES.format(pk=erfurt.pk)
    page = _html(client.get(url))
    assert "Landesvorgabe X" in page
    assert "40 Arbeitstage" in page
    assert "Lindenberger Weisung" not in page
    data = {
        **DEADLINE,
        "service": one.leika_key,
        "approval_fiction": "on",
        "fiction_legal_basis": "§ 6a BauO",
    }
    assert client.post(url, data)["Location"] == url
    row = ServiceDeadline.objects.get(authority=erfurt)
    assert (row.service, row.processing_working_days, row.warning_working_days) == (one, 20, 5)
    assert (row.approval_fiction, row.fiction_months, row.fiction_legal_basis) == (
        True,
        3,
        "§ 6a BauO",
    )
    assert (row.valid_from, row.valid_to) == (date(2026, 1, 1), None)
    assert _audit("service_deadline.create") == [
        (
            erfurt_admin.pk,
            str(row.pk),
            erfurt.pk,
            {
                "service": one.leika_key,
                "processing_working_days": 20,
                "warning_working_days": 5,
                "approval_fiction": True,
                "fiction_months": 3,
                "fiction_legal_basis": "§ 6a BauO",
                "legal_basis": "Dienstanweisung Nr. 4",
                "valid_from": "2026-01-01",
                "valid_to": None,
                "cases_recomputed": 0,
            },
        )
    ]
    changed = {**DEADLINE, "eintrag": row.pk, "service": one.leika_key, "valid_to": "31.12.2026"}
    assert client.post(url, changed)["Location"] == url
    row.refresh_from_db()
    assert (row.approval_fiction, row.valid_to) == (False, date(2026, 12, 31))
    assert _audit("service_deadline.update")[0][3] == {
        "approval_fiction": [True, False],
        "fiction_legal_basis": ["§ 6a BauO", ""],
        "valid_to": [None, "2026-12-31"],
        "cases_recomputed": 0,
    }
    assert client.post(url, {"aktion": f"loeschen:{row.pk}"})["Location"] == url
    assert not ServiceDeadline.objects.filter(authority=erfurt).exists()
    assert _audit("service_deadline.delete") == [
        (
            erfurt_admin.pk,
            str(row.pk),
            erfurt.pk,
            {"service": one.leika_key, "valid_from": "2026-01-01", "cases_recomputed": 0},
        )
    ]
    assert ServiceDeadline.objects.count() == 2  # the Land's and Lindenberg's stay


def test_deadline_input_the_rules_refuse_saves_nothing(client_as, erfurt_admin, erfurt, services):
    one = services[0]
    ServiceDeadline.objects.create(
        service=one,
        authority=erfurt,
        processing_working_days=15,
        legal_basis="Bisher",
        valid_from=date(2025, 1, 1),
    )
    client = client_as(erfurt_admin)
    url = DEADLINES.format(pk=erfurt.pk)
    before = (AuditEntry.objects.count(), ServiceDeadline.objects.count())
    data = {
        **DEADLINE,
        "service": one.leika_key,
        "valid_from": "01.01.2024",
        "valid_to": "31.12.2024",
    }
    _error_shown(
        client.post(url, {**data, "warning_working_days": "20"}),
        "Die Warnung muss vor dem Fristende liegen.",
    )
    _error_shown(
        client.post(url, {**data, "approval_fiction": "on"}),
        "Eine Genehmigungsfiktion gilt nur, wo eine Rechtsvorschrift sie anordnet: bitte angeben.",
    )
    _error_shown(
        client.post(url, {**data, "valid_to": "31.12.2023"}),
        "Das Ende liegt vor dem Beginn der Gültigkeit.",
    )
    response = client.post(url, {**data, "valid_to": ""})  # open-ended: runs into 2025
    assert response.status_code == 422
    assert "Die Gültigkeit überschneidet sich mit" in _html(response)
    _error_shown(
        client.post(url, {**data, "service": ""}),
        "Bitte geben Sie „Leistung (Leistungsschlüssel)“ an.",
    )
    _error_shown(
        client.post(url, {**data, "service": "00000000000000"}),
        "Den Leistungsschlüssel „00000000000000“ gibt es nicht.",
    )
    _error_shown(
        client.post(url, {**data, "valid_from": "2024-13-01"}),
        "Bitte geben Sie ein Datum als TT.MM.JJJJ an.",
    )
    assert (AuditEntry.objects.count(), ServiceDeadline.objects.count()) == before
    # Before the existing row and ending in time: allowed.
    assert client.post(url, data)["Location"] == url
