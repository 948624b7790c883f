"""The Bescheid: drafted from the authority's template for the service, signed
off by a second person where the template asks for it (Mitzeichnung), rendered
as PDF/A, sealed with the authority's seal and made known through the
applicant's Postfach, or by post where there is none.

Status: entwurf → (mitzeichnung →) freigegeben → erlassen; a decision sent
back from sign-off returns to entwurf. Every step is audited.
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pikepdf
from django.db import transaction
from django.utils import timezone

from openamt.accounts.models import User
from openamt.cases import files
from openamt.cases.constants import CaseStatus, DocumentKind
from openamt.cases.models import (
    BekanntgabeChannel,
    Case,
    Decision,
    DecisionTemplate,
    PostBatch,
)
from openamt.cases.rules import Bekanntgabe, RuleAmbiguous, RuleNotFound, bekanntgabe_compute
from openamt.cases.selectors import case_require_writer, case_staff_addresses
from openamt.cases.services import case_transition
from openamt.core.audit import audit_record
from openamt.core.errors import Conflict, InvalidInput, InvalidTransition, PermissionDenied
from openamt.core.mail import mail_enqueue
from openamt.core.money import euros_display
from openamt.core.pdf import pdf_render
from openamt.mailbox.documents import document_store
from openamt.mailbox.models import Mailbox, Message
from openamt.mailbox.services import Upload, message_deliver
from openamt.organisations.seals import seal_pdf

S = Decision.Status
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
PLACEHOLDERS = {
    "antragsteller": "Name des Antragstellers",
    "aktenzeichen": "Aktenzeichen",
    "vorgangsnummer": "Vorgangsnummer",
    "leistung": "Leistung",
    "eingangsdatum": "Tag des Eingangs",
    "behoerde": "Behörde",
    "datum": "Tag des Bescheids",
    "gebuehr": "Gebühr",
}
TEXT_FIELDS = ("subject", "operative", "reasons", "legal_remedy", "fee_legal_basis")


def placeholders_check(text: str, *, field: str) -> None:
    """InvalidInput (at `field`) naming the first placeholder that is not one
    of PLACEHOLDERS: a typo would otherwise reach the citizen as "{{ nmae }}"."""
    unknown = [name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS]
    if unknown:
        raise InvalidInput(
            f"Den Platzhalter „{{{{ {unknown[0]} }}}}“ gibt es nicht. Möglich sind: "
            + ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)
            + ".",
            field=field,
        )


def _values(case: Case, fee_cents: int) -> dict[str, str]:
    return {
        "antragsteller": case.applicant_name,
        "aktenzeichen": case.file_number,
        "vorgangsnummer": case.reference,
        "leistung": case.service.name,
        "eingangsdatum": f"{timezone.localtime(case.received_at):%d.%m.%Y}",
        "behoerde": case.authority.name,
        "datum": f"{timezone.localdate():%d.%m.%Y}",
        "gebuehr": euros_display(fee_cents),
    }


def _fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def _check(data: dict[str, Any]) -> None:
    for field in TEXT_FIELDS:
        placeholders_check(str(data.get(field, "")), field=field)
    if not str(data.get("subject", "")).strip():
        raise InvalidInput("Bitte geben Sie einen Betreff an.", field="subject")
    if not str(data.get("operative", "")).strip():
        raise InvalidInput("Bitte formulieren Sie die Entscheidung.", field="operative")
    if not str(data.get("legal_remedy", "")).strip():
        # § 37 (6) VwVfG: a decision open to challenge carries its Rechtsbehelfsbelehrung.
        raise InvalidInput("Die Rechtsbehelfsbelehrung fehlt.", field="legal_remedy")
    fee = data.get("fee_cents", 0)
    if not isinstance(fee, int) or fee < 0:
        raise InvalidInput("Die Gebühr ist ein Betrag in Euro, nicht negativ.", field="fee_cents")
    if fee and not str(data.get("fee_legal_basis", "")).strip():
        raise InvalidInput(
            "Bitte nennen Sie die Rechtsgrundlage der Gebühr.", field="fee_legal_basis"
        )


def _audit(actor: User | None, decision: Decision, action: str, **changes: Any) -> None:
    audit_record(
        actor=actor,
        action=f"decision.{action}",
        target=decision.case,
        authority_id=decision.case.authority_id,
        changes={"decision": str(decision.public_id), **changes},
    )


@transaction.atomic
def decision_draft(*, actor: User, case: Case, template: DecisionTemplate) -> Decision:
    """A draft decision of a case in progress from one of its authority's
    active templates for its service (or for any service), with the
    placeholders filled in. InvalidTransition for a case not in progress,
    InvalidInput for a foreign or inactive template."""
    case_require_writer(user=actor, authority_id=case.authority_id)
    if case.status != CaseStatus.IN_PROGRESS:
        raise InvalidTransition("Nur ein Vorgang in Bearbeitung wird beschieden.")
    if (
        template.authority_id != case.authority_id
        or not template.active
        or template.service_id not in (None, case.service_id)
    ):
        raise InvalidInput("Diese Vorlage passt nicht zu diesem Vorgang.", field="template")
    values = _values(case, template.fee_cents)
    decision = Decision.objects.create(
        case=case,
        template=template,
        author=actor,
        cosign_required=template.cosign_required,
        fee_cents=template.fee_cents,
        **{field: _fill(getattr(template, field), values) for field in TEXT_FIELDS},
    )
    _audit(actor, decision, "draft", template=template.title)
    return decision


def _locked(decision: Decision, status: str) -> Decision:
    locked = Decision.objects.select_for_update().select_related("case").get(pk=decision.pk)
    if locked.status != status:
        raise Conflict(
            f"Der Bescheid ist inzwischen „{locked.get_status_display()}“; "
            "bitte laden Sie die Seite neu."
        )
    return locked


@transaction.atomic
def decision_update(*, actor: User, decision: Decision, data: dict[str, Any]) -> Decision:
    """Change a draft's texts and fee (`data`: TEXT_FIELDS and fee_cents).
    InvalidInput at the field for a missing subject, operative part or
    Rechtsbehelfsbelehrung, a fee without legal basis or an unknown
    placeholder; Conflict once the draft has moved on."""
    case_require_writer(user=actor, authority_id=decision.case.authority_id)
    _check(data)
    locked = _locked(decision, S.DRAFT)
    values = _values(locked.case, data.get("fee_cents", 0))
    for field in TEXT_FIELDS:
        setattr(locked, field, _fill(str(data.get(field, "")).strip(), values))
    locked.fee_cents = data.get("fee_cents", 0)
    locked.save()
    _audit(actor, locked, "update", fee_cents=locked.fee_cents)
    return locked


@transaction.atomic
def decision_submit(*, actor: User, decision: Decision) -> Decision:
    """Finish the draft: to sign-off where required, else approved."""
    case_require_writer(user=actor, authority_id=decision.case.authority_id)
    locked = _locked(decision, S.DRAFT)
    _check({field: getattr(locked, field) for field in (*TEXT_FIELDS, "fee_cents")})
    locked.status = S.COSIGN if locked.cosign_required else S.APPROVED
    locked.save(update_fields=["status"])
    _audit(actor, locked, "submit", status=locked.status)
    return locked


@transaction.atomic
def decision_cosign(*, actor: User, decision: Decision, approve: bool = True) -> Decision:
    """The second person's sign-off (Mitzeichnung): approve, or send back to
    the draft. PermissionDenied for the author herself (four eyes)."""
    case_require_writer(user=actor, authority_id=decision.case.authority_id)
    locked = _locked(decision, S.COSIGN)
    if locked.author_id == actor.pk:
        raise PermissionDenied("Mitzeichnen muss eine andere Person als die Verfasserin.")
    if approve:
        locked.status, locked.cosigner, locked.cosigned_at = S.APPROVED, actor, timezone.now()
    else:
        locked.status = S.DRAFT
    locked.save(update_fields=["status", "cosigner", "cosigned_at"])
    _audit(actor, locked, "cosign" if approve else "return")
    return locked


def decision_pdf(decision: Decision, *, draft: bool = False) -> bytes:
    """The decision as PDF/A (A4, DIN 5008 letter with the address window).
    `draft`: a preview, marked "Entwurf" on every page and in its title, so
    that a printed or forwarded preview is never taken for the decision."""
    case = decision.case
    return pdf_render(
        template="cases/decision.html",
        context={
            "decision": decision,
            "case": case,
            "authority": case.authority,
            "fee": euros_display(decision.fee_cents) if decision.fee_cents else "",
            "draft": draft,
            "date": timezone.localdate(),
        },
        pdfa=True,
    )


def _mailbox(case: Case) -> Mailbox | None:
    if case.applicant_user_id is None:
        return None
    return Mailbox.objects.filter(account__user_id=case.applicant_user_id).first()


def decision_issue(*, actor: User, decision: Decision) -> Decision:
    """Issue an approved decision: render it as PDF/A and seal it (outside any
    transaction: the seal may be a remote service), then in one transaction
    file it in the case, deliver it to the applicant's Postfach (or leave it
    for the next post batch when there is none) and mark the case decided.
    Conflict if someone issued it meanwhile; the seal's errors as raised."""
    case_require_writer(user=actor, authority_id=decision.case.authority_id)
    if decision.status != S.APPROVED:
        raise Conflict("Nur ein freigegebener Bescheid wird erlassen.")
    case = decision.case
    sealed = seal_pdf(
        authority=case.authority,
        pdf=decision_pdf(decision),
        reason=f"Bescheid {case.file_number}",
    )
    with transaction.atomic():
        locked = _locked(decision, S.APPROVED)
        name = f"Bescheid {case.file_number}.pdf"
        entry = files.file_document_add(
            case=case,
            kind=DocumentKind.DECISION,
            title=locked.subject,
            data=sealed,
            name=name,
            author=actor,
            author_name=files.display_name(actor),
        )
        locked.document, locked.status, locked.issued_at = entry, S.ISSUED, timezone.now()
        mailbox = _mailbox(case)
        if mailbox is not None:
            message, _ = message_deliver(
                sender=case.authority,
                address=mailbox.address,
                subject=locked.subject,
                body=(
                    f"Ihr Bescheid zum Vorgang {case.file_number} liegt bei. "
                    "Er gilt am Tag nach dem Abruf als bekannt gegeben."
                ),
                files=[Upload(name=name, data=sealed)],
                is_decision=True,
                reference=case.file_number,
                idempotency_key=f"bescheid-{locked.public_id}",
            )
            locked.route, locked.message, locked.notified_at = (
                Decision.Route.MAILBOX,
                message,
                message.delivered_at,
            )
        else:
            locked.route = Decision.Route.POST
        locked.save()
        if case.status == CaseStatus.IN_PROGRESS:
            case_transition(actor=actor, case=case, to=CaseStatus.DECIDED)
        _audit(actor, locked, "issue", route=locked.route, sha256=entry.document.sha256)
    return locked


