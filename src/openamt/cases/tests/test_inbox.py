"""The inbox's selectors and the case search: every filter and sort with the
exact rows, search by name, reference, Aktenzeichen and answer words, and
scoping to the authority and team."""

import pytest

from openamt.accounts.models import User
from openamt.cases.constants import CaseStatus
from openamt.cases.inbox import (
    ALL,
    ME,
    NO_TEAM,
    NOBODY,
    InboxQuery,
    inbox_access,
    inbox_cases,
    inbox_choices,
    inbox_selected,
    transition_blockers,
)
from openamt.cases.models import Case, FilingPlanEntry
from openamt.cases.search import case_search
from openamt.cases.tests.inbox_data import TODAY, build_world, open_case
from openamt.core.errors import NotFound
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.services import authority_role_grant


@pytest.fixture
def world(erfurt, lindenberg):
    return build_world(erfurt, lindenberg)


def names(world, user=None, **query) -> list[str]:
    rows = inbox_cases(
        user=user or world["chef"],
        authority_id=world["erfurt"].pk,
        query=InboxQuery(**query),
        today=TODAY,
    )
    return [case.applicant_name.split()[0] for case in rows]


def test_the_default_lists_the_open_cases_newest_first(world):
    assert names(world) == ["Greta", "Maria", "Petra", "Jörg", "Erika", "Hans"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (ALL, ["Greta", "Maria", "Karl", "Uwe", "Petra", "Jörg", "Erika", "Hans"]),
        (CaseStatus.NEW, ["Petra", "Hans"]),
        (CaseStatus.IN_PROGRESS, ["Greta", "Erika"]),
        (CaseStatus.WAITING_APPLICANT, ["Jörg"]),
        (CaseStatus.WAITING_PARTIES, ["Maria"]),
        (CaseStatus.DECIDED, ["Uwe"]),
        (CaseStatus.CLOSED, ["Karl"]),
        (CaseStatus.DISPOSED, []),
    ],
)
def test_the_status_filter(world, status, expected):
    assert names(world, status=status) == expected


def test_the_service_filter(world):
    assert names(world, service_id=world["dogs"].pk) == ["Greta", "Erika", "Hans"]
    assert names(world, service_id=world["other"].pk, status=ALL) == ["Maria", "Petra", "Jörg"]


def test_the_assignee_filter_mine_nobodys_and_a_persons(world):
    assert names(world, user=world["anna"], assignee=ME) == ["Petra", "Erika"]
    assert names(world, assignee=NOBODY) == ["Maria", "Hans"]
    assert names(world, assignee=str(world["bert"].pk), status=ALL) == ["Uwe", "Jörg"]
    assert names(world, assignee=ME) == ["Greta"]  # the administrator's own


def test_the_team_filter(world):
    assert names(world, team=str(world["north"].pk), status=ALL) == ["Uwe", "Erika"]
    assert names(world, team=str(world["south"].pk)) == ["Greta", "Jörg"]
    assert names(world, team=NO_TEAM) == ["Maria", "Petra", "Hans"]


def test_overdue_means_open_and_past_the_deadline(world):
    # Karl (closed) and Uwe (decided) are past their deadline but no longer open;
    # Erika's deadline is today: not yet overdue.
    assert names(world, overdue=True, status=ALL) == ["Hans"]
    row = inbox_cases(
        user=world["chef"], authority_id=world["erfurt"].pk, query=InboxQuery(), today=TODAY
    )
    flags = {c.applicant_name.split()[0]: (c.is_overdue, c.is_resubmission_due) for c in row}
    assert flags == {
        "Greta": (False, False),
        "Maria": (False, False),
        "Petra": (False, True),
        "Jörg": (False, False),
        "Erika": (False, True),
        "Hans": (True, False),
    }


def test_resubmission_today_or_earlier(world):
    assert names(world, resubmission_due=True) == ["Petra", "Erika"]


