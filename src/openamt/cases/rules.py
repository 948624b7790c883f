"""Legal date arithmetic of case work: Bekanntgabe, objection periods,
processing deadlines and the Genehmigungsfiktion.

Two layers:

* selectors pick the rule row valid on the day the law makes relevant
  (`rule_valid_on` and the `*_rule_on` functions; one query each);
* pure functions compute dates from a rule row and the given days
  (`fiction_day`, `retrieval_last_day`, `objection_period_ends`,
  `add_months`), with working days from `openamt.core.workdays`.

`bekanntgabe_compute`, `retrieval_overdue_on` and `processing_deadline` join
the two for the case and decision services. None of them writes anything;
callers store the results they show (a case keeps its due date, a decision
its Bekanntgabe date) so that lists never compute per row.

Days are `datetime.date` in the Land's time zone (the caller turns a
timestamp of posting or retrieval into `timezone.localdate(...)`).
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone

from openamt.cases.models.rules import (
    BekanntgabeChannel,
    BekanntgabeRule,
    Jurisdiction,
    LegalRule,
    ObjectionPeriod,
    Remedy,
    ServiceDeadline,
)
from openamt.catalogue.models import Service
from openamt.core.errors import DomainError, InvalidInput
from openamt.core.workdays import add_working_days, next_working_day
from openamt.organisations.models import Authority

RuleT = TypeVar("RuleT", bound=LegalRule)


class RuleNotFound(DomainError):
    """No rule row is in force on the day asked about: the rules need an
    administrator, the platform does not guess a legal period."""

    code = "rule_not_found"
    status = 409
    title = "Für diesen Tag ist keine Rechtsregel hinterlegt."


class RuleAmbiguous(DomainError):
    """Two rule rows are in force on the same day for the same thing."""

    code = "rule_ambiguous"
    status = 409
    title = "Für diesen Tag sind mehrere Rechtsregeln hinterlegt."


# --- selectors -------------------------------------------------------------


def rule_valid_on(rules: QuerySet[RuleT], *, on: date) -> RuleT:
    """The one row of `rules` in force on `on` (`valid_from <= on <= valid_to`,
    an empty `valid_to` open-ended). One query.

    Raises `RuleNotFound` when none is, `RuleAmbiguous` when several are
    (validity ranges of one rule must not overlap; `LegalRule.clean` refuses
    that in the admin, this catches rows written past it).
    """
    rows = list(
        rules.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")[:2]
    )
    if not rows:
        raise RuleNotFound(
            f"Keine {rules.model._meta.verbose_name} gilt am {on:%d.%m.%Y}: bitte in der Verwaltung hinterlegen."
        )
    if len(rows) > 1:
        raise RuleAmbiguous(f"Am {on:%d.%m.%Y} gelten mehrere Regeln: „{rows[0]}“ und „{rows[1]}“.")
    return rows[0]


def bekanntgabe_rule_on(*, channel: str, jurisdiction: str, on: date) -> BekanntgabeRule:
    """The Bekanntgabe rule for a way of sending, in force on `on` (the day of
    posting or sending, or of the notification of a Postfach provision: the
    PostModG's fourth day applies to decisions posted from 1 January 2025)."""
    return rule_valid_on(
        BekanntgabeRule.objects.filter(channel=channel, jurisdiction=jurisdiction), on=on
    )


def objection_rule_on(*, remedy: str, on: date) -> ObjectionPeriod:
    """The objection period in force on `on` (the day of the Bekanntgabe)."""
    return rule_valid_on(ObjectionPeriod.objects.filter(remedy=remedy), on=on)


def service_deadline_on(
    *, service: Service, authority: Authority | None, on: date
) -> ServiceDeadline | None:
    """The processing deadline of `service` at `authority` in force on `on`
    (the day of receipt): the authority's own row if it has one in force,
    else the Land-wide row, else None (no statutory period configured).
    At most two queries."""
    scoped = ServiceDeadline.objects.filter(service=service)
    if authority is not None:
        try:
            return rule_valid_on(scoped.filter(authority=authority), on=on)
        except RuleNotFound:
            pass
    try:
        return rule_valid_on(scoped.filter(authority__isnull=True), on=on)
    except RuleNotFound:
        return None


# --- pure computations -----------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The end of a period of `months` months that starts with an event on
    `day` (§ 187 Abs. 1, § 188 Abs. 2 and 3 BGB): the day of the later month
    with the same number, or that month's last day when it has none
    (31 January + 1 month = 28 or 29 February). Not moved off weekends."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def fiction_day(rule: BekanntgabeRule, event_on: date) -> date:
    """The day a decision counts as made known under `rule`, the event being
    the posting (post), the sending (electronic) or the retrieval (Postfach).

    § 41 Abs. 2 Satz 1 and 2 VwVfG: "am vierten Tag nach der Aufgabe zur
    Post / nach der Absendung" (third day until 2024); § 41 Abs. 2a Satz 3:
    "am Tag nach dem Abruf". The event day is not counted (§ 31 Abs. 1
    VwVfG, § 187 Abs. 1 BGB). Moved to the next working day only when the
    rule says so (not under the VwVfG, see `BekanntgabeRule`).
    """
    day = event_on + timedelta(days=rule.days_after_event)
    if rule.fiction_moves_to_working_day:
        day = next_working_day(day)
    return day


def retrieval_last_day(rule: BekanntgabeRule, notified_on: date) -> date:
    """The last day on which a decision provided in the Postfach can still be
    retrieved with effect: the tenth day after the notification was sent
    (§ 41 Abs. 2a Satz 4 VwVfG: "nicht innerhalb von zehn Tagen nach
    Absendung einer Benachrichtigung"; the day of sending not counted,
    § 187 Abs. 1 BGB; the period ends at the end of its last day, § 188
    Abs. 1 BGB). Moved to a working day only if the rule says so.
    """
    if rule.retrieval_period_days is None:
        raise InvalidInput(f"„{rule}“ ist keine Regel für den Abruf aus dem Postfach.")
    day = notified_on + timedelta(days=rule.retrieval_period_days)
    if rule.retrieval_end_moves_to_working_day:
        day = next_working_day(day)
    return day


def objection_period_ends(rule: ObjectionPeriod, made_known_on: date) -> date:
    """The last day for the remedy when the decision was made known on
    `made_known_on`: `rule.months` months by § 188 Abs. 2, 3 BGB
    (`add_months`), an end on a Saturday, Sunday or public holiday of the
    Land moved to the next working day (§ 57 Abs. 2 VwGO, § 222 Abs. 2 ZPO;
    § 31 Abs. 3 VwVfG)."""
    end = add_months(made_known_on, rule.months)
    if rule.end_moves_to_working_day:
        end = next_working_day(end)
    return end


# --- what the case and decision services call -----------------------------


@dataclass(frozen=True)
class Bekanntgabe:
    """The Bekanntgabe of one decision as the law makes it.

    `made_known_on`: the day it counts as made known, None when it is not
    (yet): a Postfach provision not retrieved so far, or not retrieved in
    time (`retrieval_lapsed`). For a Postfach provision `retrieval_last_day`
    is the last day a retrieval counts and `retrieval_overdue_on` the day
    the caseworker is alerted to send the decision by post.
    `objection_period_ends_on`: the last day of the objection period (the
    rule valid on the Bekanntgabe day), None while not made known.
    """

    channel: str
    jurisdiction: str
    made_known_on: date | None
    retrieval_lapsed: bool
    retrieval_last_day: date | None
    retrieval_overdue_on: date | None
    rule: BekanntgabeRule
    objection_period_ends_on: date | None
    objection_rule: ObjectionPeriod | None

    @property
    def legal_basis(self) -> str:
        return self.rule.legal_basis


def bekanntgabe_compute(
    *,
    channel: str,
    jurisdiction: str = Jurisdiction.LAND,
    posted_on: date | None = None,
    notified_on: date | None = None,
    retrieved_on: date | None = None,
    today: date | None = None,
    remedy: str = Remedy.WIDERSPRUCH,
) -> Bekanntgabe:
    """When a decision counts as made known, and when the objection ends.

    `channel` "post" or "elektronisch": `posted_on` is the day of posting or
    sending (§ 41 Abs. 2 VwVfG, the rule valid on that day).
    `channel` "abruf" (Postfach, § 41 Abs. 2a VwVfG): `notified_on` is the
    day the notification of the provision was sent, `retrieved_on` the day
    of the first retrieval if any (proof of access), `today` the day asked
    about (default: today) for whether the ten days have passed. Retrieved
    within the period: made known the day after the retrieval. Not
    retrieved by the end of the period: not made known (`retrieval_lapsed`),
    the decision must go another way. A retrieval after the period changes
    nothing (the provision has ended).

    `jurisdiction`: "land" for the Land's authorities, Kreise and
    Gemeinden (ThürVwVfG), "bund" for federal authorities.
    Raises `InvalidInput` for a missing or impossible day, `RuleNotFound`
    when no rule is in force on the relevant day.
    """
    if channel == BekanntgabeChannel.RETRIEVAL:
        if notified_on is None:
            raise InvalidInput("Der Tag der Benachrichtigung fehlt.", field="notified_on")
        if retrieved_on is not None and retrieved_on < notified_on:
            raise InvalidInput(
                "Der Abruf kann nicht vor der Benachrichtigung liegen.", field="retrieved_on"
            )
        rule = bekanntgabe_rule_on(channel=channel, jurisdiction=jurisdiction, on=notified_on)
        last_day = retrieval_last_day(rule, notified_on)
        overdue_on = last_day + timedelta(days=1)
        if retrieved_on is not None and retrieved_on <= last_day:
            made_known_on: date | None = fiction_day(rule, retrieved_on)
            lapsed = False
        else:
            made_known_on = None
            lapsed = retrieved_on is not None or (today or timezone.localdate()) >= overdue_on
        retrieval: tuple[date | None, date | None] = (last_day, overdue_on)
    elif channel in (BekanntgabeChannel.POST, BekanntgabeChannel.ELECTRONIC):
        if posted_on is None:
            raise InvalidInput("Der Tag der Aufgabe zur Post fehlt.", field="posted_on")
        rule = bekanntgabe_rule_on(channel=channel, jurisdiction=jurisdiction, on=posted_on)
        made_known_on = fiction_day(rule, posted_on)
        lapsed = False
        retrieval = (None, None)
    else:
        raise InvalidInput(f"Unbekannter Bekanntgabeweg „{channel}“.", field="channel")

    objection_rule = ends_on = None
    if made_known_on is not None:
        objection_rule = objection_rule_on(remedy=remedy, on=made_known_on)
        ends_on = objection_period_ends(objection_rule, made_known_on)
    return Bekanntgabe(
        channel=channel,
        jurisdiction=jurisdiction,
        made_known_on=made_known_on,
        retrieval_lapsed=lapsed,
        retrieval_last_day=retrieval[0],
        retrieval_overdue_on=retrieval[1],
        rule=rule,
        objection_period_ends_on=ends_on,
        objection_rule=objection_rule,
    )


def retrieval_overdue_on(notified_on: date, *, jurisdiction: str = Jurisdiction.LAND) -> date:
    """The day the caseworker must be told that a decision provided in the
    Postfach was not retrieved and has to go by post.

    The day after the last day of the retrieval period: with the notification
    sent on day X, § 41 Abs. 2a Satz 4 VwVfG ("nicht innerhalb von zehn
    Tagen nach Absendung einer Benachrichtigung") counts X+1 … X+10, and a
    retrieval on X+10 still makes the decision known (on X+11). Only when
    X+10 has ended without a retrieval is the Bekanntgabe not effected, so
    the alert is due on X+11, not a day before. Schedule it for that day.
    """
    rule = bekanntgabe_rule_on(
        channel=BekanntgabeChannel.RETRIEVAL, jurisdiction=jurisdiction, on=notified_on
    )
    return retrieval_last_day(rule, notified_on) + timedelta(days=1)


@dataclass(frozen=True)
class ProcessingDeadline:
    """The statutory dates of one application.

    `due_on`: the last working day of the processing period; `warning_on`:
    the day the warning shows. With a Genehmigungsfiktion:
    `fiction_period_ends_on` is the last day to decide, `fiction_on` the day
    the approval counts as granted, `fiction_warning_on` the day its warning
    shows; all three None without one.
    """

    due_on: date
    warning_on: date
    fiction_period_ends_on: date | None
    fiction_on: date | None
    fiction_warning_on: date | None
    rule: ServiceDeadline


def processing_deadline(
    *,
    received_on: date,
    service: Service,
    authority: Authority | None,
    documents_complete_on: date | None = None,
) -> ProcessingDeadline | None:
    """The processing deadline of an application received on `received_on`,
    by the rule in force on that day (the authority's own, else the
    Land-wide one); None when the service has none.

    The processing period: `processing_working_days` working days of the
    Land after the receipt (the receipt day not counted, § 187 Abs. 1 BGB;
    a receipt on a weekend starts counting on the next working day); the
    warning `warning_working_days` working days before its end.

    Genehmigungsfiktion (§ 42a VwVfG, where the rule's `fiction_legal_basis`
    orders it): the period of `fiction_months` months starts with the
    receipt of the complete documents (§ 42a Abs. 2 Satz 2;
    `documents_complete_on`, default the receipt) and is computed by § 31
    VwVfG with §§ 187 Abs. 1, 188 Abs. 2 BGB; an end on a Saturday, Sunday
    or public holiday moves to the next working day (§ 31 Abs. 3 Satz 1
    VwVfG). The approval counts as granted on the day after the end.
    """
    rule = service_deadline_on(service=service, authority=authority, on=received_on)
    if rule is None:
        return None
    due_on = add_working_days(received_on, rule.processing_working_days)
    warning_on = add_working_days(due_on, -rule.warning_working_days)
    period_end = fiction_on = fiction_warning_on = None
    if rule.approval_fiction:
        start = documents_complete_on or received_on
        if start < received_on:
            raise InvalidInput(
                "Die Unterlagen können nicht vor dem Eingang vollständig sein.",
                field="documents_complete_on",
            )
        period_end = next_working_day(add_months(start, rule.fiction_months))
        fiction_on = period_end + timedelta(days=1)
        fiction_warning_on = add_working_days(period_end, -rule.warning_working_days)
    return ProcessingDeadline(
        due_on=due_on,
        warning_on=warning_on,
        fiction_period_ends_on=period_end,
        fiction_on=fiction_on,
        fiction_warning_on=fiction_warning_on,
        rule=rule,
    )