@transaction.atomic
def decision_to_post(*, actor: User, decision: Decision) -> Decision:
    """Send an issued decision by post after all: the applicant has no
    Postfach, or did not retrieve it within the period of § 41 (2a) VwVfG
    (then it was not made known electronically). It goes with the next batch."""
    case_require_writer(user=actor, authority_id=decision.case.authority_id)
    locked = _locked(decision, S.ISSUED)
    if locked.post_batch_id is not None or locked.retrieved_at is not None:
        raise Conflict("Dieser Bescheid ist schon bekannt gegeben oder versandt.")
    locked.route = Decision.Route.POST
    locked.save(update_fields=["route"])
    _audit(actor, locked, "to_post")
    return locked


def post_pending(*, authority_id: int) -> list[Decision]:
    """Issued decisions of the authority waiting to be printed and posted."""
    return list(
        Decision.objects.filter(
            case__authority_id=authority_id,
            status=S.ISSUED,
            route=Decision.Route.POST,
            post_batch__isnull=True,
        )
        .select_related("case", "document__document")
        .order_by("issued_at", "pk")
    )


def post_batch_create(
    *, actor: User, authority_id: int, posted_on: datetime.date | None = None
) -> PostBatch | None:
    """One PDF with every decision waiting for the post (the sealed letters,
    each opening with its DIN 5008 address field), recorded with the day it is
    handed to the post, from which its Bekanntgabe is counted. None when
    nothing waits."""
    case_require_writer(user=actor, authority_id=authority_id)
    pending = post_pending(authority_id=authority_id)
    if not pending:
        return None
    combined = pikepdf.Pdf.new()
    for decision in pending:
        assert decision.document is not None  # issued decisions are filed
        with decision.document.document.file.open("rb") as stream:
            letter = pikepdf.Pdf.open(io.BytesIO(stream.read()))
            # Paper carries no electronic seal: the letter's signature field
            # would cover bytes of another file and show as broken.
            combined.add_pages_from(letter, forms="strip")
    buffer = io.BytesIO()
    combined.save(buffer)
    day = posted_on or timezone.localdate()
    with transaction.atomic():
        stored, _ = document_store(
            data=buffer.getvalue(), name=f"Postausgang {day:%Y-%m-%d}.pdf", field="batch"
        )
        batch = PostBatch.objects.create(
            authority_id=authority_id, created_by=actor, posted_on=day, document=stored
        )
        for decision in pending:
            locked = _locked(decision, S.ISSUED)
            locked.post_batch = batch
            _made_known_by_post(locked, day)
            locked.save()
            _audit(actor, locked, "post", posted_on=day.isoformat())
    return batch