def test_filters_combine(world):
    assert names(world, service_id=world["dogs"].pk, assignee=NOBODY, status=ALL) == [
        "Karl",
        "Hans",
    ]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-eingang", ["Greta", "Maria", "Karl", "Uwe", "Petra", "Jörg", "Erika", "Hans"]),
        ("eingang", ["Hans", "Erika", "Jörg", "Petra", "Uwe", "Karl", "Maria", "Greta"]),
        # Without a deadline last, whichever way.
        ("frist", ["Uwe", "Hans", "Karl", "Erika", "Jörg", "Maria", "Petra", "Greta"]),
        ("-frist", ["Maria", "Jörg", "Erika", "Karl", "Hans", "Uwe", "Greta", "Petra"]),
        # High first, then the oldest first.
        ("prioritaet", ["Erika", "Karl", "Greta", "Hans", "Petra", "Uwe", "Maria", "Jörg"]),
        ("-prioritaet", ["Jörg", "Maria", "Uwe", "Petra", "Hans", "Greta", "Karl", "Erika"]),
        # In the order of the workflow.
        ("status", ["Hans", "Petra", "Erika", "Greta", "Jörg", "Maria", "Uwe", "Karl"]),
        ("-status", ["Karl", "Uwe", "Maria", "Jörg", "Greta", "Erika", "Petra", "Hans"]),
    ],
)
def test_each_sort_both_ways(world, sort, expected):
    assert names(world, sort=sort, status=ALL) == expected


def test_team_scoping_a_team_member_sees_her_teams_and_unteamed_cases(world):
    # Anna is in "Nord": she sees Nord's and team-less cases, never Süd's.
    assert names(world, user=world["anna"], status=ALL) == [
        "Maria",
        "Uwe",
        "Petra",
        "Erika",
        "Hans",
    ]
    assert names(world, user=world["anna"], q="Lange") == []
    assert names(world, user=world["anna"], team=str(world["south"].pk), status=ALL) == []
    # Bert is in no team: he sees every case of Erfurt.
    assert len(names(world, user=world["bert"], status=ALL)) == 8


def test_search_by_applicant_name_never_shows_another_authority(world):
    assert names(world, q="Müller", status=ALL) == ["Greta", "Hans"]
    assert names(world, q="muller hans", status=ALL) == ["Hans"]
    assert names(world, q="Müller-Lüdenscheid", status=ALL) == ["Greta"]
    assert names(world, q="Frühling") == ["Maria"]
    # Lindenberg's Hans Müller is never in Erfurt's inbox, nor Erfurt's in his.
    lindenberg = inbox_cases(
        user=world["stranger"],
        authority_id=world["namesake"].authority_id,
        query=InboxQuery(q="Hans Müller"),
        today=TODAY,
    )
    assert [c.pk for c in lindenberg] == [world["namesake"].pk]


def test_search_by_reference_finds_exactly_that_case(world):
    hans, maria = world["cases"]["Hans"], world["cases"]["Maria"]
    # Lindenberg's first case has the same number as Erfurt's first: only Erfurt's shows.
    assert world["namesake"].reference == hans.reference
    assert names(world, q=hans.reference, status=ALL) == ["Hans"]
    assert names(world, q=maria.reference, status=ALL) == ["Maria"]
    assert names(world, q=f"  {maria.reference} ", status=ALL) == ["Maria"]


def test_search_by_aktenzeichen(world, erfurt):
    entry = FilingPlanEntry.objects.create(authority=erfurt, code="022.31", title="Hundesteuer")
    entry.services.add(world["dogs"])
    case = open_case(world["chef"], erfurt, world["dogs"], "Ida Kranich")
    assert case.file_number == f"022.31-{case.reference}"
    assert names(world, q=case.file_number) == ["Ida"]
    assert names(world, q="022.31") == ["Ida"]
    # A number that only shares the year is no match.
    assert names(world, q=f"022.31-{case.reference[:5]}999999") == []


