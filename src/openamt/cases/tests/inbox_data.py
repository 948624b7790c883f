"""Cases for the inbox's tests: eight in Erfurt (two services, two teams,
three staff and an auditor) and a namesake's in Lindenberg."""

import datetime

from django.utils import timezone

from openamt.accounts.models import User
from openamt.cases.constants import CaseStatus, Channel
from openamt.cases.models import Case, Team
from openamt.cases.services import case_open
from openamt.catalogue.models import Service
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.models import Authority
from openamt.organisations.services import authority_role_grant

TODAY = timezone.localdate()
ADDRESS = {"street": "Fischmarkt 1", "postcode": "99084", "city": "Erfurt"}


def _staff(username: str, authority: Authority, role: str, first: str = "", last: str = "") -> User:
    user = User.objects.create_user(username=username, first_name=first, last_name=last)
    authority_role_grant(actor=None, user=user, authority=authority, role=role)
    return user


def open_case(actor: User, authority: Authority, service: Service, name: str, **fields) -> Case:
    """A paper case opened by hand, then given the fields the test needs."""
    case = case_open(
        actor=actor,
        authority=authority,
        service=service,
        channel=Channel.PAPER,
        applicant_name=name,
        applicant_address=ADDRESS,
    )
    fields.setdefault("assignee", None)
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def build_world(erfurt: Authority, lindenberg: Authority) -> dict:
    """Erfurt with eight cases of two services, two teams and three staff;
    Lindenberg with one case of a namesake."""
    dogs = Service.objects.get(leika_key="99102013000000")
    other = Service.objects.exclude(pk=dogs.pk).filter(in_leika=True).order_by("pk").first()
    anna = _staff("anna", erfurt, AuthorityRoleName.CASEWORKER, "Anna", "Berg")
    bert = _staff("bert", erfurt, AuthorityRoleName.CASEWORKER, "Bert", "Zorn")
    chef = _staff("chef", erfurt, AuthorityRoleName.ADMIN, "Clara", "Chef")
    auditor = _staff("pruefer", erfurt, AuthorityRoleName.READ_ONLY)
    north = Team.objects.create(authority=erfurt, name="Nord")
    south = Team.objects.create(authority=erfurt, name="Süd")
    north.members.add(anna)
    day = datetime.timedelta(days=1)
    now = timezone.now()
    rows = [
        # name, service, status, assignee, team, received days ago, due, resubmission, priority
        ("Hans Müller", dogs, CaseStatus.NEW, None, None, 8, TODAY - 3 * day, None, 2),
        ("Erika Schulz", dogs, CaseStatus.IN_PROGRESS, anna, north, 7, TODAY, TODAY, 1),
        ("Jörg Lange", other, CaseStatus.WAITING_APPLICANT, bert, south, 6, TODAY + day, None, 3),
        ("Petra Sommer", other, CaseStatus.NEW, anna, None, 5, None, TODAY - day, 2),
        ("Uwe Winter", dogs, CaseStatus.DECIDED, bert, north, 4, TODAY - 9 * day, None, 2),
        ("Karl Herbst", dogs, CaseStatus.CLOSED, None, south, 3, TODAY - 2 * day, None, 1),
        (
            "Maria Frühling",
            other,
            CaseStatus.WAITING_PARTIES,
            None,
            None,
            2,
            TODAY + 5 * day,
            TODAY + day,
            2,
        ),
        ("Greta Müller-Lüdenscheid", dogs, CaseStatus.IN_PROGRESS, chef, south, 1, None, None, 1),
    ]
    cases = {}
    for name, service, status, assignee, team, ago, due, resubmission, priority in rows:
        cases[name.split()[0]] = open_case(
            chef,
            erfurt,
            service,
            name,
            status=status,
            assignee=assignee,
            team=team,
            received_at=now - ago * day,
            due_on=due,
            resubmission_on=resubmission,
            priority=priority,
        )
    stranger = _staff("fremd", lindenberg, AuthorityRoleName.ADMIN)
    namesake = open_case(stranger, lindenberg, dogs, "Hans Müller")
    return {
        "cases": cases,
        "namesake": namesake,
        "anna": anna,
        "bert": bert,
        "chef": chef,
        "auditor": auditor,
        "north": north,
        "south": south,
        "dogs": dogs,
        "other": other,
        "stranger": stranger,
        "erfurt": erfurt,
    }
