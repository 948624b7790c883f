"""DSGVO for the Servicekonto: everything kept about a holder (Art. 15, as JSON
and PDF), and deletion (Art. 17) with what stays and why."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from openamt.accounts.models import AccountSession, BusinessMembership, BusinessRole, User
from openamt.accounts.services import sessions_end
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput
from openamt.core.pdf import pdf_render
from openamt.mailbox.models import Message, Reply
from openamt.mailbox.services import accessible

# What deletion leaves, and the reason, as the holder reads it before deciding.
RETAINED = [
    (
        "Nachrichten und Bescheide, die Behörden Ihnen zugestellt haben",
        "bleiben bei der absendenden Behörde: sie gehören zu deren Akte, und der Zeitpunkt "
        "des ersten Öffnens ist der Nachweis des Zugangs (§ 41 VwVfG). Ihr Postfach selbst wird gelöscht.",
    ),
    (
        "Einträge im Prüfprotokoll der Plattform",
        "bleiben zur Nachvollziehbarkeit von Änderungen (Art. 32 DSGVO); sie enthalten nur eine "
        "Nummer, nicht Ihren Namen oder Ihre E-Mail-Adresse.",
    ),
]


def personal_data(*, user: User) -> dict[str, Any]:
    """All data about the holder, readable without knowing the platform."""
    messages = (
        Message.objects.filter(accessible(user))
        .select_related("sender")
        .prefetch_related("attachments__document")
    )
    return {
        "erstellt": timezone.now().isoformat(timespec="seconds"),
        "konto": {
            "e_mail": user.email,
            "angelegt": user.date_joined.isoformat(timespec="seconds"),
            "e_mail_bestaetigt": (
                user.account.email_verified_at.isoformat(timespec="seconds")
                if user.account.email_verified_at
                else None
            ),
        },
        "profil": [
            {
                "angabe": a.name,
                "wert": a.value,
                "herkunft": a.source,
                "vertrauensniveau": a.assurance_level,
            }
            for a in user.profile.order_by("name")
        ],
        "unternehmenskonten": [
            {"name": m.business.name, "rolle": m.get_role_display()}
            for m in BusinessMembership.objects.filter(user=user).select_related("business")
        ],
        "sitzungen": [
            {
                "geraet": s.device,
                "angemeldet": s.created_at.isoformat(timespec="seconds"),
                "vertrauensniveau": s.assurance_level,
            }
            for s in AccountSession.objects.filter(user=user).order_by("created_at")
        ],
        "sicherheitsprotokoll": [
            {
                "zeitpunkt": e.created_at.isoformat(timespec="seconds"),
                "ereignis": e.get_kind_display(),
                "geraet": e.device,
            }
            for e in user.security_events.order_by("created_at")
        ],
        "postfach": [
            {
                "betreff": m.subject,
                "absender": m.sender.name,
                "text": m.body,
                "bescheid": m.is_decision,
                "zugestellt": m.delivered_at.isoformat(timespec="seconds"),
                "zuerst_geoeffnet": m.first_opened_at.isoformat(timespec="seconds")
                if m.first_opened_at
                else None,
                "dokumente": [
                    {"name": a.filename, "sha256": a.document.sha256} for a in m.attachments.all()
                ],
            }
            for m in messages.order_by("delivered_at")
        ],
        "antworten": [
            {
                "zu": r.message.subject,
                "text": r.body,
                "gesendet": r.created_at.isoformat(timespec="seconds"),
            }
            for r in Reply.objects.filter(author=user)
            .select_related("message")
            .order_by("created_at")
        ],
    }


def personal_data_pdf(*, user: User) -> bytes:
    return pdf_render(
        template="accounts/privacy_export_pdf.html",
        context={"data": personal_data(user=user), "site_name": settings.OPENAMT_SITE_NAME},
    )


@transaction.atomic
def account_delete(*, user: User, password: str) -> None:
    """Delete the Servicekonto and everything only it needs; its sessions end
    and the tokens services received are revoked. Raises InvalidInput for a
    wrong password or when the holder is the last owner of a shared business."""
    if not user.check_password(password):
        raise InvalidInput("Das Passwort stimmt nicht.", field="password")
    for membership in BusinessMembership.objects.filter(user=user).select_related("business"):
        others = BusinessMembership.objects.filter(business=membership.business).exclude(user=user)
        if not others.exists():
            membership.business.delete()  # nobody else acts for it
        elif (
            membership.role == BusinessRole.OWNER
            and not others.filter(role=BusinessRole.OWNER).exists()
        ):
            raise InvalidInput(
                f"Sie sind die einzige Inhaberin oder der einzige Inhaber von „{membership.business.name}“. "
                "Bitte übertragen Sie die Rolle zuerst einem anderen Mitglied.",
                field="password",
            )
    sessions_end(records=AccountSession.objects.filter(user=user))
    audit_record(actor=None, action="account.delete", target=user, changes={"user_id": user.pk})
    user.delete()