def test_search_by_service_name_and_address(world):
    assert names(world, q="Fischmarkt", status=CaseStatus.NEW) == ["Petra", "Hans"]
    first_word = world["other"].name.split()[0]
    assert set(names(world, q=first_word, status=ALL)) >= {"Maria", "Petra", "Jörg"}


def test_search_by_a_word_of_the_answers(fresh_case):
    caseworker = User.objects.create_user(username="ranis.sb")
    authority_role_grant(
        actor=None,
        user=caseworker,
        authority=fresh_case.authority,
        role=AuthorityRoleName.CASEWORKER,
    )
    for q in ("Bello", "bello", "Rex", "Mustermann", fresh_case.reference):
        rows = inbox_cases(
            user=caseworker,
            authority_id=fresh_case.authority_id,
            query=InboxQuery(q=q),
            today=TODAY,
        )
        assert [c.pk for c in rows] == [fresh_case.pk], q
    nothing = inbox_cases(
        user=caseworker,
        authority_id=fresh_case.authority_id,
        query=InboxQuery(q="Bello Waldi"),
        today=TODAY,
    )
    assert list(nothing) == []


def test_a_query_without_words_finds_nothing_and_breaks_nothing(world):
    for q in ('"', "*", "-", "AND", "(", "a:b", "%", "_", "'", "\\"):
        assert names(world, q=q, status=ALL) == [], q


def test_search_is_scoped_to_the_authority_given(world):
    # The selector filters the authority itself, even from a wider queryset.
    everything = Case.objects.all()
    found = case_search(everything, authority_id=world["erfurt"].pk, q="Hans Müller")
    assert [c.pk for c in found] == [world["cases"]["Hans"].pk]


def test_choices_of_the_forms(world):
    choices = inbox_choices(authority_id=world["erfurt"].pk)
    assert choices.services == sorted(
        [(world["dogs"].pk, world["dogs"].name), (world["other"].pk, world["other"].name)],
        key=lambda pair: pair[1].casefold(),
    )
    assert choices.teams == [(world["north"].pk, "Nord"), (world["south"].pk, "Süd")]
    # Caseworkers and administrators (not the auditor): who may be given cases.
    assert [label for _, label in choices.staff] == [
        "Anna Berg",
        "Bert Zorn",
        "Clara Chef",
    ]


def test_access_needs_a_case_role_in_the_authority(world, land_admin, lindenberg):
    authority, roles = inbox_access(user=world["auditor"], authority_id=world["erfurt"].pk)
    assert (authority, roles) == (world["erfurt"], {AuthorityRoleName.READ_ONLY})
    for user in (world["stranger"], land_admin):
        with pytest.raises(NotFound):
            inbox_access(user=user, authority_id=world["erfurt"].pk)


def test_selected_cases_come_only_from_the_users_list(world):
    cases = world["cases"]
    wanted = [cases["Karl"].public_id, cases["Erika"].public_id, world["namesake"].public_id]
    found = inbox_selected(user=world["anna"], authority_id=world["erfurt"].pk, public_ids=wanted)
    # Karl is Süd's (Anna is in Nord), the namesake Lindenberg's.
    assert [c.pk for c in found] == [cases["Erika"].pk]
    assert [c.applicant_name for c in transition_blockers(found, CaseStatus.WAITING_PARTIES)] == []
    assert [c.pk for c in transition_blockers([cases["Hans"]], CaseStatus.DECIDED)] == [
        cases["Hans"].pk
    ]


def test_the_list_reads_no_answers_and_no_search_document(world):
    rows = inbox_cases(
        user=world["chef"], authority_id=world["erfurt"].pk, query=InboxQuery(), today=TODAY
    )
    columns = str(rows.query).split(" FROM ")[0]
    for absent in ("search_document", "applicant_address", "tags", "submission_id"):
        assert absent not in columns, absent
    assert "applicant_name" in columns