def _made_known_by_post(decision: Decision, posted_on: datetime.date) -> None:
    # § 41 (2) VwVfG with the rule in force on the day of posting (cases.rules).
    result = bekanntgabe_compute(channel=BekanntgabeChannel.POST, posted_on=posted_on)
    decision.made_known_on = result.made_known_on
    decision.remedy_ends_on = result.objection_period_ends_on
    decision.legal_basis = result.legal_basis[:300]


def _retrieved_at(decision: Decision) -> datetime.datetime | None:
    if decision.retrieved_at is not None:
        return decision.retrieved_at
    return decision.message.first_opened_at if decision.message is not None else None


def decision_bekanntgabe(
    decision: Decision, *, today: datetime.date | None = None
) -> Bekanntgabe | None:
    """How the decision is made known as of `today`: by post from its batch's
    posting day, through the Postfach from the notification and the first
    retrieval (proof of access, § 41 (2a) VwVfG). None while not sent."""
    if decision.post_batch_id is not None:
        assert decision.post_batch is not None
        return bekanntgabe_compute(
            channel=BekanntgabeChannel.POST, posted_on=decision.post_batch.posted_on
        )
    if decision.notified_at is None:
        return None
    retrieved = _retrieved_at(decision)
    return bekanntgabe_compute(
        channel=BekanntgabeChannel.RETRIEVAL,
        notified_on=timezone.localtime(decision.notified_at).date(),
        retrieved_on=timezone.localtime(retrieved).date() if retrieved else None,
        today=today,
    )


