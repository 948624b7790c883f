"""Bekanntgabe, objection periods and processing deadlines with the seeded rules.

Every expected date is counted by hand in the comment beside it. Weekdays:
2024-12-20 Fri, 2025-01-02 Thu, 2025-03-03 Mon, 2025-04-17 Thu (Gründonnerstag),
2025-12-17 Wed, 2026-01-03 Sat. Thuringian holidays: see test_workdays.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from openamt.cases.models import (
    BekanntgabeChannel,
    BekanntgabeRule,
    Jurisdiction,
    ObjectionPeriod,
    Remedy,
    ServiceDeadline,
)
from openamt.cases.rules import (
    RuleAmbiguous,
    RuleNotFound,
    add_months,
    bekanntgabe_compute,
    objection_period_ends,
    objection_rule_on,
    processing_deadline,
    retrieval_overdue_on,
)
from openamt.catalogue.models import Service
from openamt.core.errors import InvalidInput
from openamt.organisations.constants import AuthorityKind
from openamt.organisations.models import Authority

pytestmark = pytest.mark.django_db

POST = BekanntgabeChannel.POST
ABRUF = BekanntgabeChannel.RETRIEVAL
LAND = Jurisdiction.LAND
BUND = Jurisdiction.FEDERAL


def by_post(posted_on: date, jurisdiction: str = LAND):
    return bekanntgabe_compute(channel=POST, jurisdiction=jurisdiction, posted_on=posted_on)


def widerspruch_ends(made_known_on: date) -> date:
    return objection_period_ends(
        objection_rule_on(remedy=Remedy.WIDERSPRUCH, on=made_known_on), made_known_on
    )


# --- post ----------------------------------------------------------------


def test_posted_on_the_thursday_before_easter():
    result = by_post(date(2025, 4, 17))
    # Fri 18 (1, Karfreitag), Sat 19 (2), Sun 20 (3), Mon 21 (4, Ostermontag): the
    # fiction day stays on the holiday under the VwVfG.
    assert result.made_known_on == date(2025, 4, 21)
    assert result.rule.days_after_event == 4
    assert "ThürVwVfG" in result.legal_basis
    assert "§ 41 Abs. 2 Satz 1 VwVfG" in result.legal_basis
    # Objection: 21.5.2025 (Wed), a working day.
    assert result.objection_period_ends_on == date(2025, 5, 21)
    assert result.retrieval_lapsed is False
    assert (result.retrieval_last_day, result.retrieval_overdue_on) == (None, None)


def test_posted_on_the_thursday_before_easter_2024_third_day_and_short_month():
    result = by_post(date(2024, 3, 28))
    # Three-day rule in 2024: Fri 29 (1), Sat 30 (2), Sun 31 (3, Ostersonntag).
    assert result.made_known_on == date(2024, 3, 31)
    # One month after 31 March: April has no 31st → 30 April (Tue, § 188 Abs. 3 BGB).
    assert result.objection_period_ends_on == date(2024, 4, 30)


def test_third_day_in_2024_fourth_day_in_2025():
    before = by_post(date(2024, 12, 20))
    # Fri 20.12.2024: Sat 21 (1), Sun 22 (2), Mon 23 (3).
    assert before.made_known_on == date(2024, 12, 23)
    assert before.rule.days_after_event == 3
    assert before.rule.valid_to == date(2024, 12, 31)
    # Objection: Thu 23.1.2025.
    assert before.objection_period_ends_on == date(2025, 1, 23)

    after = by_post(date(2025, 1, 2))
    # Thu 2.1.2025: Fri 3 (1), Sat 4 (2), Sun 5 (3), Mon 6 (4; Heilige Drei Könige is
    # no holiday in Thuringia).
    assert after.made_known_on == date(2025, 1, 6)
    assert after.rule.days_after_event == 4
    assert after.rule.valid_from == date(2025, 1, 1)
    assert after.objection_period_ends_on == date(2025, 2, 6)


def test_federal_rule_cites_the_postal_reform():
    after = by_post(date(2025, 1, 2), jurisdiction=BUND)
    assert after.made_known_on == date(2025, 1, 6)
    assert "Postrechtsmodernisierungsgesetz" in after.legal_basis
    assert after.rule.jurisdiction == BUND


def test_a_rule_change_mid_period_keeps_the_rule_of_the_posting_day():
    # Posted Mon 30.12.2024 under the three-day rule: Tue 31 (1), Wed 1.1. (2),
    # Thu 2.1. (3), although the fiction day lies in 2025 where the four-day rule
    # applies to letters posted from then on.
    result = by_post(date(2024, 12, 30))
    assert result.made_known_on == date(2025, 1, 2)
    assert result.rule.days_after_event == 3
    # Posted 31.12.2024: Wed 1 (1), Thu 2 (2), Fri 3 (3).
    assert by_post(date(2024, 12, 31)).made_known_on == date(2025, 1, 3)
    # Posted 1.1.2025 (four-day rule): 2, 3, 4, 5 → Sun 5.1.
    assert by_post(date(2025, 1, 1)).made_known_on == date(2025, 1, 5)


def test_fiction_day_on_a_saturday_stays_unless_the_rule_moves_it():
    # Tue 4.3.2025: Wed 5 (1), Thu 6 (2), Fri 7 (3), Sat 8 (4).
    result = by_post(date(2025, 3, 4))
    assert result.made_known_on == date(2025, 3, 8)
    assert result.objection_period_ends_on == date(2025, 4, 8)  # Tue

    # A rule that moves the day (as the AO does, § 108 Abs. 3 AO): Sat 8 → Mon 10.
    BekanntgabeRule.objects.filter(channel=POST, jurisdiction=LAND).update(
        fiction_moves_to_working_day=True
    )
    moved = by_post(date(2025, 3, 4))
    assert moved.made_known_on == date(2025, 3, 10)
    assert moved.objection_period_ends_on == date(2025, 4, 10)  # Thu
    # … and Gründonnerstag: Mon 21.4. Ostermontag → Tue 22.4.
    assert by_post(date(2025, 4, 17)).made_known_on == date(2025, 4, 22)


def test_electronic_transmission_follows_the_same_fiction():
    result = bekanntgabe_compute(
        channel=BekanntgabeChannel.ELECTRONIC, jurisdiction=LAND, posted_on=date(2025, 1, 2)
    )
    assert result.made_known_on == date(2025, 1, 6)
    assert "§ 41 Abs. 2 Satz 2 VwVfG" in result.legal_basis


# --- Postfach retrieval (§ 41 Abs. 2a VwVfG) -------------------------------


def by_retrieval(notified_on: date, retrieved_on: date | None = None, today: date | None = None):
    return bekanntgabe_compute(
        channel=ABRUF,
        jurisdiction=LAND,
        notified_on=notified_on,
        retrieved_on=retrieved_on,
        today=today,
    )


def test_retrieved_on_the_third_day_is_made_known_the_day_after():
    # Notified Mon 3.3.2025 (X), retrieved Thu 6.3. (X+3) → made known Fri 7.3. (X+4).
    result = by_retrieval(date(2025, 3, 3), date(2025, 3, 6))
    assert result.made_known_on == date(2025, 3, 7)
    assert result.retrieval_lapsed is False
    assert "§ 41 Abs. 2a VwVfG" in result.legal_basis
    # Objection: 7.4.2025 (Mon).
    assert result.objection_period_ends_on == date(2025, 4, 7)
    assert result.objection_rule is not None
    assert result.objection_rule.legal_basis == "§ 70 Abs. 1 Satz 1 VwGO"


def test_retrieved_the_same_day_or_on_a_friday():
    assert by_retrieval(date(2025, 3, 3), date(2025, 3, 3)).made_known_on == date(2025, 3, 4)
    # Retrieved Fri 7.3. → Sat 8.3.: the day after the retrieval, weekend or not.
    assert by_retrieval(date(2025, 3, 3), date(2025, 3, 7)).made_known_on == date(2025, 3, 8)


def test_ten_days_after_the_notification():
    notified = date(2025, 3, 3)  # Mon; the ten days are 4.3. … 13.3. (Thu)
    # Retrieved on the tenth day: still in time, made known Fri 14.3.
    in_time = by_retrieval(notified, date(2025, 3, 13))
    assert in_time.made_known_on == date(2025, 3, 14)
    assert in_time.retrieval_lapsed is False
    assert in_time.retrieval_last_day == date(2025, 3, 13)

    # Not retrieved yet, on the tenth day: nothing has lapsed, no alert.
    waiting = by_retrieval(notified, today=date(2025, 3, 13))
    assert (waiting.made_known_on, waiting.retrieval_lapsed) == (None, False)
    assert waiting.objection_period_ends_on is None

    # The day after the tenth: the provision has ended, the decision is not made known.
    lapsed = by_retrieval(notified, today=date(2025, 3, 14))
    assert (lapsed.made_known_on, lapsed.retrieval_lapsed) == (None, True)
    assert lapsed.retrieval_overdue_on == date(2025, 3, 14)
    assert lapsed.objection_period_ends_on is None

    # A retrieval after the period does not make it known.
    late = by_retrieval(notified, date(2025, 3, 14))
    assert (late.made_known_on, late.retrieval_lapsed) == (None, True)


def test_alert_day_is_the_day_after_the_tenth_day_not_before():
    # X = Mon 3.3.2025; X+10 = Thu 13.3. is the last day a retrieval counts; alert on X+11.
    assert retrieval_overdue_on(date(2025, 3, 3)) == date(2025, 3, 14)
    # Across a month end: X = Fri 21.2.2025 (2025 no leap year): 22.2. … 3.3. → alert Tue 4.3.
    assert retrieval_overdue_on(date(2025, 2, 21)) == date(2025, 3, 4)
    # The tenth day on a Saturday that is also Weltkindertag (X = Wed 10.9.2025,
    # X+10 = Sat 20.9.): not moved, the alert is due Sun 21.9.
    assert retrieval_overdue_on(date(2025, 9, 10)) == date(2025, 9, 21)
    assert retrieval_overdue_on(date(2025, 9, 10), jurisdiction=BUND) == date(2025, 9, 21)


def test_retrieval_period_end_moves_when_the_rule_says_so():
    BekanntgabeRule.objects.filter(channel=ABRUF, jurisdiction=LAND).update(
        retrieval_end_moves_to_working_day=True
    )
    # X+10 = Sat 20.9.2025 → Mon 22.9. is the last day; alert Tue 23.9.
    assert retrieval_overdue_on(date(2025, 9, 10)) == date(2025, 9, 23)


def test_no_land_retrieval_rule_before_2025_is_said_not_guessed():
    with pytest.raises(RuleNotFound):
        by_retrieval(date(2024, 6, 3), date(2024, 6, 4))
    federal = bekanntgabe_compute(
        channel=ABRUF,
        jurisdiction=BUND,
        notified_on=date(2024, 6, 3),
        retrieved_on=date(2024, 6, 4),
    )
    assert federal.made_known_on == date(2024, 6, 5)


def test_impossible_inputs():
    with pytest.raises(InvalidInput) as error:
        by_retrieval(date(2025, 3, 3), date(2025, 3, 2))
    assert error.value.field == "retrieved_on"
    with pytest.raises(InvalidInput) as error:
        bekanntgabe_compute(channel=POST, jurisdiction=LAND)
    assert error.value.field == "posted_on"
    with pytest.raises(InvalidInput) as error:
        bekanntgabe_compute(channel=ABRUF, jurisdiction=LAND, posted_on=date(2025, 3, 3))
    assert error.value.field == "notified_on"


# --- objection period ------------------------------------------------------


def test_objection_period_over_a_month_end():
    # 31 January + 1 month: February has no 31st → its last day (§ 188 Abs. 3 BGB).
    assert widerspruch_ends(date(2025, 1, 31)) == date(2025, 2, 28)  # Fri
    assert widerspruch_ends(date(2024, 1, 31)) == date(2024, 2, 29)  # Thu, leap year
    assert widerspruch_ends(date(2025, 2, 28)) == date(2025, 3, 28)  # Fri, not the 31st
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)


def test_objection_period_end_moves_over_holidays_and_weekends():
    # 20.8.2024 → Fri 20.9.2024 Weltkindertag → Sat, Sun → Mon 23.9.
    assert widerspruch_ends(date(2024, 8, 20)) == date(2024, 9, 23)
    # 18.3.2025 → Fri 18.4. Karfreitag → Sat, Sun, Mon 21.4. Ostermontag → Tue 22.4.
    assert widerspruch_ends(date(2025, 3, 18)) == date(2025, 4, 22)
    # 25.11.2025 → Thu 25.12. → Fri 26.12., Sat, Sun → Mon 29.12.
    assert widerspruch_ends(date(2025, 11, 25)) == date(2025, 12, 29)
    # 31.12.2024 → 31.1.2025 (Fri), across the year end.
    assert widerspruch_ends(date(2024, 12, 31)) == date(2025, 1, 31)


def test_objection_period_uses_the_land_of_the_installation(settings):
    settings.OPENAMT_HOLIDAY_SUBDIVISION = "SN"
    # No Weltkindertag in Saxony: Fri 20.9.2024 is the end.
    assert widerspruch_ends(date(2024, 8, 20)) == date(2024, 9, 20)


def test_klage_period():
    result = bekanntgabe_compute(
        channel=POST, jurisdiction=LAND, posted_on=date(2025, 1, 27), remedy=Remedy.KLAGE
    )
    # Mon 27.1.2025: 28, 29, 30, 31 → Fri 31.1.; one month → Fri 28.2.
    assert result.made_known_on == date(2025, 1, 31)
    assert result.objection_period_ends_on == date(2025, 2, 28)
    assert result.objection_rule is not None
    assert result.objection_rule.remedy == Remedy.KLAGE


# --- processing deadline -----------------------------------------------------


@pytest.fixture
def parking() -> Service:
    return Service.objects.create(
        leika_key="99001001000001", name="Bewohnerparkausweis", name_folded="bewohnerparkausweis"
    )


@pytest.fixture
def townhall() -> Authority:
    return Authority.objects.create(
        name="Stadtverwaltung Musterstadt",
        name_folded="stadtverwaltung musterstadt",
        kind=AuthorityKind.KREISFREIE_STADT,
    )


def land_deadline(service: Service, **fields) -> ServiceDeadline:
    values = {
        "processing_working_days": 10,
        "warning_working_days": 3,
        "valid_from": date(2020, 1, 1),
        "legal_basis": "Verwaltungsvorschrift (Beispiel)",
    }
    values.update(fields)
    return ServiceDeadline.objects.create(service=service, **values)


def test_processing_deadline_across_christmas_and_the_year_end(parking, townhall):
    rule = land_deadline(parking)
    result = processing_deadline(
        received_on=date(2025, 12, 17), service=parking, authority=townhall
    )
    assert result is not None
    # Wed 17.12.2025: Thu 18 (1), Fri 19 (2), Mon 22 (3), Tue 23 (4), Wed 24 (5),
    # [25, 26 holidays, weekend], Mon 29 (6), Tue 30 (7), Wed 31 (8), [Thu 1.1.],
    # Fri 2.1. (9), [weekend], Mon 5.1.2026 (10).
    assert result.due_on == date(2026, 1, 5)
    # Three working days back: Fri 2.1. (1), [1.1.], Wed 31.12. (2), Tue 30.12. (3).
    assert result.warning_on == date(2025, 12, 30)
    assert (result.fiction_period_ends_on, result.fiction_on, result.fiction_warning_on) == (
        None,
        None,
        None,
    )
    assert result.rule == rule


def test_genehmigungsfiktion_three_months_from_a_saturday_receipt(parking, townhall):
    land_deadline(
        parking,
        approval_fiction=True,
        fiction_legal_basis="§ 42a VwVfG i. V. m. der Fachvorschrift (Beispiel)",
    )
    result = processing_deadline(received_on=date(2026, 1, 3), service=parking, authority=townhall)
    assert result is not None
    # Online on Sat 3.1.2026: Mon 5 (1) … Fri 9 (5), Mon 12 … Fri 16 (10).
    assert result.due_on == date(2026, 1, 16)
    # Three months: 3.4.2026 Karfreitag → Sat, Sun, Mon 6.4. Ostermontag → Tue 7.4.
    # is the last day (§ 31 Abs. 3 VwVfG); the approval counts as granted on Wed 8.4.
    assert result.fiction_period_ends_on == date(2026, 4, 7)
    assert result.fiction_on == date(2026, 4, 8)
    # Warning three working days before Tue 7.4.: Thu 2.4. (1), Wed 1.4. (2), Tue 31.3. (3).
    assert result.fiction_warning_on == date(2026, 3, 31)

    # The fiction period starts with the complete documents (§ 42a Abs. 2 Satz 2):
    # Tue 20.1.2026 → Mon 20.4.2026, granted Tue 21.4.
    later = processing_deadline(
        received_on=date(2026, 1, 3),
        service=parking,
        authority=townhall,
        documents_complete_on=date(2026, 1, 20),
    )
    assert later is not None
    assert (later.fiction_period_ends_on, later.fiction_on) == (
        date(2026, 4, 20),
        date(2026, 4, 21),
    )
    assert later.due_on == date(2026, 1, 16)  # the processing period still runs from the receipt

    with pytest.raises(InvalidInput):
        processing_deadline(
            received_on=date(2026, 1, 3),
            service=parking,
            authority=townhall,
            documents_complete_on=date(2026, 1, 2),
        )


def test_the_authoritys_own_deadline_overrides_the_land_default(parking, townhall):
    land_deadline(parking)
    own = land_deadline(parking, authority=townhall, processing_working_days=20)
    other = Authority.objects.create(
        name="Gemeinde Beispiel",
        name_folded="gemeinde beispiel",
        kind=AuthorityKind.GEMEINDEVERWALTUNG,
    )
    received = date(2025, 12, 17)
    mine = processing_deadline(received_on=received, service=parking, authority=townhall)
    theirs = processing_deadline(received_on=received, service=parking, authority=other)
    assert mine is not None
    assert theirs is not None
    # 10th working day Mon 5.1.2026 (above), then Tue 6 (11) … Fri 9 (14), Mon 12 …
    # Fri 16 (19), Mon 19.1. (20).
    assert mine.due_on == date(2026, 1, 19)
    assert mine.rule == own
    assert theirs.due_on == date(2026, 1, 5)
    assert theirs.rule.authority is None


def test_deadline_rule_valid_on_the_receipt_day(parking):
    land_deadline(parking, valid_to=date(2025, 12, 31))
    land_deadline(parking, processing_working_days=15, valid_from=date(2026, 1, 1))
    old = processing_deadline(received_on=date(2025, 12, 31), service=parking, authority=None)
    new = processing_deadline(received_on=date(2026, 1, 2), service=parking, authority=None)
    assert old is not None
    assert new is not None
    # Wed 31.12.2025 + 10: Fri 2 (1), Mon 5 … Fri 9 (6), Mon 12 … Thu 15 (10).
    assert old.due_on == date(2026, 1, 15)
    # Fri 2.1.2026 + 15: Mon 5 … Fri 9 (5), 12 … 16 (10), 19 … Fri 23 (15).
    assert new.due_on == date(2026, 1, 23)


def test_no_deadline_configured_or_none_in_force(parking, townhall):
    assert (
        processing_deadline(received_on=date(2026, 1, 5), service=parking, authority=townhall)
        is None
    )
    land_deadline(parking, valid_to=date(2025, 12, 31))
    assert (
        processing_deadline(received_on=date(2026, 1, 5), service=parking, authority=townhall)
        is None
    )


def test_deadline_validation(parking):
    with pytest.raises(ValidationError) as error:
        ServiceDeadline(
            service=parking,
            processing_working_days=10,
            warning_working_days=3,
            approval_fiction=True,
            valid_from=date(2026, 1, 1),
            legal_basis="x",
        ).full_clean()
    assert set(error.value.message_dict) == {"fiction_legal_basis"}
    with pytest.raises(ValidationError) as error:
        ServiceDeadline(
            service=parking,
            processing_working_days=3,
            warning_working_days=3,
            valid_from=date(2026, 1, 1),
            legal_basis="x",
        ).full_clean()
    assert set(error.value.message_dict) == {"warning_working_days"}


# --- rule rows -------------------------------------------------------------


def test_seeded_rules():
    rows = {
        (r.jurisdiction, r.channel, r.valid_from): (r.days_after_event, r.valid_to)
        for r in BekanntgabeRule.objects.all()
    }
    assert rows[(BUND, POST, date(1977, 1, 1))] == (3, date(2024, 12, 31))
    assert rows[(BUND, POST, date(2025, 1, 1))] == (4, None)
    assert rows[(LAND, POST, date(2014, 12, 1))] == (3, date(2024, 12, 31))
    assert rows[(LAND, POST, date(2025, 1, 1))] == (4, None)
    assert rows[(LAND, ABRUF, date(2025, 1, 1))] == (1, None)
    assert not BekanntgabeRule.objects.filter(fiction_moves_to_working_day=True).exists()
    assert set(
        BekanntgabeRule.objects.filter(channel=ABRUF).values_list(
            "retrieval_period_days", flat=True
        )
    ) == {10}
    assert ObjectionPeriod.objects.count() == 2


def test_overlapping_rules_are_refused_and_detected():
    overlapping = BekanntgabeRule(
        channel=POST,
        jurisdiction=LAND,
        days_after_event=5,
        valid_from=date(2026, 1, 1),
        legal_basis="hypothetisch",
    )
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert set(error.value.message_dict) == {"valid_from"}
    assert BekanntgabeRule.objects.filter(days_after_event=5).count() == 0

    overlapping.save()  # written past the admin's check
    with pytest.raises(RuleAmbiguous):
        by_post(date(2026, 2, 2))
    # Days before the overlap are still computed.
    assert by_post(date(2025, 6, 2)).made_known_on == date(2025, 6, 6)


def test_a_successor_row_is_accepted_once_the_old_one_ends():
    ObjectionPeriod.objects.filter(remedy=Remedy.WIDERSPRUCH).update(valid_to=date(2030, 12, 31))
    successor = ObjectionPeriod(
        remedy=Remedy.WIDERSPRUCH, months=2, valid_from=date(2031, 1, 1), legal_basis="hypothetisch"
    )
    successor.full_clean()
    successor.save()
    assert widerspruch_ends(date(2030, 12, 2)) == date(2031, 1, 2)  # Thu, old rule
    assert widerspruch_ends(date(2031, 1, 2)) == date(2031, 3, 3)  # 2.3.2031 is a Sunday → Mon


def test_retrieval_rule_needs_its_period():
    with pytest.raises(ValidationError) as error:
        BekanntgabeRule(
            channel=ABRUF,
            jurisdiction=BUND,
            days_after_event=1,
            valid_from=date(2030, 1, 1),
            legal_basis="x",
        ).full_clean()
    assert "retrieval_period_days" in error.value.message_dict
