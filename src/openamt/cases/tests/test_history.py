"""The history of a case: its own audit entries only, oldest first, with
names looked up and actions in German."""

from openamt.cases.history import case_history
from openamt.cases.models import Case, Team
from openamt.cases.services import case_open, case_transition, case_update, cases_assign
from openamt.catalogue.models import Service
from openamt.core.audit import audit_record


def test_history_names_people_and_says_what_happened(
    erfurt, erfurt_admin, erfurt_caseworker, django_assert_max_num_queries
):
    erfurt_admin.first_name, erfurt_admin.last_name = "Jana", "Roth"
    erfurt_admin.save()
    service = Service.objects.get(leika_key="99102013000000")

    def opened(name: str) -> Case:
        return case_open(
            actor=erfurt_admin,
            authority=erfurt,
            service=service,
            channel="schalter",
            applicant_name=name,
            applicant_address={},
        )

    case, other = opened("Erika Mustermann"), opened("Max Muster")
    team = Team.objects.create(authority=erfurt, name="Steuern")
    cases_assign(actor=erfurt_admin, cases=[case], assignee=erfurt_caseworker, team=team)
    case_transition(actor=erfurt_caseworker, case=case, to="abgeschlossen", reason="zurückgezogen")
    case_update(actor=erfurt_caseworker, case=case, priority=3, tags=[], resubmission_on=None)
    case_transition(actor=erfurt_admin, case=other, to="in_bearbeitung")
    audit_record(actor=None, action="case.archive_offer", target=case, authority_id=erfurt.pk)
    with django_assert_max_num_queries(3):
        history = case_history(case=case)
    assert [(e.actor, e.label, e.details) for e in history] == [
        ("Jana Roth", "Vorgang angelegt", "von Hand angelegt"),
        ("Jana Roth", "Zuständigkeit geändert", "Bearbeitung: erfurt.sb; Team: Steuern"),
        ("erfurt.sb", "Status geändert", "neu → abgeschlossen (zurückgezogen)"),
        ("erfurt.sb", "Priorität, Schlagworte oder Wiedervorlage geändert", "Priorität: niedrig"),
        ("System", "case.archive_offer", ""),
    ]
    assert history[0].created_at <= history[-1].created_at