def _made_known(decision: Decision, result: Bekanntgabe) -> None:
    # The retrieval with the Bekanntgabe and the end of the objection period it starts.
    assert result.made_known_on is not None
    decision.retrieved_at = _retrieved_at(decision)
    decision.made_known_on = result.made_known_on
    decision.remedy_ends_on = result.objection_period_ends_on
    decision.legal_basis = result.legal_basis[:300]
    decision.save(update_fields=["retrieved_at", "made_known_on", "remedy_ends_on", "legal_basis"])
    _audit(None, decision, "made_known", on=result.made_known_on.isoformat())


def decision_retrieved(message: Message) -> None:
    """Receiver of a message's first opening (`mailbox.services.
    open_receiver_register`): when the message carries an issued Bescheid,
    its retrieval, Bekanntgabe (§ 41 Abs. 2a VwVfG: the day after the
    retrieval, if within ten days of the notification) and end of the
    objection period are recorded now, not at the next daily run. Without a
    rule in force it records nothing and `decisions_watch` reports the case;
    the opening itself is never refused."""
    decision = (
        Decision.objects.filter(
            message=message, route=Decision.Route.MAILBOX, status=S.ISSUED, retrieved_at=None
        )
        .select_related("message", "case__authority")
        .first()
    )
    if decision is None:
        return
    try:
        result = decision_bekanntgabe(decision)
    except (RuleNotFound, RuleAmbiguous):
        return
    if result is not None and result.made_known_on is not None:
        _made_known(decision, result)


def decisions_watch(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily look at decisions in Postfächer: a first retrieval is recorded
    with the Bekanntgabe and the end of the objection period it starts; a
    decision not retrieved in the period of § 41 (2a) VwVfG is reported to its
    caseworker on the day after the period (`cases.rules.retrieval_overdue_on`),
    once, so that it goes by post. Returns counts per outcome."""
    today = today or timezone.localdate()
    counts = {"abgerufen": 0, "gemeldet": 0}
    waiting = Decision.objects.filter(
        route=Decision.Route.MAILBOX, status=S.ISSUED, retrieved_at__isnull=True
    ).select_related("message", "case__assignee", "case__authority")
    for decision in waiting.iterator(chunk_size=200):
        result = decision_bekanntgabe(decision, today=today)
        if result is None:  # only decisions sent through the Postfach are waiting here
            continue
        with transaction.atomic():
            if result.made_known_on is not None:
                _made_known(decision, result)
                counts["abgerufen"] += 1
            elif decision.retrieval_alerted_at is None and result.retrieval_overdue_on is not None:
                if today < result.retrieval_overdue_on:
                    continue
                case = decision.case
                mail_enqueue(
                    key=f"bescheid-nicht-abgerufen.{decision.public_id}",
                    to=case_staff_addresses([case])[case.pk],
                    subject=f"Bescheid {case.file_number} nicht abgerufen: bitte per Post senden",
                    body=(
                        f"Der Bescheid „{decision.subject}“ zum Vorgang {case.file_number} wurde "
                        "nicht innerhalb von zehn Tagen nach der Benachrichtigung aus dem Postfach "
                        "abgerufen und ist damit nicht bekannt gegeben (§ 41 Abs. 2a VwVfG). "
                        "Bitte senden Sie ihn per Post."
                    ),
                )
                decision.retrieval_alerted_at = timezone.now()
                decision.save(update_fields=["retrieval_alerted_at"])
                _audit(None, decision, "not_retrieved")
                counts["gemeldet"] += 1
    return counts
